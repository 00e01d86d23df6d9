package dev.mlp.core.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RngTest {
  @Test
  void sameSeedGivesTheSameStream() {
    Rng a = new Rng(7);
    Rng b = new Rng(7);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }
  }

  @Test
  void streamIsFixedAcrossVersionsOfTheCode() {
    // SplitMix64 with seed 0: the published first output of the reference implementation
    assertThat(new Rng(0).nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
  }

  @Test
  void derivedStreamsDifferByPurposeAndIndexAndRepeat() {
    long a = Rng.derive(42, "shuffle", 1).nextLong();
    assertThat(Rng.derive(42, "shuffle", 1).nextLong()).isEqualTo(a);
    assertThat(Rng.derive(42, "shuffle", 2).nextLong()).isNotEqualTo(a);
    assertThat(Rng.derive(42, "init", 1).nextLong()).isNotEqualTo(a);
    assertThat(Rng.derive(43, "shuffle", 1).nextLong()).isNotEqualTo(a);
  }

  @Test
  void derivedStreamsAreFixedAcrossVersionsOfTheCode() {
    // every shuffle, initial weight and dropout mask of a run comes from a derived stream: a
    // change here would change every result, and a checkpoint would resume into another run
    assertThat(Rng.derive(42, "shuffle", 3).nextLong()).isEqualTo(0x286C5740A2F9D453L);
    assertThat(Rng.derive(42, "init", 0, 1).nextLong()).isEqualTo(0x7F6EA124ADEEFF04L);
    assertThat(Rng.derive(7, "validation").nextLong()).isEqualTo(0x64D1989A0DC7B4F6L);
    assertThat(Rng.derive(7, "é").nextLong()).as("UTF-8 bytes").isEqualTo(0x19888BCAED5E34B1L);
  }

  @Test
  void nextIntAndShuffleAreFixedAcrossVersionsOfTheCode() {
    Rng rng = new Rng(11);
    int[] draws = new int[8];
    for (int i = 0; i < draws.length; i++) {
      draws[i] = rng.nextInt(1_610_612_736); // 1.5·2^30: a quarter of the draws are rejected
    }
    assertThat(draws)
        .containsExactly(
            509347246,
            422568654,
            812737785,
            266061225,
            888957876,
            1256249016,
            263855489,
            409459184);
    int[] v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    Rng s = new Rng(5);
    s.shuffle(v);
    assertThat(v).containsExactly(2, 8, 4, 9, 5, 7, 0, 1, 6, 3);
    assertThat(s.nextLong()).as("9 draws, one per swap").isEqualTo(0x9A7B14876099D763L);
  }

  @Test
  void nextIntHasNoModuloBiasEvenForALargeBound() {
    // bound = 1.5·2^30: mapping 2^32 values onto it without rejection gives two thirds of the
    // results 3 preimages and the rest 2, so results ≡ 2 (mod 3) would come up 1/4 of the time
    int bound = 1_610_612_736;
    Rng rng = new Rng(3);
    int n = 30_000;
    int twos = 0;
    for (int i = 0; i < n; i++) {
      int r = rng.nextInt(bound);
      assertThat(r).isBetween(0, bound - 1);
      twos += r % 3 == 2 ? 1 : 0;
    }
    assertThat(twos / (double) n).isCloseTo(1.0 / 3, within(0.012));
  }

  @Test
  void aNonPositiveBoundIsRefused() {
    assertThatThrownBy(() -> new Rng(1).nextInt(0)).hasMessage("bound must be positive, got 0");
  }

  @Test
  void theStateCanBeSavedAndTheStreamContinuedFromIt() {
    Rng a = new Rng(9);
    a.nextLong();
    long saved = a.state();
    long next = a.nextLong();
    Rng b = new Rng(0);
    b.setState(saved);
    assertThat(b.nextLong()).isEqualTo(next);
  }

  @Test
  void nextIntIsWithinBoundAndRoughlyUniform() {
    Rng rng = new Rng(1);
    int[] counts = new int[10];
    for (int i = 0; i < 100_000; i++) {
      counts[rng.nextInt(10)]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(9_500, 10_500);
    }
  }

  @Test
  void floatsAreInUnitIntervalAndGaussiansHaveUnitVariance() {
    Rng rng = new Rng(3);
    double sum = 0;
    double sq = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      float f = rng.nextFloat();
      assertThat(f).isGreaterThanOrEqualTo(0f).isLessThan(1f);
      double g = rng.nextGaussian();
      sum += g;
      sq += g * g;
    }
    assertThat(sum / n).isCloseTo(0, within(0.01));
    assertThat(sq / n).isCloseTo(1, within(0.02));
  }

  @Test
  void shuffleIsAPermutation() {
    int[] v = new int[1000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    new Rng(5).shuffle(v);
    int[] sorted = v.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < v.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
    int fixed = 0;
    for (int i = 0; i < v.length; i++) {
      fixed += v[i] == i ? 1 : 0;
    }
    assertThat(fixed).as("elements left in place").isLessThan(10);
  }
}
