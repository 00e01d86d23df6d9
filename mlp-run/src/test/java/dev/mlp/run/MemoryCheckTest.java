package dev.mlp.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.run.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimate is exact arithmetic on the config, so it is checked by hand. */
class MemoryCheckTest {
  private static final Path SEED = Path.of("../configs/mnist-2layer.yaml");

  private static ExperimentConfig seed(String... sets) throws Exception {
    List<ConfigLoader.Override> o =
        java.util.Arrays.stream(sets).map(ConfigLoader.Override::parse).toList();
    return new ConfigLoader(Modules.registry()).load(SEED, o).config();
  }

  @Test
  void theSeedModelIsCountedLayerByLayer() throws Exception {
    ExperimentConfig cfg = seed();
    MemoryCheck.Estimate train = MemoryCheck.estimate(cfg, 784, true);
    long params = 784 * 128 + 128 + 128 * 10 + 10;
    assertThat(train.parameters()).isEqualTo(params);
    assertThat(train.biggestLayer()).isZero();
    assertThat(train.biggestParameters()).isEqualTo(784 * 128 + 128);
    // widths: input 784, linear 128, sigmoid 128, linear 10, loss 10
    long widths = 784 + 128 + 128 + 10 + 10;
    int batch = cfg.training().batchSize();
    int eval = cfg.training().evalBatchSize();
    // plain SGD keeps no state: value and gradient per parameter
    // plus the weight gradient's packed copy of the widest input (784 columns), twice
    assertThat(train.bytes())
        .isEqualTo(4 * (params * 2 + widths * (3L * batch + 2L * eval) + 2L * 784 * batch));
    MemoryCheck.Estimate use = MemoryCheck.estimate(cfg, 784, false);
    assertThat(use.bytes()).isEqualTo(4 * (params * 3 + widths * 2L * eval));
  }

  @Test
  void theOptimizersStateCounts() throws Exception {
    long plain = MemoryCheck.estimate(seed(), 784, true).bytes();
    long momentum = MemoryCheck.estimate(seed("optimizer.momentum=0.9"), 784, true).bytes();
    long adam = MemoryCheck.estimate(seed("optimizer={type: adam}"), 784, true).bytes();
    long params = 784 * 128 + 128 + 128 * 10 + 10;
    assertThat(momentum - plain).isEqualTo(4 * params);
    assertThat(adam - plain).isEqualTo(8 * params);
  }

  @Test
  void aModelThatFitsIsNotRefusedAndAMillionUnitsAre() throws Exception {
    assertThat(MemoryCheck.refusal(seed(), 784, true)).isNull();
    ExperimentConfig huge = seed("model.layers[0].units=1048576", "model.layers[2].units=1048576");
    // 784·2²⁰ + 2²⁰ + 2²⁰·2²⁰ + 2²⁰ parameters: more than any JVM here may use
    assertThat(MemoryCheck.refusal(huge, 784, true))
        .startsWith("the model needs about ")
        .contains("1,100,335,808,512 parameters, 1,099,512,676,352 of them in model.layers[2]")
        .contains("make it smaller");
    assertThat(MemoryCheck.path(huge, 784)).isEqualTo("model.layers[2]");
  }

  /**
   * Garbage not yet collected is not memory in use: a model that fits once it is collected is not
   * refused (on -Xmx100m, the garbage MNIST's reading left behind refused the seed now and then).
   */
  @Test
  void garbageDoesNotCountAgainstAModel() throws Exception {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    // a hidden layer sized so that the model needs about 200 MB less than the heap has free
    long perUnit =
        MemoryCheck.estimate(seed("model.layers[0].units=2000"), 784, true).bytes()
            - MemoryCheck.estimate(seed("model.layers[0].units=1000"), 784, true).bytes();
    long base = MemoryCheck.estimate(seed("model.layers[0].units=1000"), 784, true).bytes();
    long units = 1000 + 1000 * (free - (200L << 20) - base) / perUnit;
    assumeTrue(units > 1000 && units < Integer.MAX_VALUE, "a heap this size leaves no room");
    ExperimentConfig cfg = seed("model.layers[0].units=" + units);
    long needs = MemoryCheck.estimate(cfg, 784, true).bytes();
    // 400 MB of garbage: more than the 200 MB the model leaves, all of it collectable
    List<byte[]> garbage = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      garbage.add(new byte[1 << 20]);
    }
    garbage = null;
    long looksFree = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    assumeTrue(looksFree < needs, "the JVM collected the garbage before the check could see it");
    assertThat(MemoryCheck.refusal(cfg, 784, true)).isNull();
  }
}
