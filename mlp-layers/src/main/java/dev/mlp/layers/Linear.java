package dev.mlp.layers;

import dev.mlp.core.config.SpecException;
import dev.mlp.core.init.Initializer;
import dev.mlp.core.init.XavierUniformSpec;
import dev.mlp.core.init.ZerosSpec;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.LayerContext;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import java.util.List;

/**
 * Fully connected: Y = X · W + b. The weight is stored as [in, out] — the transpose of the seed's
 * and PyTorch's [out, in] — so the forward product and the weight gradient both stream contiguous
 * rows of length {@code out}. Export to other tools transposes it back.
 */
public final class Linear implements Layer {
  private final int in;
  private final int out;
  private final Parameter weight;
  private final Parameter bias;
  private final Kernels kernels;
  private boolean inputGradientNeeded = true;

  private Tensor input;
  private Tensor output;
  private Tensor gradInput;

  public Linear(int in, int out, Kernels kernels) {
    this.in = in;
    this.out = out;
    this.kernels = kernels;
    this.weight = new Parameter("weight", new Tensor(in, out));
    this.bias = new Parameter("bias", new Tensor(1, out));
  }

  /** Builds from a spec: checks a declared input width against the inferred one, initialises. */
  static Linear create(LinearSpec spec, LayerContext ctx) {
    if (spec.inputs() != null && spec.inputs() != ctx.inputSize()) {
      throw new SpecException(
          ctx.path() + ".inputs",
          "linear expects "
              + spec.inputs()
              + " inputs but the previous layer gives "
              + ctx.inputSize());
    }
    Linear layer = new Linear(ctx.inputSize(), spec.units(), ctx.kernels());
    layer.initialize(
        ctx.initializer(spec.init(), new XavierUniformSpec()),
        ctx.initializer(spec.biasInit(), new ZerosSpec()),
        ctx.rng());
    return layer;
  }

  public void initialize(Initializer weights, Initializer biases, Rng rng) {
    weights.initialize(weight.value(), in, out, rng);
    biases.initialize(bias.value(), in, out, rng);
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int outputSize() {
    return out;
  }

  @Override
  public Tensor forward(Tensor x, Mode mode) {
    int n = x.rows();
    input = x;
    output = Tensor.reuse(output, n, out);
    // Y = X · W + b
    kernels.matmul(x.data(), weight.value().data(), bias.value().data(), output.data(), n, out, in);
    return output;
  }

  @Override
  public Tensor backward(Tensor dy) {
    int n = dy.rows();
    // dW = Xᵀ · dY
    kernels.matmulTransA(input.data(), dy.data(), weight.grad().data(), in, out, n);
    // db = Σ_rows dY
    float[] db = bias.grad().data();
    float[] g = dy.data();
    java.util.Arrays.fill(db, 0f);
    for (int r = 0; r < n; r++) {
      int base = r * out;
      for (int j = 0; j < out; j++) {
        db[j] += g[base + j];
      }
    }
    if (!inputGradientNeeded) {
      return null;
    }
    // dX = dY · Wᵀ
    gradInput = Tensor.reuse(gradInput, n, in);
    kernels.matmulTransB(g, weight.value().data(), gradInput.data(), n, in, out);
    return gradInput;
  }

  @Override
  public List<Parameter> parameters() {
    return List.of(weight, bias);
  }

  @Override
  public void setInputGradientNeeded(boolean needed) {
    this.inputGradientNeeded = needed;
  }

  @Override
  public long multiplyAddsPerSample() {
    return (long) in * out;
  }

  @Override
  public String typeName() {
    return "linear";
  }

  @Override
  public String toString() {
    return "linear(" + in + " → " + out + ")";
  }
}
