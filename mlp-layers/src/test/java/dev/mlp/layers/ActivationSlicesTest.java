package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import dev.mlp.core.CoreModule;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.parallel.WorkerPool;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.ParallelKernels;
import dev.mlp.core.tensor.Tensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Activations cut a large batch between the model's threads: the cut must not change a bit of the
 * output or the input gradient, and the layers built from a config must be given the model's
 * kernels (or an evaluation's 1,000-row batches stay on one thread).
 */
class ActivationSlicesTest {
  static final WorkerPool TWO = new WorkerPool(2);
  static final WorkerPool THREE = new WorkerPool(3);

  @AfterAll
  static void stop() {
    TWO.close();
    THREE.close();
  }

  /** Serial kernels that cut element-wise work into uneven slices, counting the calls. */
  static final class Cutting implements Kernels {
    final AtomicInteger calls = new AtomicInteger();
    private final Kernels serial = Kernels.defaults();

    @Override
    public void matmul(float[] a, float[] b, float[] c, int m, int n, int k) {
      serial.matmul(a, b, c, m, n, k);
    }

    @Override
    public void matmulTransA(float[] a, float[] b, float[] c, int m, int n, int k) {
      serial.matmulTransA(a, b, c, m, n, k);
    }

    @Override
    public void matmulTransB(float[] a, float[] b, float[] bias, float[] c, int m, int n, int k) {
      serial.matmulTransB(a, b, bias, c, m, n, k);
    }

    @Override
    public void slices(int n, Slice slice) {
      calls.incrementAndGet();
      // uneven cuts at multiples of 64, last first: 0 … 64, then the rest in two
      int a = Math.min(n, 64);
      int b = Math.min(n, a + (n - a) / 3 / 64 * 64);
      slice.run(b, n);
      slice.run(0, a);
      slice.run(a, b);
    }
  }

  static List<Layer> activations(Kernels k, int width) {
    return List.of(
        new Sigmoid(width, k),
        new Relu(width, k),
        new Tanh(width, k),
        new LeakyRelu(width, 0.1, k),
        new Gelu(width, k));
  }

  @Test
  void aBatchCutBetweenThreadsGivesTheSameBitsForwardAndBackward() {
    // 1,000 × 128 (an evaluation's batch of the seed), and a width that is no multiple of 64
    for (int[] shape : new int[][] {{1000, 128}, {129, 131}, {32, 128}}) {
      int rows = shape[0];
      int width = shape[1];
      Tensor x = LayerTests.randomInput(rows, width, 7);
      Tensor dy = LayerTests.randomInput(rows, width, 8);
      List<Layer> one = activations(Kernels.defaults(), width);
      for (Kernels k :
          new Kernels[] {new ParallelKernels(TWO), new ParallelKernels(THREE), new Cutting()}) {
        List<Layer> cut = activations(k, width);
        for (int i = 0; i < one.size(); i++) {
          float[] y1 = one.get(i).forward(x, Mode.TRAIN).data().clone();
          float[] dx1 = one.get(i).backward(dy).data().clone();
          float[] y2 = cut.get(i).forward(x, Mode.TRAIN).data().clone();
          float[] dx2 = cut.get(i).backward(dy).data().clone();
          String what = cut.get(i) + " on " + rows + "×" + width + " with " + k;
          assertThat(y2).as("forward, " + what).isEqualTo(y1);
          assertThat(dx2).as("backward, " + what).isEqualTo(dx1);
        }
      }
    }
  }

  @Test
  void activationsBuiltFromAConfigUseTheModelsKernels() {
    Registry registry =
        Guice.createInjector(new CoreModule(), new LayersModule()).getInstance(Registry.class);
    Cutting kernels = new Cutting();
    List<LayerSpec> layers =
        List.of(
            new SigmoidSpec(),
            new ReluSpec(),
            new TanhSpec(),
            new LeakyReluSpec(0.2),
            new GeluSpec(),
            new LinearSpec(3),
            new SoftmaxCrossEntropySpec());
    Sequential model =
        new ModelBuilder(registry, kernels).build(new ModelSpec(null, layers), 6, 3, 1);
    model.forward(LayerTests.randomInput(4, 6, 1), Mode.TRAIN);
    assertThat(kernels.calls).as("one forward pass through 5 activations").hasValue(5);
  }
}
