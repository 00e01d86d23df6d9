package dev.mlp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.inject.Guice;
import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.init.Initializer;
import dev.mlp.core.init.InitializerSpecs;
import dev.mlp.core.init.XavierUniformSpec;
import dev.mlp.core.init.ZerosSpec;
import dev.mlp.core.optim.AdamSpec;
import dev.mlp.core.optim.AdamWSpec;
import dev.mlp.core.optim.RmsPropSpec;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.Kind;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.schedule.ScheduleSpecs;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer, initializer and schedule the core registers, built by its name's spec. The
 * registry is built in each test: a registry kept in a static field would be built once per JVM,
 * and a mutation test could not see a registration go missing.
 */
class CoreModuleTest {
  private static Registry registry() {
    return Guice.createInjector(new CoreModule()).getInstance(Registry.class);
  }

  @Test
  void theFourOptimizersAreRegisteredAndBuiltByTheirSpecs() {
    Registry r = registry();
    assertThat(r.names(Kind.OPTIMIZER)).containsExactly("adam", "adamw", "rmsprop", "sgd");
    Kernels k = Kernels.defaults();
    assertThat(r.optimizer(new SgdSpec(0.5, 0.9, true, null), k))
        .hasToString("sgd(lr=0.5, momentum=0.9, nesterov)");
    assertThat(r.optimizer(new AdamSpec(null, null, null, null, null), k))
        .hasToString("adam(lr=0.001, betas=(0.9, 0.999))");
    assertThat(r.optimizer(new AdamWSpec(null, null, null, null, null), k))
        .hasToString("adamw(lr=0.001, betas=(0.9, 0.999), weight_decay=0.01)");
    assertThat(r.optimizer(new RmsPropSpec(null, null, null, null), k))
        .hasToString("rmsprop(lr=0.01, alpha=0.99)");
  }

  @Test
  void theSevenInitializersAreRegisteredAndBuiltByTheirSpecs() {
    Registry r = registry();
    assertThat(r.names(Kind.INITIALIZER))
        .containsExactly(
            "constant",
            "he_normal",
            "he_uniform",
            "lecun_normal",
            "xavier_normal",
            "xavier_uniform",
            "zeros");
    assertThat(r.initializer(new XavierUniformSpec(2.0))).hasToString("xavier_uniform(gain=2.0)");
    assertThat(r.initializer(new ZerosSpec())).hasToString("zeros");
    assertThat(r.initializer(new InitializerSpecs.Constant(0.5))).hasToString("constant(0.5)");
    assertThat(r.initializer(new InitializerSpecs.XavierNormal(null))).hasToString("xavier_normal");
    assertThat(r.initializer(new InitializerSpecs.XavierNormal(3.0)))
        .hasToString("xavier_normal(gain=3.0)");
    assertThat(r.initializer(new InitializerSpecs.HeUniform()))
        .hasToString("he_uniform(gain=" + Math.sqrt(2) + ")");
    assertThat(r.initializer(new InitializerSpecs.HeNormal()))
        .hasToString("he_normal(gain=" + Math.sqrt(2) + ")");
    assertThat(r.initializer(new InitializerSpecs.LecunNormal())).hasToString("lecun_normal");
  }

  /** Variance and largest magnitude of 64 × 256 values drawn by {@code spec}. */
  private static double[] draw(Registry r, InitializerSpec spec) {
    Initializer init = r.initializer(spec);
    Tensor w = new Tensor(64, 256);
    init.initialize(w, 256, 64, new Rng(7));
    double sq = 0;
    double max = 0;
    for (float v : w.data()) {
      sq += (double) v * v;
      max = Math.max(max, Math.abs(v));
    }
    return new double[] {sq / w.size(), max};
  }

  @Test
  void eachInitializerDrawsWithItsVarianceAndShape() {
    Registry r = registry();
    double he = 2.0 / 256;
    double[] heUniform = draw(r, new InitializerSpecs.HeUniform());
    assertThat(heUniform[0]).isCloseTo(he, within(he * 0.05));
    assertThat(heUniform[1]).isLessThanOrEqualTo(Math.sqrt(3 * he));
    double[] heNormal = draw(r, new InitializerSpecs.HeNormal());
    assertThat(heNormal[0]).isCloseTo(he, within(he * 0.05));
    assertThat(heNormal[1]).as("a normal's tail").isGreaterThan(Math.sqrt(3 * he));
    double lecun = 1.0 / 256;
    assertThat(draw(r, new InitializerSpecs.LecunNormal())[0])
        .isCloseTo(lecun, within(lecun * 0.05));
    double glorot = 2.0 / (256 + 64);
    assertThat(draw(r, new InitializerSpecs.XavierNormal(null))[0])
        .isCloseTo(glorot, within(glorot * 0.05));
  }

  @Test
  void theFourSchedulesAreRegisteredAndBuiltByTheirSpecs() {
    Registry r = registry();
    assertThat(r.names(Kind.SCHEDULE)).containsExactly("constant", "cosine", "exponential", "step");
    assertThat(r.schedule(new ScheduleSpecs.Constant(null)).factor(3, 10)).isEqualTo(1.0);
    assertThat(r.schedule(new ScheduleSpecs.Step(1.0, 0.5, null)).factor(2, 10)).isEqualTo(0.25);
    assertThat(r.schedule(new ScheduleSpecs.Exponential(0.5, null)).factor(3, 10)).isEqualTo(0.125);
    assertThat(r.schedule(new ScheduleSpecs.Cosine(null, null)).factor(5, 10))
        .isCloseTo(0.5, within(1e-12));
  }
}
