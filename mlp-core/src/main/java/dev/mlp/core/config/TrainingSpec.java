package dev.mlp.core.config;

/** How long and in what batches to train. Absent fields take the seed's values. */
public record TrainingSpec(
    Integer epochs, Integer batchSize, Boolean shuffle, Integer evalBatchSize) {
  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int DEFAULT_EVAL_BATCH_SIZE = 1000;

  public TrainingSpec {
    epochs = positive("epochs", epochs, DEFAULT_EPOCHS, 1_000_000);
    batchSize = positive("batch_size", batchSize, DEFAULT_BATCH_SIZE, 1 << 20);
    evalBatchSize = positive("eval_batch_size", evalBatchSize, DEFAULT_EVAL_BATCH_SIZE, 1 << 20);
    shuffle = shuffle == null ? Boolean.TRUE : shuffle;
  }

  public static TrainingSpec defaults() {
    return new TrainingSpec(null, null, null, null);
  }

  static Integer positive(String name, Integer value, int fallback, int max) {
    if (value == null) {
      return fallback;
    }
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(
          name + " must be an integer in [1, " + max + "], got " + value);
    }
    return value;
  }
}
