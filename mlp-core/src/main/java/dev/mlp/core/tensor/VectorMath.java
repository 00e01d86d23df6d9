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

  // ReLU and leaky ReLU: a comparison and a blend, not a branch per element (with the signs of a
  // layer's outputs mixed at random, that branch was mispredicted half the time: 4.4 ns an element
  // forward and backward, twice a sigmoid's). Every operation is exact, so the scalar tails give
  // the same bits as the lanes.

  /** y = max(0, x) as {@link Math#max}: NaN stays NaN, −0 becomes +0; elements from … to−1. */
  static void relu(float[] x, float[] y, int from, int to) {
    int i = from;
    for (int l = S.length(); i + l <= to; i += l) {
      FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = Math.max(0f, x[i]);
    }
  }

  /** dx = dy where x &gt; 0, else +0; elements from … to−1. */
  static void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
    FloatVector zero = FloatVector.zero(S);
    int i = from;
    for (int l = S.length(); i + l <= to; i += l) {
      VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
      zero.blend(FloatVector.fromArray(S, dy, i), positive).intoArray(dx, i);
    }
    for (; i < to; i++) {
      dx[i] = x[i] > 0f ? dy[i] : 0f;
    }
  }

  /** y = x where x &gt; 0, else slope·x; elements from … to−1. */
  static void leakyRelu(float[] x, float[] y, float slope, int from, int to) {
    int i = from;
    for (int l = S.length(); i + l <= to; i += l) {
      FloatVector v = FloatVector.fromArray(S, x, i);
      v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
    }
    for (; i < to; i++) {
      y[i] = x[i] > 0f ? x[i] : slope * x[i];
    }
  }

  /** dx = dy where x &gt; 0, else slope·dy; elements from … to−1. */
  static void leakyReluBackward(float[] x, float[] dy, float[] dx, float slope, int from, int to) {
    int i = from;
    for (int l = S.length(); i + l <= to; i += l) {
      VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
      FloatVector d = FloatVector.fromArray(S, dy, i);
      d.mul(slope).blend(d, positive).intoArray(dx, i);
    }
    for (; i < to; i++) {
      dx[i] = x[i] > 0f ? dy[i] : slope * dy[i];
    }
  }
}
