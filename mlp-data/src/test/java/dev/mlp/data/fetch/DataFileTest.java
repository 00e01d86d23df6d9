package dev.mlp.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A data set's file list is code, but a typo in a checksum or size must fail at once, named. */
class DataFileTest {
  private static final String SHA = "0123456789abcdef".repeat(4);

  @Test
  void aChecksumThatIsNot64LowerCaseHexDigitsIsRefusedNamingTheFile() {
    assertThatThrownBy(() -> new DataFile("train-images", SHA.toUpperCase(), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("train-images: sha256 must be 64 lower-case hex digits");
    assertThatThrownBy(() -> new DataFile("train-images", SHA.substring(1), 10))
        .hasMessage("train-images: sha256 must be 64 lower-case hex digits");
  }

  @Test
  void theSizeMustBeAtLeastOneByte() {
    assertThatThrownBy(() -> new DataFile("labels", SHA, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labels: size must be positive");
    assertThat(new DataFile("labels", SHA, 1).size()).isEqualTo(1);
  }
}
