package dev.mlp.run.config;

import java.util.Collection;

/** "did you mean ...?" by edit distance. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The closest candidate within an edit distance of half its length, else one the word is a prefix
   * of (e.g. softmax → softmax_cross_entropy), else null.
   */
  public static String closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String w = word.toLowerCase(java.util.Locale.ROOT);
    for (String c : candidates) {
      int d = distance(w, c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    if (best != null && bestDistance <= Math.max(1, best.length() / 2)) {
      return best;
    }
    if (w.length() >= 3) {
      for (String c : candidates) {
        if (c.toLowerCase(java.util.Locale.ROOT).startsWith(w)) {
          return c;
        }
      }
    }
    return null;
  }

  /** "; did you mean 'x'?" or the empty string. */
  public static String didYouMean(String word, Collection<String> candidates) {
    String c = closest(word, candidates);
    return c == null ? "" : "; did you mean '" + c + "'?";
  }

  /** Damerau–Levenshtein distance (optimal string alignment): transpositions count once. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
