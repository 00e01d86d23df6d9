package dev.mlp.core.config;

/**
 * {@code training.early_stopping: {patience: 5}}: stop when the validation accuracy has not
 * improved by more than {@code min_delta} for {@code patience} epochs. Needs {@code
 * training.validation}.
 */
public record EarlyStopping(
    @Field(value = "epochs without improvement before stopping", fallback = "5") Integer patience,
    @Field(value = "a rise in validation accuracy must exceed this to count", fallback = "0")
        Double minDelta) {
  public EarlyStopping {
    patience = patience == null ? 5 : patience;
    minDelta = minDelta == null ? 0.0 : minDelta;
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be a positive integer, got " + patience);
    }
    if (!(minDelta >= 0 && minDelta < 1)) {
      throw new IllegalArgumentException("min_delta must be in [0, 1), got " + minDelta);
    }
  }
}
