package dev.mlp.core.registry;

import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.init.Initializer;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Kernels;

/** What a layer factory knows about where its layer sits in the model. */
public interface LayerContext {

  /** Width of this layer's input: the previous layer's output, or the data's feature count. */
  int inputSize();

  /** Number of classes in the data set (what a loss layer's input width must be). */
  int numClasses();

  /** This layer's own random stream, derived from the run's seed and the layer's index. */
  Rng rng();

  /** The initializer for {@code spec}, or for {@code fallback} when {@code spec} is null. */
  Initializer initializer(InitializerSpec spec, InitializerSpec fallback);

  /** The dense kernels to compute with. */
  Kernels kernels();

  /** The spec of the layer after this one, or null for the last layer. */
  LayerSpec next();

  /** This layer's config path, e.g. {@code model.layers[2]}, for error messages. */
  String path();
}
