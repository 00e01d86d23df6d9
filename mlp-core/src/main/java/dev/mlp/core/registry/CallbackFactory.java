package dev.mlp.core.registry;

import dev.mlp.core.config.CallbackSpec;
import dev.mlp.core.train.TrainingListener;

/** Builds a training callback from its spec, for the model of one run. */
@FunctionalInterface
public interface CallbackFactory<S extends CallbackSpec> {
  TrainingListener create(S spec, CallbackContext context);
}
