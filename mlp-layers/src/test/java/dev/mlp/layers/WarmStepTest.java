package dev.mlp.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Adam;
import dev.mlp.core.optim.AdamSpec;
import dev.mlp.core.optim.AdamWSpec;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.optim.RmsProp;
import dev.mlp.core.optim.RmsPropSpec;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.ScalarKernels;
import dev.mlp.core.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A warm training step allocates nothing, through every built-in activation, dropout and every
 * optimizer, with a full batch and a smaller last one taking turns (the buffers sized for the
 * largest are re-viewed).
 */
class WarmStepTest {
  static Stream<Arguments> optimizers() {
    Kernels one = ScalarKernels.INSTANCE;
    return Stream.of(
        Arguments.of("sgd", (Supplier<Optimizer>) () -> new Sgd(new SgdSpec(0.01), one)),
        Arguments.of(
            "sgd, nesterov, decay",
            (Supplier<Optimizer>) () -> new Sgd(new SgdSpec(0.01, 0.9, true, 1e-4), one)),
        Arguments.of(
            "sgd, decay only",
            (Supplier<Optimizer>) () -> new Sgd(new SgdSpec(0.01, null, null, 1e-4), one)),
        Arguments.of(
            "adam",
            (Supplier<Optimizer>) () -> new Adam(new AdamSpec(null, null, null, null, 1e-4))),
        Arguments.of(
            "adamw",
            (Supplier<Optimizer>) () -> new Adam(new AdamWSpec(null, null, null, null, null))),
        Arguments.of(
            "rmsprop",
            (Supplier<Optimizer>) () -> new RmsProp(new RmsPropSpec(null, null, null, 1e-4))));
  }

  private static Sequential everyElementwiseLayer() {
    List<LayerSpec> layers =
        List.of(
            new LinearSpec(16),
            new ReluSpec(),
            new LeakyReluSpec(0.1),
            new GeluSpec(),
            new TanhSpec(),
            new SigmoidSpec(),
            new DropoutSpec(0.2),
            new LinearSpec(4),
            new SoftmaxCrossEntropySpec());
    // the scalar kernels: the Vector API's masked tails, at widths such as 12, allocate (that is
    // the kernels' business, not the layers' or the optimizers' tested here)
    return new ModelBuilder(SeedNetworkTest.REGISTRY, ScalarKernels.INSTANCE)
        .build(new ModelSpec(null, layers), 12, 4, 3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void aWarmStepAllocatesNothing(String name, Supplier<Optimizer> optimizer) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Sequential model = everyElementwiseLayer();
    Optimizer o = optimizer.get();
    Tensor full = LayerTests.randomInput(8, 12, 1);
    Tensor last = LayerTests.randomInput(5, 12, 2);
    int[] fullLabels = {0, 1, 2, 3, 3, 2, 1, 0};
    int[] lastLabels = {1, 1, 2, 0, 3};
    Runnable steps =
        () -> {
          for (int i = 0; i < 2_000; i++) {
            boolean small = i % 2 == 1;
            model.loss().setTargets(small ? lastLabels : fullLabels);
            model.forward(small ? last : full, Mode.TRAIN);
            model.backward();
            o.setLearningRateFactor(1 - i / 4000.0); // as a schedule does before each step
            o.step(model.parameters());
          }
        };
    // Rounds until one allocates nothing: the first ones size the buffers, allocate the state and
    // run while the JIT compiles (the Vector API's routines allocate until C2 has compiled them).
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 200 && least > 0; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      steps.run();
      least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
    }
    assertThat(least).as("bytes allocated by 2,000 warm steps").isZero();
  }
}
