package dev.mlp.core.registry;

import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.ModelSpec;
import dev.mlp.core.config.SpecException;
import dev.mlp.core.init.Initializer;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.nn.Loss;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.random.Rng;
import dev.mlp.core.tensor.Kernels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a {@link ModelSpec} into a {@link Sequential}: infers each layer's input width from the one
 * before it (the first from the data), and checks the chain before any training starts.
 */
public final class ModelBuilder {
  private final Registry registry;
  private final Kernels kernels;

  public ModelBuilder(Registry registry, Kernels kernels) {
    this.registry = registry;
    this.kernels = kernels;
  }

  /**
   * @throws SpecException naming the config path of the first layer that cannot be built
   */
  public Sequential build(ModelSpec spec, int dataFeatures, int numClasses, long seed) {
    if (spec.input() != null && spec.input() != dataFeatures) {
      throw new SpecException(
          "model.input",
          "model.input is "
              + spec.input()
              + " but the data set gives "
              + dataFeatures
              + " features per sample");
    }
    List<Layer> layers = new ArrayList<>();
    List<LayerOrigin> origins = new ArrayList<>();
    int width = dataFeatures;
    List<LayerSpec> specs = spec.layers();
    for (int i = 0; i < specs.size(); i++) {
      String path = "model.layers[" + i + "]";
      LayerSpec layerSpec = specs.get(i);
      Registration registration = registry.forSpec(layerSpec);
      LayerOrigin origin = new LayerOrigin(path, registration.name(), registration.plugin());
      Layer layer;
      try {
        LayerSpec next = i + 1 < specs.size() ? specs.get(i + 1) : null;
        layer = registry.layer(layerSpec, new Context(width, numClasses, seed, i, path, next));
      } catch (IllegalArgumentException e) {
        throw new SpecException(path, e.getMessage());
      } catch (RuntimeException | LinkageError e) {
        if (origin.plugin() == null || e instanceof RegistryException) {
          throw e; // mlp's own factory: a bug in mlp
        }
        throw new LayerFailedException(origin, "while being built", e);
      }
      boolean last = i == specs.size() - 1;
      String type = registration.name();
      checkParameterNames(layer, origin, i);
      if (layer instanceof Loss && !last) {
        throw new SpecException(
            path,
            "loss layer '"
                + type
                + "' must be the last layer, but "
                + (specs.size() - 1 - i)
                + " more follow it");
      }
      if (last && !(layer instanceof Loss)) {
        throw new SpecException(
            path, "the last layer must be a loss (e.g. softmax_cross_entropy), got '" + type + "'");
      }
      if (last && layer.inputSize() != numClasses) {
        throw new SpecException(
            path,
            "loss '"
                + type
                + "' receives "
                + layer.inputSize()
                + " values per sample but the data set has "
                + numClasses
                + " classes; make the layer before it give "
                + numClasses);
      }
      if (layer.inputSize() != width) {
        throw new SpecException(
            path, type + " expects " + layer.inputSize() + " inputs but receives " + width);
      }
      layers.add(layer);
      origins.add(origin);
      width = layer.outputSize();
    }
    return new Sequential(layers, origins);
  }

  /** A parameter's name is its checkpoint key within the layer, so no two may share one. */
  private static void checkParameterNames(Layer layer, LayerOrigin origin, int index) {
    Set<String> names = new HashSet<>();
    for (Parameter p : layer.parameters()) {
      if (!names.add(p.name())) {
        throw new SpecException(
            origin.path(),
            origin.label()
                + " has two parameters named '"
                + p.name()
                + "'; each needs its own name, the key of its tensor in a checkpoint ("
                + "layers."
                + index
                + "."
                + p.name()
                + ")");
      }
    }
  }

  private final class Context implements LayerContext {
    private final int inputSize;
    private final int numClasses;
    private final Rng rng;
    private final String path;

    private final LayerSpec next;

    Context(int inputSize, int numClasses, long seed, int index, String path, LayerSpec next) {
      this.next = next;
      this.inputSize = inputSize;
      this.numClasses = numClasses;
      this.rng = Rng.derive(seed, "init", index);
      this.path = path;
    }

    @Override
    public int inputSize() {
      return inputSize;
    }

    @Override
    public int numClasses() {
      return numClasses;
    }

    @Override
    public Rng rng() {
      return rng;
    }

    @Override
    public Initializer initializer(InitializerSpec spec, InitializerSpec fallback) {
      return registry.initializer(spec != null ? spec : fallback);
    }

    @Override
    public Kernels kernels() {
      return kernels;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public LayerSpec next() {
      return next;
    }
  }
}
