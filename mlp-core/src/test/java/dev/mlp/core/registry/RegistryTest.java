package dev.mlp.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import dev.mlp.core.CoreModule;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.OptimizerSpec;
import dev.mlp.core.config.ScheduleSpec;
import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.optim.SgdSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RegistryTest {
  record OtherSgdSpec(Double lr) implements OptimizerSpec {}

  static final class PluginA extends MlpModule {
    @Override
    protected void configure() {
      optimizer("sgd", OtherSgdSpec.class, (s, k) -> new Sgd(s.lr(), k), "a second sgd");
    }
  }

  @Test
  void coreModuleRegistersSgdAndTheSeedInitializers() {
    Registry r = Guice.createInjector(new CoreModule()).getInstance(Registry.class);
    assertThat(r.names(Kind.OPTIMIZER)).contains("sgd");
    assertThat(r.names(Kind.INITIALIZER)).contains("xavier_uniform", "zeros");
    assertThat(r.optimizer(new SgdSpec(0.1), dev.mlp.core.tensor.Kernels.defaults()))
        .hasToString("sgd(lr=0.1)");
    assertThat(r.nameOf(new SgdSpec(0.1))).isEqualTo("sgd");
  }

  @Test
  void aNameRegisteredTwiceNamesBothModules() {
    assertThatThrownBy(
            () -> Guice.createInjector(new CoreModule(), new PluginA()).getInstance(Registry.class))
        .isInstanceOf(ProvisionException.class)
        .hasMessageContaining("optimizer type 'sgd' is registered twice")
        .hasMessageContaining(CoreModule.class.getName())
        .hasMessageContaining(PluginA.class.getName());
  }

  @Test
  void aSpecWithoutAFactoryIsReported() {
    Registry r = Guice.createInjector(new CoreModule()).getInstance(Registry.class);
    assertThatThrownBy(
            () -> r.optimizer(new OtherSgdSpec(0.1), dev.mlp.core.tensor.Kernels.defaults()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("no factory is registered for spec")
        .hasMessageContaining("OtherSgdSpec");
  }

  @Test
  void typeNamesMustBeSnakeCase() {
    assertThatThrownBy(
            () ->
                new Registration(
                    Kind.OPTIMIZER, "MySgd", SgdSpec.class, () -> null, "", "test.Module"))
        .hasMessageContaining("'MySgd' must be lower_snake_case");
  }

  @Test
  void registrationsAreEqualWhenEveryComponentIs() {
    com.google.inject.Provider<Object> f = () -> null;
    Registration a = new Registration(Kind.OPTIMIZER, "sgd", SgdSpec.class, f, "d", "m", "p.jar");
    Registration same =
        new Registration(Kind.OPTIMIZER, "sgd", SgdSpec.class, f, "d", "m", "p.jar");
    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    java.util.List<Registration> others =
        java.util.List.of(
            new Registration(Kind.OPTIMIZER, "sgd2", SgdSpec.class, f, "d", "m", "p.jar"),
            new Registration(Kind.OPTIMIZER, "sgd", OtherSgdSpec.class, f, "d", "m", "p.jar"),
            new Registration(Kind.OPTIMIZER, "sgd", SgdSpec.class, () -> null, "d", "m", "p.jar"),
            new Registration(Kind.OPTIMIZER, "sgd", SgdSpec.class, f, "e", "m", "p.jar"),
            new Registration(Kind.OPTIMIZER, "sgd", SgdSpec.class, f, "d", "n", "p.jar"),
            new Registration(Kind.OPTIMIZER, "sgd", SgdSpec.class, f, "d", "m", "q.jar"),
            new Registration(Kind.OPTIMIZER, "sgd", SgdSpec.class, f, "d", "m", null));
    for (Registration other : others) {
      assertThat(a).isNotEqualTo(other);
      assertThat(other).isNotEqualTo(a);
    }
    assertThat(new java.util.HashSet<>(others)).hasSize(others.size());
  }

  record ToySpec(Integer samples) implements DatasetSpec {}

  /** Built by Guice from its class, as a data set factory is. */
  public static final class ToyData implements DatasetFactory<ToySpec> {
    @Override
    public DataSplits load(ToySpec spec, Consumer<String> log) {
      log.accept("made " + spec.samples() + " samples");
      Dataset d = new Dataset("toy", new float[spec.samples() * 2], new int[spec.samples()], 2, 3);
      return new DataSplits(d, d, "none");
    }

    @Override
    public DataShape shape(ToySpec spec) {
      return new DataShape(2, 3);
    }
  }

  static final class ToyDataModule extends MlpModule {
    @Override
    protected void configure() {
      dataset("toy", ToySpec.class, ToyData.class, "a toy data set");
    }
  }

  @Test
  void aDataSetIsLoadedAndShapedByItsRegisteredFactory() throws Exception {
    Registry r =
        Guice.createInjector(new CoreModule(), new ToyDataModule()).getInstance(Registry.class);
    List<String> log = new ArrayList<>();
    DataSplits splits = r.dataset(new ToySpec(4), log::add);
    assertThat(splits.train().count()).isEqualTo(4);
    assertThat(log).containsExactly("made 4 samples");
    assertThat(r.datasetShape(new ToySpec(4))).isEqualTo(new DataShape(2, 3));
    assertThat(r.nameOf(new ToySpec(1))).isEqualTo("toy");
  }

  @Test
  void registrationsAreFoundByKindAndName() {
    Registry r =
        Guice.createInjector(new CoreModule(), new ToyDataModule()).getInstance(Registry.class);
    Registration toy = r.find(Kind.DATASET, "toy").orElseThrow();
    assertThat(toy.description()).isEqualTo("a toy data set");
    assertThat(toy.source()).isEqualTo(ToyDataModule.class.getName());
    assertThat(r.find(Kind.DATASET, "sgd")).as("another kind's name").isEmpty();
    assertThat(r.all(Kind.OPTIMIZER))
        .extracting(Registration::name)
        .containsExactly("adam", "adamw", "rmsprop", "sgd");
    assertThat(r.specTypes(Kind.DATASET)).isEqualTo(Map.of("toy", ToySpec.class));
    assertThat(r.specTypes(Kind.OPTIMIZER)).containsEntry("sgd", SgdSpec.class).hasSize(4);
  }

  @Test
  void theTwoModulesOfADuplicateAreNamedInTheirSortedOrderWhicheverCameFirst() {
    String expected =
        "optimizer type 'sgd' is registered twice: by "
            + CoreModule.class.getName()
            + " and by "
            + PluginA.class.getName();
    assertThatThrownBy(
            () -> Guice.createInjector(new PluginA(), new CoreModule()).getInstance(Registry.class))
        .hasRootCauseMessage(expected);
    assertThatThrownBy(
            () -> Guice.createInjector(new CoreModule(), new PluginA()).getInstance(Registry.class))
        .hasRootCauseMessage(expected);
  }

  @Test
  void eachKindKnowsItsSpecInterface() {
    assertThat(Kind.ofSpecBase(LayerSpec.class)).isEqualTo(Kind.LAYER);
    assertThat(Kind.ofSpecBase(OptimizerSpec.class)).isEqualTo(Kind.OPTIMIZER);
    assertThat(Kind.ofSpecBase(InitializerSpec.class)).isEqualTo(Kind.INITIALIZER);
    assertThat(Kind.ofSpecBase(DatasetSpec.class)).isEqualTo(Kind.DATASET);
    assertThat(Kind.ofSpecBase(ScheduleSpec.class)).isEqualTo(Kind.SCHEDULE);
    assertThat(Kind.ofSpecBase(String.class)).isNull();
    assertThat(Kind.SCHEDULE.label()).isEqualTo("schedule");
  }

  record OtherZerosSpec() implements InitializerSpec {}

  /** Clashes with the core on two names, as a second copy of a plugin jar clashes on all of its. */
  static final class PluginB extends MlpModule {
    @Override
    protected void configure() {
      optimizer("sgd", OtherSgdSpec.class, (s, k) -> new Sgd(s.lr(), k), "a second sgd");
      initializer("zeros", OtherZerosSpec.class, s -> null, "a second zeros");
    }
  }

  @Test
  void everyNameRegisteredTwiceIsReportedInOneLine() {
    assertThatThrownBy(
            () -> Guice.createInjector(new CoreModule(), new PluginB()).getInstance(Registry.class))
        .hasRootCauseMessage(
            "optimizer type 'sgd' is registered twice: by "
                + CoreModule.class.getName()
                + " and by "
                + PluginB.class.getName()
                + "; initializer type 'zeros' is registered twice: by "
                + CoreModule.class.getName()
                + " and by "
                + PluginB.class.getName());
  }
}
