package dev.mlp.run.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void suggestsCloseNamesOnly() {
    List<String> known = List.of("linear", "sigmoid", "softmax_cross_entropy");
    assertThat(Suggestions.closest("sigmiod", known)).isEqualTo("sigmoid");
    assertThat(Suggestions.closest("Linear", known)).isEqualTo("linear");
    assertThat(Suggestions.closest("softmax", known)).isEqualTo("softmax_cross_entropy");
    assertThat(Suggestions.closest("relu", known)).isNull();
    assertThat(Suggestions.closest("conv2d", known)).isNull();
    assertThat(Suggestions.didYouMean("lnear", known)).isEqualTo("; did you mean 'linear'?");
  }
}
