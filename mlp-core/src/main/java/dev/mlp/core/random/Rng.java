package dev.mlp.core.random;

import java.nio.charset.StandardCharsets;

/**
 * A small, fully specified random stream (SplitMix64), so the same seed gives the same numbers on
 * every JVM. Streams are derived from (seed, purpose, indices) — e.g. {@code ("shuffle", epoch)} or
 * {@code ("init", layer)} — so one use of randomness never shifts another, and a resumed run can
 * recreate exactly the stream it would have had.
 */
public final class Rng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** A stream for one purpose, independent of every other (seed, purpose, indices). */
  public static Rng derive(long seed, String purpose, long... indices) {
    long h = mix(seed ^ 0x6A09E667F3BCC909L);
    for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h ^ (b & 0xFF));
    }
    for (long index : indices) {
      h = mix(h ^ mix(index + GOLDEN));
    }
    return new Rng(h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The whole state of the stream: a checkpoint stores it so a resumed run draws on exactly. */
  public long state() {
    return state;
  }

  /** Continues the stream from a {@link #state()} taken earlier. */
  public void setState(long state) {
    this.state = state;
  }

  public long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, 1) with 24 random bits. */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), without modulo bias. */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    // Lemire's multiply-and-reject on 32 random bits
    long m = (nextLong() >>> 32) * bound;
    long low = m & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound;
      while (low < threshold) {
        m = (nextLong() >>> 32) * bound;
        low = m & 0xFFFFFFFFL;
      }
    }
    return (int) (m >>> 32);
  }

  /** Standard normal (Marsaglia's polar method, one value per call). */
  public double nextGaussian() {
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }

  /** Fisher–Yates shuffle of the whole array. */
  public void shuffle(int[] values) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}
