package dev.mlp.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import dev.mlp.core.CoreModule;
import dev.mlp.core.config.OptimizerSpec;
import dev.mlp.core.optim.Sgd;
import dev.mlp.core.optim.SgdSpec;
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
}
