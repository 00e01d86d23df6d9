package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import dev.mlp.core.tensor.Updates;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba, 2015), as PyTorch defines it: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², W ← W
 * − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Weight decay λ is either added to the
 * gradient (adam: g ← g + λW) or decoupled (adamw: W ← W − lr·λ·W before the step).
 */
public final class Adam extends StatefulOptimizer {
  private final float beta1;
  private final float beta2;
  private final double eps;
  private final float weightDecay;
  private final boolean decoupled;
  private final float l2;
  // this step's: the bias corrections folded into the step size and ε, the decoupled decay
  private float a;
  private float epsHat;
  private float shrink;

  public Adam(AdamSpec spec) {
    this(spec.lr(), spec.beta1(), spec.beta2(), spec.eps(), spec.weightDecay(), false);
  }

  public Adam(AdamWSpec spec) {
    this(spec.lr(), spec.beta1(), spec.beta2(), spec.eps(), spec.weightDecay(), true);
  }

  private Adam(
      double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    super(lr, List.of("exp_avg", "exp_avg_sq"));
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.eps = eps;
    this.weightDecay = (float) weightDecay;
    this.decoupled = decoupled;
    this.l2 = decoupled ? 0f : this.weightDecay;
  }

  @Override
  protected void beforeStep() {
    long t = steps() + 1;
    double lr = learningRate();
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    // W ← W − a·m/(√v + ε') with a = lr·√c2/c1 and ε' = ε·√c2: the bias corrections folded in
    a = (float) (lr * Math.sqrt(c2) / c1);
    epsHat = (float) (eps * Math.sqrt(c2));
    shrink = decoupled ? (float) (1 - lr * weightDecay) : 1f;
  }

  @Override
  protected void update(Parameter p, float[][] state) {
    float[] m = state[0];
    float[] v = state[1];
    float[] w = p.value().data();
    float[] g = p.grad().data();
    Updates.adam(w, g, m, v, l2, beta1, beta2, shrink, a, epsHat, p.size());
  }

  @Override
  public String toString() {
    return (decoupled ? "adamw" : "adam")
        + "(lr="
        + configuredLearningRate()
        + ", betas=("
        + beta1
        + ", "
        + beta2
        + ")"
        + (weightDecay != 0 ? ", weight_decay=" + weightDecay : "")
        + ")";
  }
}
