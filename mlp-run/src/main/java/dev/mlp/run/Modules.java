package dev.mlp.run;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.Message;
import dev.mlp.core.registry.MlpModule;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.registry.RegistryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds every {@link MlpModule} with {@link ServiceLoader} and assembles the Guice injector. */
public final class Modules {
  private Modules() {}

  /** The modules on the class path, in a stable order (by class name). */
  public static List<MlpModule> discover(ClassLoader loader) {
    List<MlpModule> modules = new ArrayList<>();
    ServiceLoader.load(MlpModule.class, loader).forEach(modules::add);
    modules.sort(Comparator.comparing(m -> m.getClass().getName()));
    return modules;
  }

  /** The registry of every type on the class path; a name registered twice fails here. */
  public static Registry registry() {
    return registry(List.of());
  }

  /** The registry of every type on the class path and in the given plugin modules. */
  public static Registry registry(List<MlpModule> plugins) {
    List<MlpModule> modules = new ArrayList<>(discover(Modules.class.getClassLoader()));
    modules.addAll(plugins);
    Injector injector = injector(modules);
    try {
      return injector.getInstance(Registry.class);
    } catch (ProvisionException e) {
      throw unwrap(e.getErrorMessages(), e);
    }
  }

  public static Injector injector(List<MlpModule> modules) {
    // each module's configure() first on its own, so a module that throws is named by its jar in
    // one line, before Guice logs the exception with its stack trace and reports it unnamed
    for (MlpModule m : modules) {
      for (Element element : Elements.getElements(Stage.DEVELOPMENT, m)) {
        if (element instanceof Message message && message.getCause() != null) {
          Throwable cause = message.getCause();
          if (cause instanceof RegistryException) {
            break; // already one line naming the module; Guice reports it below
          }
          RegistryException r =
              new RegistryException(
                  (m.plugin() != null ? m.plugin() + ": module " : "module ")
                      + m.getClass().getName()
                      + " failed in configure(): "
                      + cause);
          r.initCause(cause);
          throw r;
        }
      }
    }
    try {
      return Guice.createInjector(Stage.DEVELOPMENT, modules);
    } catch (CreationException e) {
      throw unwrap(e.getErrorMessages(), e);
    }
  }

  /** Guice's multi-line report, reduced to the module authors' one-line causes. */
  private static RegistryException unwrap(Collection<Message> messages, RuntimeException e) {
    List<String> problems = new ArrayList<>();
    for (Message m : messages) {
      Throwable cause = m.getCause();
      problems.add(cause instanceof RegistryException ? cause.getMessage() : m.getMessage());
    }
    RegistryException r = new RegistryException(String.join("; ", problems));
    r.initCause(e);
    return r;
  }
}
