package dev.mlp.core.config;

/** A whole training run as written in a YAML config. */
public record ExperimentConfig(
    String name,
    Long seed,
    DatasetSpec data,
    ModelSpec model,
    OptimizerSpec optimizer,
    TrainingSpec training) {
  public static final long DEFAULT_SEED = 42;

  public ExperimentConfig {
    if (data == null) {
      throw new IllegalArgumentException("data is required, e.g. data: {type: mnist}");
    }
    if (model == null) {
      throw new IllegalArgumentException("model is required: model: {layers: [...]}");
    }
    if (optimizer == null) {
      throw new IllegalArgumentException(
          "optimizer is required, e.g. optimizer: {type: sgd, lr: 0.01}");
    }
    seed = seed == null ? DEFAULT_SEED : seed;
    training = training == null ? TrainingSpec.defaults() : training;
    name = name == null ? "experiment" : name;
  }
}
