package dev.mlp.core.config;

import java.util.List;

/** How long and in what batches to train. Absent fields take the seed's values. */
public record TrainingSpec(
    @Field(value = "passes over the training set", fallback = "10") Integer epochs,
    @Field(value = "samples per step; the last batch may be smaller", fallback = "32")
        Integer batchSize,
    @Field(value = "a new order each epoch, from (seed, epoch)", fallback = "true") Boolean shuffle,
    @Field(value = "batch size of the test pass (results do not depend on it)", fallback = "1000")
        Integer evalBatchSize,
    @Field(value = "learning-rate schedule", fallback = "constant") ScheduleSpec schedule,
    @Field(
            value = "largest global L2 norm of all gradients; larger ones are scaled down",
            fallback = "none")
        Double clipNorm,
    @Field(
            value = "samples held out of the training set for validation (never the test set)",
            fallback = "0")
        Integer validation,
    @Field(
            value = "stop when validation accuracy stalls; the best epoch's weights are kept",
            fallback = "none")
        EarlyStopping earlyStopping,
    @Field(
            value = "callbacks that hear every step and epoch, e.g. from a plugin",
            fallback = "none")
        List<CallbackSpec> callbacks) {
  public static final int DEFAULT_EPOCHS = 10;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int DEFAULT_EVAL_BATCH_SIZE = 1000;

  public TrainingSpec {
    epochs = positive("epochs", epochs, DEFAULT_EPOCHS, 1_000_000);
    batchSize = positive("batch_size", batchSize, DEFAULT_BATCH_SIZE, 1 << 20);
    evalBatchSize = positive("eval_batch_size", evalBatchSize, DEFAULT_EVAL_BATCH_SIZE, 1 << 20);
    shuffle = shuffle == null ? Boolean.TRUE : shuffle;
    if (clipNorm != null && !(clipNorm > 0 && clipNorm < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("clip_norm must be a positive number, got " + clipNorm);
    }
    validation = validation == null ? 0 : validation;
    if (validation < 0) {
      throw new IllegalArgumentException(
          "validation must be a number of samples >= 0, got " + validation);
    }
    callbacks = callbacks == null ? List.of() : List.copyOf(callbacks);
    if (earlyStopping != null && validation == 0) {
      throw new IllegalArgumentException(
          "early_stopping needs a validation split: set training.validation, e.g. 5000");
    }
  }

  /** Without callbacks. */
  public TrainingSpec(
      Integer epochs,
      Integer batchSize,
      Boolean shuffle,
      Integer evalBatchSize,
      ScheduleSpec schedule,
      Double clipNorm,
      Integer validation,
      EarlyStopping earlyStopping) {
    this(
        epochs,
        batchSize,
        shuffle,
        evalBatchSize,
        schedule,
        clipNorm,
        validation,
        earlyStopping,
        null);
  }

  public TrainingSpec(
      Integer epochs,
      Integer batchSize,
      Boolean shuffle,
      Integer evalBatchSize,
      ScheduleSpec schedule,
      Double clipNorm) {
    this(epochs, batchSize, shuffle, evalBatchSize, schedule, clipNorm, null, null, null);
  }

  public TrainingSpec(
      Integer epochs,
      Integer batchSize,
      Boolean shuffle,
      Integer evalBatchSize,
      ScheduleSpec schedule) {
    this(epochs, batchSize, shuffle, evalBatchSize, schedule, null, null, null, null);
  }

  public TrainingSpec(Integer epochs, Integer batchSize, Boolean shuffle, Integer evalBatchSize) {
    this(epochs, batchSize, shuffle, evalBatchSize, null, null, null, null, null);
  }

  public static TrainingSpec defaults() {
    return new TrainingSpec(null, null, null, null, null, null, null, null, null);
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
