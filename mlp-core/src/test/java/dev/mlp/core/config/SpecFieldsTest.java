package dev.mlp.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/** The default a config reader fills into a primitive spec field that a config leaves out. */
class SpecFieldsTest {
  record Primitives(
      @Field(value = "d", fallback = "1e-5") double d,
      @Field(value = "f", fallback = " 0.25 ") float f,
      @Field(value = "i", fallback = "32") int i,
      @Field(value = "l", fallback = "-7") long l,
      @Field(value = "b", fallback = "false") boolean b,
      @Field("required, said once") int required,
      long undocumented,
      @Field(value = "boxed", fallback = "inferred from the data") Double boxed) {}

  private static RecordComponent component(String name) {
    for (RecordComponent c : Primitives.class.getRecordComponents()) {
      if (c.getName().equals(name)) {
        return c;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void aDocumentedFallbackIsReadAsTheFieldsType() {
    assertThat(SpecFields.defaultOf(component("d"))).isEqualTo(1e-5);
    assertThat(SpecFields.defaultOf(component("f"))).isEqualTo(0.25f);
    assertThat(SpecFields.defaultOf(component("i"))).isEqualTo(32);
    assertThat(SpecFields.defaultOf(component("l"))).isEqualTo(-7L);
    assertThat(SpecFields.defaultOf(component("b"))).isEqualTo(false);
  }

  @Test
  void aPrimitiveWithoutAFallbackIsRequiredAndABoxedFieldIsLeftToItsConstructor() {
    assertThat(SpecFields.defaultOf(component("required"))).isNull();
    assertThat(SpecFields.defaultOf(component("undocumented"))).isNull();
    assertThat(SpecFields.defaultOf(component("boxed"))).isNull();
    assertThatCode(() -> SpecFields.check(Primitives.class)).doesNotThrowAnyException();
  }

  record IntWithADecimal(@Field(value = "groups", fallback = "1.5") int groups) {}

  record BooleanInWords(@Field(value = "affine", fallback = "yes") boolean affine) {}

  record Shorts(short s) {}

  @Test
  void aFallbackThatIsNotOfTheFieldsTypeIsRefusedSayingWhatToWrite() {
    assertThatThrownBy(() -> SpecFields.check(IntWithADecimal.class))
        .hasMessage(
            "spec "
                + IntWithADecimal.class.getName()
                + ": field groups is a primitive int, so a config that leaves it out gets its"
                + " @Field fallback, but \"1.5\" is not an int; write one there (e.g. fallback ="
                + " \"1\"), or declare the field Integer and fill the default in the constructor");
    assertThatThrownBy(() -> SpecFields.check(BooleanInWords.class))
        .hasMessageContaining("\"yes\" is not a boolean")
        .hasMessageContaining("fallback = \"false\"")
        .hasMessageContaining("declare the field Boolean");
    assertThatThrownBy(() -> SpecFields.check(Shorts.class))
        .hasMessageEndingWith(
            "field s is a short, which a config cannot hold; declare it int, long, double,"
                + " boolean or String");
  }
}
