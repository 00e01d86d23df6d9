package dev.mlp.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' updates give the bits of their scalar formulas at every vector width (the pom
 * runs this class at 4, 8 and 16 lanes), and store no subnormal state.
 */
class UpdatesTest {
  static final int N = 1037; // whole vectors and a tail at every width

  static float[] random(long seed, double scale) {
    Random r = new Random(seed);
    float[] x = new float[N];
    for (int i = 0; i < N; i++) {
      // every 5th value 0 and every 7th tiny, so states meet zeros and subnormals
      x[i] = i % 5 == 0 ? 0f : i % 7 == 0 ? 1e-30f : (float) (scale * r.nextGaussian());
    }
    return x;
  }

  static void assertSameBits(float[] got, float[] expected, String what) {
    for (int i = 0; i < N; i++) {
      assertThat(Float.floatToIntBits(got[i]))
          .as("%s[%d]", what, i)
          .isEqualTo(Float.floatToIntBits(expected[i]));
    }
  }

  static void assertNoSubnormal(float[] state, String what) {
    for (int i = 0; i < N; i++) {
      float x = Math.abs(state[i]);
      assertThat(x == 0f || x >= Float.MIN_NORMAL).as("%s[%d] = %s", what, i, state[i]).isTrue();
    }
  }

  @Test
  void adamIsItsFormulaElementByElement() {
    float[] w = random(1, 0.1);
    float[] g = random(2, 0.1);
    float[] m = random(3, 1e-3);
    float[] v = random(4, 1e-6);
    for (int i = 0; i < N; i++) {
      v[i] = Math.abs(v[i]);
    }
    float[] ew = w.clone();
    float[] em = m.clone();
    float[] ev = v.clone();
    float l2 = 0.3f; // products as large as the sums they join: a fused multiply-add would show
    float beta1 = 0.9f;
    float beta2 = 0.999f;
    float shrink = 0.99999f;
    float a = 0.0013f;
    float epsHat = 3e-9f;
    for (int j = 0; j < N; j++) {
      float d = g[j] + l2 * ew[j];
      em[j] = Updates.flush(beta1 * em[j] + (1 - beta1) * d);
      ev[j] = Updates.flush(beta2 * ev[j] + (1 - beta2) * d * d);
      ew[j] = shrink * ew[j] - a * em[j] / ((float) Math.sqrt(ev[j]) + epsHat);
    }
    Updates.adam(w, g, m, v, l2, beta1, beta2, shrink, a, epsHat, N);
    assertSameBits(m, em, "m");
    assertSameBits(v, ev, "v");
    assertSameBits(w, ew, "w");
  }

  @Test
  void rmspropIsItsFormulaElementByElement() {
    float[] w = random(5, 0.1);
    float[] g = random(6, 0.1);
    float[] v = random(7, 1e-6);
    for (int i = 0; i < N; i++) {
      v[i] = Math.abs(v[i]);
    }
    float[] ew = w.clone();
    float[] ev = v.clone();
    for (int j = 0; j < N; j++) {
      float d = g[j] + 0.3f * ew[j];
      ev[j] = Updates.flush(0.99f * ev[j] + (1 - 0.99f) * d * d);
      ew[j] -= 0.01f * d / ((float) Math.sqrt(ev[j]) + 1e-8f);
    }
    Updates.rmsprop(w, g, v, 0.3f, 0.99f, 0.01f, 1e-8f, N);
    assertSameBits(v, ev, "v");
    assertSameBits(w, ew, "w");
  }

  @Test
  void momentumIsItsFormulaElementByElementPlainAndNesterovFirstAndLater() {
    for (boolean nesterov : new boolean[] {false, true}) {
      for (boolean first : new boolean[] {true, false}) {
        float[] w = random(8, 0.1);
        float[] g = random(9, 0.1);
        float[] b = random(10, 1e-3);
        float[] ew = w.clone();
        float[] eb = b.clone();
        for (int j = 0; j < N; j++) {
          float d = g[j] + 0.3f * ew[j];
          eb[j] = Updates.flush(first ? d : 0.9f * eb[j] + d);
          d = nesterov ? d + 0.9f * eb[j] : eb[j];
          ew[j] -= 0.01f * d;
        }
        Updates.momentum(w, g, b, 0.3f, 0.9f, nesterov, first, 0.01f, N);
        String what = (nesterov ? "nesterov" : "momentum") + (first ? ", first step" : "");
        assertSameBits(b, eb, what + ": b");
        assertSameBits(w, ew, what + ": w");
      }
    }
  }

  @Test
  void stateThatAGradientOfZeroLetsDecayNeverBecomesSubnormal() {
    // a unit that stopped firing: its gradient is 0 from now on, and its averages decay
    float[] w = random(11, 0.1);
    float[] zero = new float[N];
    float[] m = random(12, 1e-3);
    float[] v = new float[N];
    float[] sq = new float[N];
    float[] b = random(13, 1e-3);
    for (int i = 0; i < N; i++) {
      v[i] = m[i] * m[i] + 1e-30f;
      sq[i] = v[i];
    }
    for (int step = 0; step < 20_000; step++) {
      Updates.adam(w, zero, m, v, 0f, 0.9f, 0.999f, 1f, 1e-3f, 1e-8f, N);
      Updates.rmsprop(w, zero, sq, 0f, 0.99f, 1e-3f, 1e-8f, N);
      Updates.momentum(w, zero, b, 0f, 0.9f, false, false, 1e-3f, N);
      if (step % 1000 == 999) {
        assertNoSubnormal(m, "adam m after " + (step + 1) + " steps");
        assertNoSubnormal(v, "adam v after " + (step + 1) + " steps");
        assertNoSubnormal(sq, "rmsprop v after " + (step + 1) + " steps");
        assertNoSubnormal(b, "momentum b after " + (step + 1) + " steps");
      }
    }
    // and they did decay all the way: flushed to zero, not held at some floor
    assertThat(m).containsOnly(0f);
    assertThat(sq).containsOnly(0f);
    assertThat(b).containsOnly(0f);
  }
}
