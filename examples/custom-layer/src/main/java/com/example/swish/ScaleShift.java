package com.example.swish;

import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Scale and shift, per feature (the learned part of a layer norm): y = x ⊙ gain + shift, with
 * {@code gain} [D] starting at 1 and {@code shift} [D] at 0.
 */
public final class ScaleShift implements Layer {
  private final int size;
  private final Parameter gain;
  private final Parameter shift;
  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  public ScaleShift(int size, double initGain) {
    this.size = size;
    // each is saved in checkpoints as layers.<index>.gain and layers.<index>.shift, shape [size]
    this.gain = Parameter.vector("gain", size);
    this.shift = Parameter.vector("shift", size); // a new vector is zeros
    Arrays.fill(gain.value().data(), (float) initGain);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(gain, shift);
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public int outputSize() {
    return size;
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    input = x;
    output = Tensor.reuse(output, x.rows(), size);
    float[] in = x.data();
    float[] y = output.data();
    float[] g = gain.value().data();
    float[] b = shift.value().data();
    for (int r = 0, i = 0; r < x.rows(); r++) {
      for (int j = 0; j < size; j++, i++) {
        y[i] = in[i] * g[j] + b[j];
      }
    }
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    float[] d = dy.data();
    float[] in = input.data();
    float[] g = gain.value().data();
    float[] dGain = gain.grad().data();
    float[] dShift = shift.grad().data();
    // the gradients of this batch alone: overwrite what the last batch left, never add to it
    Arrays.fill(dGain, 0f);
    Arrays.fill(dShift, 0f);
    gradInput = Tensor.reuse(gradInput, dy.rows(), size);
    float[] dx = gradInput.data();
    for (int r = 0, i = 0; r < dy.rows(); r++) {
      for (int j = 0; j < size; j++, i++) {
        dGain[j] += d[i] * in[i]; // dL/dgain = Σ over the batch of dy ⊙ x
        dShift[j] += d[i]; // dL/dshift = Σ over the batch of dy
        dx[i] = d[i] * g[j]; // dL/dx = dy ⊙ gain
      }
    }
    return gradInput;
  }

  @Override
  public String typeName() {
    return "scale_shift";
  }

  @Override
  public String toString() {
    return "scale_shift(" + size + ")";
  }
}
