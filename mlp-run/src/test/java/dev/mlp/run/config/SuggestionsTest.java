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

  @Test
  void aNameIsSuggestedUpToHalfItsLengthInEditsAway() {
    // relu: 4 letters, so 2 edits at most
    assertThat(Suggestions.closest("rexx", List.of("relu"))).isEqualTo("relu");
    assertThat(Suggestions.closest("rxxx", List.of("relu"))).isNull();
    // a one-letter name is suggested one edit away
    assertThat(Suggestions.closest("y", List.of("x"))).isEqualTo("x");
    // the first of equally close names
    assertThat(Suggestions.closest("tanh", List.of("tan", "tank"))).isEqualTo("tan");
    // a prefix of three letters or more, else nothing
    assertThat(Suggestions.closest("sof", List.of("relu", "softmax_cross_entropy")))
        .isEqualTo("softmax_cross_entropy");
    assertThat(Suggestions.closest("so", List.of("relu", "softmax_cross_entropy"))).isNull();
    assertThat(Suggestions.closest("relu", List.of())).isNull();
    assertThat(Suggestions.didYouMean("conv", List.of("linear"))).isEmpty();
  }

  @Test
  void theDistanceCountsInsertionsDeletionsSubstitutionsAndSwapsOnce() {
    assertThat(Suggestions.distance("relu", "relu")).isZero();
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    assertThat(Suggestions.distance("abc", "")).isEqualTo(3);
    assertThat(Suggestions.distance("abc", "abd")).isEqualTo(1);
    assertThat(Suggestions.distance("abc", "ac")).isEqualTo(1);
    assertThat(Suggestions.distance("ac", "abc")).isEqualTo(1);
    assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
    assertThat(Suggestions.distance("sigmiod", "sigmoid")).isEqualTo(1);
    assertThat(Suggestions.distance("ab", "cd")).isEqualTo(2);
    assertThat(Suggestions.distance("abc", "bca")).isEqualTo(2);
    assertThat(Suggestions.distance("ca", "abc")).isEqualTo(3); // optimal string alignment
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
  }
}
