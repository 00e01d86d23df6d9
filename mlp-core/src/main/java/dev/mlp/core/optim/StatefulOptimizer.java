package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * What every built-in optimizer shares, as PyTorch's {@code Optimizer} base holds it: the
 * configured learning rate and the schedule's factor of it, the step count, and per-parameter state
 * arrays named by {@link #stateSlots() slots} (momentum buffers, moment estimates), each the size
 * of its parameter, allocated on first use and reused after. A subclass writes its update rule for
 * one parameter ({@link #update}).
 */
public abstract class StatefulOptimizer implements Optimizer {
  private static final float[][] NO_STATE = new float[0][];

  private final double baseLr;
  private final List<String> slots;
  private final List<float[][]> state = new ArrayList<>();
  private double lr;
  private long steps;

  /**
   * @param lr the configured learning rate
   * @param slots the names of the state arrays each parameter gets (none for a stateless rule)
   */
  protected StatefulOptimizer(double lr, List<String> slots) {
    this.baseLr = lr;
    this.lr = lr;
    this.slots = List.copyOf(slots);
  }

  /** The update of one parameter in this step, with its state arrays (zeros at first). */
  protected abstract void update(Parameter p, float[][] state);

  /**
   * Called before the parameters' updates of each step: where per-step constants are worked out.
   */
  protected void beforeStep() {}

  @Override
  public final void step(List<Parameter> parameters) {
    beforeStep();
    for (int i = 0, n = parameters.size(); i < n; i++) { // indexed: no iterator per step
      update(parameters.get(i), state(parameters, i));
    }
    steps++;
  }

  @Override
  public final List<String> stateSlots() {
    return slots;
  }

  @Override
  public final float[][] state(List<Parameter> parameters, int i) {
    if (slots.isEmpty()) {
      return NO_STATE;
    }
    while (state.size() < parameters.size()) {
      Parameter p = parameters.get(state.size());
      float[][] s = new float[slots.size()][];
      for (int k = 0; k < s.length; k++) {
        s[k] = new float[p.size()];
      }
      state.add(s);
    }
    float[][] s = state.get(i);
    if (s[0].length != parameters.get(i).size()) {
      throw new IllegalStateException(
          "parameter " + i + " changed size: an optimizer serves one model");
    }
    return s;
  }

  /** Completed steps. */
  @Override
  public final long steps() {
    return steps;
  }

  @Override
  public final void setSteps(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    this.steps = steps;
  }

  @Override
  public final void setLearningRateFactor(double factor) {
    lr = baseLr * factor;
  }

  /** The configured rate times the schedule's factor. */
  @Override
  public double learningRate() {
    return lr;
  }

  /** The learning rate as configured, before any schedule. */
  protected final double configuredLearningRate() {
    return baseLr;
  }
}
