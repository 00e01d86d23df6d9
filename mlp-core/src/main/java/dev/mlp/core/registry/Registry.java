package dev.mlp.core.registry;

import dev.mlp.core.config.CallbackSpec;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.OptimizerSpec;
import dev.mlp.core.config.ScheduleSpec;
import dev.mlp.core.config.SpecFields;
import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.init.Initializer;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.LayerFailedException;
import dev.mlp.core.nn.LayerOrigin;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.schedule.Schedule;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.train.TrainingListener;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every registered type, by kind and name and by spec class. Built from what the modules bound;
 * rejects a name or spec registered twice, naming both modules.
 */
public final class Registry {
  private final Map<Kind, TreeMap<String, Registration>> byName = new EnumMap<>(Kind.class);
  private final Map<Class<?>, Registration> bySpec = new HashMap<>();

  @Inject
  public Registry(Set<Registration> registrations) {
    for (Kind kind : Kind.values()) {
      byName.put(kind, new TreeMap<>());
    }
    List<Registration> sorted = new ArrayList<>(registrations);
    sorted.sort(Comparator.comparing(Registration::source).thenComparing(Registration::name));
    List<String> problems = new ArrayList<>(); // every clash at once (a copied jar clashes on all)
    for (Registration r : sorted) {
      try {
        SpecFields.check(r.specType()); // primitive fields a config can leave out as documented
      } catch (IllegalArgumentException e) {
        problems.add(r.source() + ": " + e.getMessage());
        continue;
      }
      Registration previous = byName.get(r.kind()).putIfAbsent(r.name(), r);
      if (previous != null) {
        problems.add(
            r.kind().label()
                + " type '"
                + r.name()
                + "' is registered twice: by "
                + previous.source()
                + " and by "
                + r.source());
        continue;
      }
      Registration sameSpec = bySpec.putIfAbsent(r.specType(), r);
      if (sameSpec != null) {
        problems.add(
            "spec "
                + r.specType().getName()
                + " is registered twice: as '"
                + sameSpec.name()
                + "' by "
                + sameSpec.source()
                + " and as '"
                + r.name()
                + "' by "
                + r.source());
      }
    }
    if (!problems.isEmpty()) {
      throw new RegistryException(String.join("; ", problems));
    }
  }

  /** The registrations of one kind, sorted by name. */
  public List<Registration> all(Kind kind) {
    return List.copyOf(byName.get(kind).values());
  }

  /** The names of one kind, sorted. */
  public List<String> names(Kind kind) {
    return List.copyOf(byName.get(kind).keySet());
  }

  public Optional<Registration> find(Kind kind, String name) {
    return Optional.ofNullable(byName.get(kind).get(name));
  }

  /** The registration whose spec record is the class of {@code spec}. */
  public Registration forSpec(Object spec) {
    Registration r = bySpec.get(spec.getClass());
    if (r == null) {
      throw new RegistryException("no factory is registered for spec " + spec.getClass().getName());
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private <F> F factory(Object spec, Class<F> type) {
    Registration r = forSpec(spec);
    Object f = r.factory().get();
    if (!type.isInstance(f)) {
      throw new RegistryException(
          r.kind().label()
              + " '"
              + r.name()
              + "' from "
              + r.source()
              + ": its factory is not a "
              + type.getSimpleName());
    }
    return (F) f;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public Layer layer(LayerSpec spec, LayerContext context) {
    LayerFactory f = factory(spec, LayerFactory.class);
    return f.create(spec, context);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public Optimizer optimizer(OptimizerSpec spec, Kernels kernels) {
    OptimizerFactory f = factory(spec, OptimizerFactory.class);
    return f.create(spec, kernels);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public Schedule schedule(ScheduleSpec spec) {
    ScheduleFactory f = factory(spec, ScheduleFactory.class);
    return f.create(spec);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public Initializer initializer(InitializerSpec spec) {
    InitializerFactory f = factory(spec, InitializerFactory.class);
    return f.create(spec);
  }

  /**
   * The callback {@code spec} names, for one run; a plugin's callback that throws (here or later,
   * as it hears the run) is named by {@code path} and its jar.
   *
   * @param path where the spec stands in the config, e.g. {@code training.callbacks[0]}
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public TrainingListener callback(CallbackSpec spec, CallbackContext context, String path) {
    CallbackFactory f = factory(spec, CallbackFactory.class);
    Registration r = forSpec(spec);
    LayerOrigin origin = new LayerOrigin(path, r.name(), r.plugin());
    try {
      return new NamedCallback((TrainingListener) f.create(spec, context), origin);
    } catch (IllegalArgumentException e) {
      throw e; // the spec's values: a config error
    } catch (RuntimeException | LinkageError e) {
      throw new LayerFailedException(origin, "while being built", e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public DataSplits dataset(DatasetSpec spec, Consumer<String> log) throws IOException {
    DatasetFactory f = factory(spec, DatasetFactory.class);
    return f.load(spec, log);
  }

  /** The data set's sample shape without loading it, or null when only loading can tell. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public DataShape datasetShape(DatasetSpec spec) {
    DatasetFactory f = factory(spec, DatasetFactory.class);
    return f.shape(spec);
  }

  /** The registered name of a spec's type, e.g. {@code linear} for a LinearSpec. */
  public String nameOf(Object spec) {
    return forSpec(spec).name();
  }

  /** Name → spec class for every type of one kind: what a config reader needs. */
  public Map<String, Class<?>> specTypes(Kind kind) {
    Map<String, Class<?>> m = new TreeMap<>();
    byName.get(kind).forEach((name, r) -> m.put(name, r.specType()));
    return m;
  }
}
