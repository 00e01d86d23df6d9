package dev.mlp.run.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A new row's cells are read as training read the table's: the same numbers, the same gaps. */
class TableInputTest {
  private static final String PREP =
      "{\"format\":\"mlp-table/1\",\"label\":\"y\",\"task\":\"classification\","
          + "\"classes\":[\"x\",\"y\"],\"missing\":\"%s\",\"normalize\":\"none\",\"ignored\":[],"
          + "\"columns\":[{\"name\":\"a\",\"kind\":\"numeric\",\"center\":0.0,\"scale\":1.0,"
          + "\"fill\":7.0}]}";

  private static TableInput input(String missing) throws Exception {
    return TableInput.parse(String.format(PREP, missing), "m.safetensors");
  }

  @Test
  void javaOnlyNumberFormsAreRefusedAsTrainingRefusesThem() throws Exception {
    TableInput t = input("error");
    assertThat(t.features(Map.of("a", "2.5e1"), "r.csv:2")).containsExactly(25f);
    for (String s : new String[] {"0x1p3", "1.5f", "2d", "1_000"}) {
      assertThatThrownBy(() -> t.features(Map.of("a", s), "r.csv:2"))
          .hasMessage("r.csv:2: column 'a': expected a number, got '" + s + "'");
    }
    assertThatThrownBy(() -> t.features(Map.of("a", "-infinity"), "r.csv:2"))
        .hasMessage("r.csv:2: column 'a': -infinity is not a finite number");
  }

  @Test
  void nullAndNSlashAAreGapsAsInTrainingAndTheCellIsQuoted() throws Exception {
    TableInput strict = input("error");
    assertThatThrownBy(() -> strict.features(Map.of("a", "null"), "r.csv:3"))
        .hasMessage(
            "r.csv:3: column 'a' has no value ('null'); the model was trained without gaps");
    assertThatThrownBy(() -> strict.features(Map.of("a", ""), "r.csv:3"))
        .hasMessage("r.csv:3: column 'a' has no value; the model was trained without gaps");
    TableInput mean = input("mean");
    assertThat(mean.features(Map.of("a", "N/A"), "r.csv:3")).containsExactly(7f);
    assertThat(mean.features(Map.of("a", "null"), "r.csv:3")).containsExactly(7f);
  }
}
