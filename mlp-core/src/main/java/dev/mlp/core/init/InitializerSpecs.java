package dev.mlp.core.init;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.InitializerSpec;

/** The specs of the built-in initializers besides the seed's xavier_uniform and zeros. */
public final class InitializerSpecs {
  private InitializerSpecs() {}

  static double checkedGain(Double gain) {
    double g = gain == null ? 1.0 : gain;
    if (!(g > 0) || Double.isInfinite(g)) {
      throw new IllegalArgumentException("gain must be a positive number, got " + gain);
    }
    return g;
  }

  /** {@code xavier_normal}: N(0, gain²·2/(fan_in + fan_out)). */
  public record XavierNormal(@Field(value = "scale of the deviation", fallback = "1.0") Double gain)
      implements InitializerSpec {
    public XavierNormal {
      gain = InitializerSpecs.checkedGain(gain);
    }
  }

  /** {@code he_uniform}: U(±√(6/fan_in)), for ReLU layers (He et al. 2015). */
  public record HeUniform() implements InitializerSpec {}

  /** {@code he_normal}: N(0, 2/fan_in), for ReLU layers (He et al. 2015). */
  public record HeNormal() implements InitializerSpec {}

  /** {@code lecun_normal}: N(0, 1/fan_in) (LeCun et al. 1998). */
  public record LecunNormal() implements InitializerSpec {}

  /** {@code constant}: every value the same. */
  public record Constant(@Field("the value") Double value) implements InitializerSpec {
    public Constant {
      if (value == null || !Double.isFinite(value)) {
        throw new IllegalArgumentException("value is required (a finite number), got " + value);
      }
    }
  }
}
