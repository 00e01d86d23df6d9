package dev.mlp.core.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Updates} on the Vector API: whole vectors only, each returning the index where the scalar
 * tail begins. Multiplies and adds are separate (no fused multiply-add), as in the scalar formulas,
 * so the bits are theirs; the flush of subnormal state is a comparison and a blend.
 */
final class VectorUpdates {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private VectorUpdates() {}

  private static FloatVector flush(FloatVector x, FloatVector zero) {
    return x.blend(zero, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
  }

  static int adam(
      float[] w,
      float[] g,
      float[] m,
      float[] v,
      float l2,
      float beta1,
      float beta2,
      float shrink,
      float a,
      float epsHat,
      int n) {
    FloatVector zero = FloatVector.zero(S);
    float c1 = 1 - beta1;
    float c2 = 1 - beta2;
    int j = 0;
    for (int l = S.length(); j + l <= n; j += l) {
      FloatVector wv = FloatVector.fromArray(S, w, j);
      FloatVector d = FloatVector.fromArray(S, g, j).add(wv.mul(l2));
      FloatVector mv = flush(FloatVector.fromArray(S, m, j).mul(beta1).add(d.mul(c1)), zero);
      FloatVector vv = flush(FloatVector.fromArray(S, v, j).mul(beta2).add(d.mul(c2).mul(d)), zero);
      mv.intoArray(m, j);
      vv.intoArray(v, j);
      wv.mul(shrink).sub(mv.mul(a).div(vv.sqrt().add(epsHat))).intoArray(w, j);
    }
    return j;
  }

  static int rmsprop(
      float[] w, float[] g, float[] v, float decay, float alpha, float lr, float eps, int n) {
    FloatVector zero = FloatVector.zero(S);
    float c = 1 - alpha;
    int j = 0;
    for (int l = S.length(); j + l <= n; j += l) {
      FloatVector wv = FloatVector.fromArray(S, w, j);
      FloatVector d = FloatVector.fromArray(S, g, j).add(wv.mul(decay));
      FloatVector vv = flush(FloatVector.fromArray(S, v, j).mul(alpha).add(d.mul(c).mul(d)), zero);
      vv.intoArray(v, j);
      wv.sub(d.mul(lr).div(vv.sqrt().add(eps))).intoArray(w, j);
    }
    return j;
  }

  static int momentum(
      float[] w,
      float[] g,
      float[] b,
      float decay,
      float mu,
      boolean nesterov,
      boolean first,
      float lr,
      int n) {
    FloatVector zero = FloatVector.zero(S);
    int j = 0;
    for (int l = S.length(); j + l <= n; j += l) {
      FloatVector wv = FloatVector.fromArray(S, w, j);
      FloatVector d = FloatVector.fromArray(S, g, j).add(wv.mul(decay));
      FloatVector bv = flush(first ? d : FloatVector.fromArray(S, b, j).mul(mu).add(d), zero);
      bv.intoArray(b, j);
      FloatVector step = nesterov ? d.add(bv.mul(mu)) : bv;
      wv.sub(step.mul(lr)).intoArray(w, j);
    }
    return j;
  }
}
