package dev.mlp.core.registry;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.mlp.core.config.CallbackSpec;
import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.InitializerSpec;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.core.config.OptimizerSpec;
import dev.mlp.core.config.ScheduleSpec;

/**
 * The extension contract: a Guice module that registers named types. Subclasses implement {@link
 * #configure()} with calls such as
 *
 * <pre>{@code
 * layer("swish", SwishSpec.class, Swish::create, "x · σ(βx)");
 * }</pre>
 *
 * and are found with {@link java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/dev.mlp.core.registry.MlpModule}. A name is then usable as {@code type:} in
 * YAML with no other change.
 */
public abstract class MlpModule extends AbstractModule {

  private Multibinder<Registration> registrations() {
    return Multibinder.newSetBinder(binder(), Registration.class);
  }

  /**
   * Registers a type of any kind; for a layer above core that defines a kind's factory (the sweep
   * launchers of mlp-run: {@code dev.mlp.run.sweep.LauncherModule}).
   */
  protected final void register(
      Kind kind, String name, Class<?> spec, com.google.inject.Provider<?> factory, String what) {
    // checked before the binding is opened, so a refusal is the only error Guice reports
    Registration r = new Registration(kind, name, spec, factory, what, source(), plugin());
    registrations().addBinding().toInstance(r);
  }

  /**
   * How errors and listings name this module: its class, and for a plugin (a module loaded by
   * another class loader than mlp's) the jar it came from.
   */
  public final String source() {
    String name = getClass().getName();
    String jar = jar();
    return jar == null ? name : name + " (" + jar + ")";
  }

  /**
   * The plugin this module came from, as a failure of one of its types is blamed on: the file name
   * of its jar, or its class name when the jar is unknown; null for a module of mlp itself.
   */
  public final String plugin() {
    if (getClass().getClassLoader() == MlpModule.class.getClassLoader()) {
      return null;
    }
    String jar = jar();
    return jar != null ? jar : getClass().getName();
  }

  /** The file name of a plugin module's jar; null for mlp's own modules or when it is unknown. */
  private String jar() {
    if (getClass().getClassLoader() == MlpModule.class.getClassLoader()) {
      return null;
    }
    var codeSource = getClass().getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      return null;
    }
    String path = codeSource.getLocation().getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  protected final <S extends LayerSpec> void layer(
      String name, Class<S> spec, LayerFactory<S> factory, String description) {
    register(Kind.LAYER, name, spec, () -> factory, description);
  }

  protected final <S extends OptimizerSpec> void optimizer(
      String name, Class<S> spec, OptimizerFactory<S> factory, String description) {
    register(Kind.OPTIMIZER, name, spec, () -> factory, description);
  }

  protected final <S extends InitializerSpec> void initializer(
      String name, Class<S> spec, InitializerFactory<S> factory, String description) {
    register(Kind.INITIALIZER, name, spec, () -> factory, description);
  }

  protected final <S extends ScheduleSpec> void schedule(
      String name, Class<S> spec, ScheduleFactory<S> factory, String description) {
    register(Kind.SCHEDULE, name, spec, () -> factory, description);
  }

  /**
   * A training callback, chosen in YAML under {@code training.callbacks}: its factory builds a
   * {@link dev.mlp.core.train.TrainingListener} for each run, which hears every step and epoch.
   */
  protected final <S extends CallbackSpec> void callback(
      String name, Class<S> spec, CallbackFactory<S> factory, String description) {
    register(Kind.CALLBACK, name, spec, () -> factory, description);
  }

  /** A data set whose factory is built by Guice, so it can have its own injected collaborators. */
  protected final <S extends DatasetSpec> void dataset(
      String name, Class<S> spec, Class<? extends DatasetFactory<S>> factory, String description) {
    register(Kind.DATASET, name, spec, getProvider(factory), description);
  }
}
