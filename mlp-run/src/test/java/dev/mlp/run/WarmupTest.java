package dev.mlp.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.core.data.DataShape;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.config.LoadedConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up that trains a copy of the model while the data set is read. */
class WarmupTest {
  private static LoadedConfig config(String text) throws Exception {
    return new ConfigLoader(TinyRuns.REGISTRY).load(text, Path.of("tiny.yaml"), List.of());
  }

  @Test
  void itRunsItsStepsAndEndsWhenStopped() throws Exception {
    Warmup w = Warmup.start(TinyRuns.REGISTRY, config(TinyRuns.CONFIG), new DataShape(4, 3));
    w.stop();
    w.awaitEnd(); // stop() waits 2 s at most; a busy machine may need longer
    assertThat(w.steps()).isBetween(Warmup.MIN_STEPS, Warmup.MAX_STEPS);
  }

  @Test
  void withoutAShapeOrForABigModelThereIsNone() throws Exception {
    assertThat(Warmup.start(TinyRuns.REGISTRY, config(TinyRuns.CONFIG), null))
        .isSameAs(Warmup.NONE);
    // 4 inputs → 1,000,000 units → 3: 8 M parameters, 128 MB with gradients and adam: not copied
    String big = TinyRuns.CONFIG.replace("units: 6", "units: 1000000");
    assertThat(Warmup.start(TinyRuns.REGISTRY, config(big), new DataShape(4, 3)))
        .isSameAs(Warmup.NONE);
    Warmup.NONE.stop(); // nothing to stop
    assertThat(Warmup.NONE.steps()).isZero();
  }

  /** A model the warm-up cannot train (here: the wrong number of classes) only warms less. */
  @Test
  void aWarmupThatFailsEndsQuietly() throws Exception {
    Warmup w = Warmup.start(TinyRuns.REGISTRY, config(TinyRuns.CONFIG), new DataShape(4, 7));
    w.stop();
    w.awaitEnd();
    assertThat(w.steps()).isZero();
  }
}
