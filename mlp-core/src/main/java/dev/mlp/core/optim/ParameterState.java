package dev.mlp.core.optim;

import dev.mlp.core.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * An optimizer's per-parameter state (momentum buffers, moment estimates): {@code slots} arrays the
 * size of each parameter, allocated on the first step and reused after, plus the step count.
 */
final class ParameterState {
  private final int slots;
  private final List<float[][]> state = new ArrayList<>();
  private long steps;

  ParameterState(int slots) {
    this.slots = slots;
  }

  /** The state arrays of parameter i (zeros at first). */
  float[][] get(List<Parameter> parameters, int i) {
    while (state.size() < parameters.size()) {
      Parameter p = parameters.get(state.size());
      float[][] s = new float[slots][];
      for (int k = 0; k < slots; k++) {
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
  long steps() {
    return steps;
  }

  void setSteps(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    this.steps = steps;
  }

  void stepped() {
    steps++;
  }
}
