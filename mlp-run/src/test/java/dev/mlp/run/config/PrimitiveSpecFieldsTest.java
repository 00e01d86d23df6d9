package dev.mlp.run.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.registry.MlpModule;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.registry.RegistryException;
import dev.mlp.run.Modules;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plugin's spec may declare primitive fields: left out, one with a documented default gets it
 * (what {@code mlp layers} shows), one without is required; a default that is not a value of the
 * field's type is refused when the plugin loads.
 */
class PrimitiveSpecFieldsTest {
  /** A plugin spec written with primitives. */
  public record NormSpec(
      @Field(value = "added to the variance", fallback = "1e-5") double eps,
      @Field("number of groups") int groups,
      @Field(value = "learn a scale and shift", fallback = "true") boolean affine,
      @Field(value = "running-average weight", fallback = "0.1") float momentum,
      long seedOffset)
      implements LayerSpec {
    public NormSpec {
      if (!(eps > 0)) {
        throw new IllegalArgumentException("eps must be positive, got " + eps);
      }
    }
  }

  static final class NormModule extends MlpModule {
    @Override
    protected void configure() {
      layer("norm", NormSpec.class, (spec, ctx) -> null, "a normalisation");
    }
  }

  static final Registry REGISTRY = Modules.registry(List.of(new NormModule()));

  private static NormSpec norm(String fields) throws ConfigException {
    String yaml =
        "data: {type: mnist}\n"
            + "optimizer: {type: sgd, lr: 0.1}\n"
            + "model:\n"
            + "  layers:\n"
            + "    - {type: linear, units: 10}\n"
            + "    - "
            + fields
            + "\n"
            + "    - {type: softmax_cross_entropy}\n";
    return (NormSpec)
        new ConfigLoader(REGISTRY)
            .load(yaml, Path.of("norm.yaml"), List.of())
            .config()
            .model()
            .layers()
            .get(1);
  }

  private static String error(String fields) {
    try {
      norm(fields);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return e.getMessage();
    }
    throw new AssertionError("expected a config error for " + fields);
  }

  @Test
  void aLeftOutPrimitiveGetsTheDefaultItsFieldDocuments() throws ConfigException {
    assertThat(norm("{type: norm, groups: 4, seed_offset: 0}"))
        .isEqualTo(new NormSpec(1e-5, 4, true, 0.1f, 0));
  }

  @Test
  void aNullPrimitiveGetsItsDefaultAsANullBoxedFieldDoes() throws ConfigException {
    assertThat(norm("{type: norm, groups: 4, seed_offset: 0, eps: null, affine: null}"))
        .isEqualTo(new NormSpec(1e-5, 4, true, 0.1f, 0));
  }

  @Test
  void givenPrimitivesAreReadAndCheckedByTheConstructor() throws ConfigException {
    assertThat(
            norm(
                "{type: norm, eps: 0.5, groups: 2, affine: false, momentum: 0.25, seed_offset: 9}"))
        .isEqualTo(new NormSpec(0.5, 2, false, 0.25f, 9));
    assertThat(error("{type: norm, eps: 0, groups: 2, seed_offset: 0}"))
        .isEqualTo("norm.yaml:6:20: model.layers[1].eps: eps must be positive, got 0.0");
    assertThat(error("{type: norm, eps: tiny, groups: 2, seed_offset: 0}"))
        .isEqualTo(
            "norm.yaml:6:20: model.layers[1].eps: expected a number, got the string \"tiny\"");
  }

  @Test
  void aLeftOutPrimitiveWithoutADefaultIsRequired() {
    assertThat(error("{type: norm, seed_offset: 0}"))
        .isEqualTo("norm.yaml:6:7: model.layers[1]: groups is required (number of groups)");
    assertThat(error("{type: norm, groups: 3}"))
        .isEqualTo("norm.yaml:6:7: model.layers[1]: seed_offset is required");
    assertThat(error("norm")).endsWith("model.layers[1]: groups is required (number of groups)");
  }

  /** A fallback that is prose, not a number: nothing mlp could fill in. */
  public record ProseSpec(@Field(value = "added to the variance", fallback = "tiny") double eps)
      implements LayerSpec {}

  public record CharSpec(@Field("a separator") char separator) implements LayerSpec {}

  @Test
  void aPrimitiveWhoseDefaultIsNotOfItsTypeIsRefusedWhenThePluginLoads() {
    MlpModule prose =
        new MlpModule() {
          @Override
          protected void configure() {
            layer("prose", ProseSpec.class, (spec, ctx) -> null, "");
          }
        };
    assertThatThrownBy(() -> Modules.registry(List.of(prose)))
        .isInstanceOf(RegistryException.class)
        .hasMessage(
            prose.source()
                + ": spec "
                + ProseSpec.class.getName()
                + ": field eps is a primitive double, so a config that leaves it out gets its"
                + " @Field fallback, but \"tiny\" is not a double; write one there (e.g. fallback ="
                + " \"1e-5\"), or declare the field Double and fill the default in the"
                + " constructor");
  }

  @Test
  void aPrimitiveAConfigCannotHoldIsRefusedWhenThePluginLoads() {
    MlpModule chars =
        new MlpModule() {
          @Override
          protected void configure() {
            layer("chars", CharSpec.class, (spec, ctx) -> null, "");
          }
        };
    assertThatThrownBy(() -> Modules.registry(List.of(chars)))
        .isInstanceOf(RegistryException.class)
        .hasMessageEndingWith(
            ": field separator is a char, which a config cannot hold; declare it int, long,"
                + " double, boolean or String");
  }

  @Test
  void primitivesAreWrittenBackAsTheConfigLoaderReadsThem() throws ConfigException {
    String yaml =
        "data: {type: mnist}\n"
            + "optimizer: {type: sgd, lr: 0.1}\n"
            + "model:\n"
            + "  layers:\n"
            + "    - {type: linear, units: 10}\n"
            + "    - {type: norm, groups: 4, seed_offset: 7, momentum: 0.25}\n"
            + "    - {type: softmax_cross_entropy}\n";
    var config = new ConfigLoader(REGISTRY).load(yaml, Path.of("norm.yaml"), List.of()).config();
    String written = new ConfigWriter(REGISTRY).toYaml(config);
    assertThat(written)
        .contains(
            "  - type: norm\n"
                + "    eps: 1.0E-5\n"
                + "    groups: 4\n"
                + "    affine: true\n"
                + "    momentum: 0.25\n"
                + "    seed_offset: 7\n");
    assertThat(new ConfigLoader(REGISTRY).load(written, Path.of("w.yaml"), List.of()).config())
        .isEqualTo(config);
  }
}
