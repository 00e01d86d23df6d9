package dev.mlp.data.table;

import dev.mlp.core.random.Rng;
import java.util.ArrayList;
import java.util.List;

/** The train/test split of a data set of the user's: seeded, stratified for a classifier. */
public final class Splits {
  private Splits() {}

  /**
   * Splits {@code rows} into train and test, holding out {@code fraction} of them; for a classifier
   * each class in proportion (at least one test row of every class that has two). The same seed
   * gives the same rows; both parts stay in the rows' order.
   *
   * @param y each row's class (indexed by the values in {@code rows}); ignored for a regression
   * @return {train rows, test rows}
   */
  public static int[][] of(
      int[] rows, int[] y, boolean classification, double fraction, long seed) {
    Rng rng = Rng.derive(seed, "csv-split");
    int groups = 1;
    if (classification) {
      for (int r : rows) {
        groups = Math.max(groups, y[r] + 1);
      }
    }
    boolean[] held = new boolean[rows.length];
    for (int g = 0; g < groups; g++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < rows.length; i++) {
        if (!classification || y[rows[i]] == g) {
          members.add(i);
        }
      }
      int[] order = members.stream().mapToInt(Integer::intValue).toArray();
      rng.shuffle(order);
      int take = (int) Math.round(order.length * fraction);
      if (take == 0 && order.length >= 2) {
        take = 1;
      }
      for (int k = 0; k < take; k++) {
        held[order[k]] = true;
      }
    }
    int nTest = 0;
    for (boolean h : held) {
      nTest += h ? 1 : 0;
    }
    int[] train = new int[rows.length - nTest];
    int[] test = new int[nTest];
    int a = 0;
    int b = 0;
    for (int i = 0; i < rows.length; i++) {
      if (held[i]) {
        test[b++] = rows[i];
      } else {
        train[a++] = rows[i];
      }
    }
    return new int[][] {train, test};
  }
}
