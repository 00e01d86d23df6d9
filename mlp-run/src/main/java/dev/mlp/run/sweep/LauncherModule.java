package dev.mlp.run.sweep;

import dev.mlp.core.config.LauncherSpec;
import dev.mlp.core.registry.Kind;
import dev.mlp.core.registry.MlpModule;
import dev.mlp.core.registry.Registration;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.registry.RegistryException;

/**
 * A module that can register sweep launchers: a plugin extends this instead of {@link MlpModule}
 * and calls {@link #launcher} in {@code configure()}; the name is then usable as a sweep file's
 * {@code launcher: {type: NAME}} and as {@code mlp sweep --launcher NAME}.
 */
public abstract class LauncherModule extends MlpModule {

  protected final <S extends LauncherSpec> void launcher(
      String name, Class<S> spec, LauncherFactory<S> factory, String description) {
    register(Kind.LAUNCHER, name, spec, () -> factory, description);
  }

  /** The launcher {@code spec} asks for, built by the factory its type registered. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static SweepLauncher create(Registry registry, LauncherSpec spec) {
    Registration r = registry.forSpec(spec);
    Object f = r.factory().get();
    if (!(f instanceof LauncherFactory lf)) {
      throw new RegistryException(
          "launcher '"
              + r.name()
              + "' from "
              + r.source()
              + ": its factory is not a LauncherFactory");
    }
    return lf.create(spec);
  }
}
