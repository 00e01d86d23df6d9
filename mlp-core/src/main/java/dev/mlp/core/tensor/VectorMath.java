package dev.mlp.core.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise functions on the Vector API. {@code exp} is computed as 2^n · e^r with n =
 * round(x·log₂e), r = x − n·ln 2 (in two parts), and e^r by its degree-7 Taylor polynomial on |r| ≤
 * ln2/2: relative error under 2·10⁻⁷, about one float ulp. The last partial vector goes through the
 * same code under a mask, so every element is computed the same way.
 */
final class VectorMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693145751953125f;
  private static final float LN2_LO = 1.428606765330187045e-06f;
  private static final float ROUND = 12582912f; // 1.5 · 2^23: adding it rounds to an integer

  private VectorMath() {}

  /** e^x for a vector, for x clamped to [−87, 88] (the range of normal floats); NaN stays NaN. */
  static FloatVector exp(FloatVector x) {
    x = x.max(-87f).min(88f);
    // t holds round(x·log₂e) in its low mantissa bits; n is that integer as a float
    FloatVector t = x.mul(LOG2E).add(ROUND);
    FloatVector n = t.sub(ROUND);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
    r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = r.fma(FloatVector.broadcast(S, 1f / 5040), FloatVector.broadcast(S, 1f / 720));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 120));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 24));
    p = p.fma(r, FloatVector.broadcast(S, 1f / 6));
    p = p.fma(r, FloatVector.broadcast(S, 0.5f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    p = p.fma(r, FloatVector.broadcast(S, 1f));
    // 2^n as float bits: (n + 127) << 23. The bits of t are 0x4B400000 + n, and 0x4B400000 << 23
    // overflows away, so t's bits can be used as they are (convert(F2I) is slow on JDK 17).
    IntVector bits = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23);
    return p.mul(bits.reinterpretAsFloats());
  }

  /** y = tanh(x) = 2 / (1 + e^−2x) − 1 for elements from … n−1. */
  static void tanh(float[] x, float[] y, int from, int n) {
    int l = S.length();
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector two = FloatVector.broadcast(S, 2f);
    int i = from;
    for (; i + l <= n; i += l) {
      FloatVector e = exp(FloatVector.fromArray(S, x, i).mul(-2f));
      two.div(e.add(one)).sub(one).intoArray(y, i);
    }
    if (i < n) {
      VectorMask<Float> m = S.indexInRange(i, n);
      FloatVector e = exp(FloatVector.fromArray(S, x, i, m).mul(-2f));
      two.div(e.add(one)).sub(one).intoArray(y, i, m);
    }
  }

  /** y = 1 / (1 + e^−x) for elements from … n−1. */
  static void sigmoid(float[] x, float[] y, int from, int n) {
    int l = S.length();
    FloatVector one = FloatVector.broadcast(S, 1f);
    int i = from;
    for (; i + l <= n; i += l) {
      FloatVector e = exp(FloatVector.fromArray(S, x, i).neg());
      one.div(e.add(one)).intoArray(y, i);
    }
    if (i < n) {
      VectorMask<Float> m = S.indexInRange(i, n);
      FloatVector e = exp(FloatVector.fromArray(S, x, i, m).neg());
      one.div(e.add(one)).intoArray(y, i, m);
    }
  }
}
