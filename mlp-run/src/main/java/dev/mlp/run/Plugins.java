package dev.mlp.run;

import dev.mlp.core.registry.MlpModule;
import dev.mlp.core.registry.RegistryException;
import dev.mlp.data.files.InputFiles;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Plugin jars from a folder ({@code --plugins DIR} or {@code MLP_PLUGINS}): one class loader per
 * jar, and the {@link MlpModule}s that jar lists in {@code
 * META-INF/services/dev.mlp.core.registry.MlpModule}.
 */
public final class Plugins {
  static final String ENV = "MLP_PLUGINS";

  private Plugins() {}

  /** The plugin folder: the option if given, else {@code $MLP_PLUGINS}, else none. */
  public static Path folder(Path option) {
    if (option != null) {
      return option;
    }
    String env = System.getenv(ENV);
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  /**
   * The modules of every {@code *.jar} in {@code dir}, in file-name order.
   *
   * @throws RegistryException naming the jar and the cause when one cannot be used
   */
  public static List<MlpModule> load(Path dir) throws IOException {
    List<MlpModule> modules = new ArrayList<>();
    if (dir == null) {
      return modules;
    }
    if (!Files.isDirectory(dir)) {
      throw new RegistryException(
          dir + ": plugin folder does not exist (from --plugins or " + ENV + ")");
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
    for (Path jar : jars) {
      modules.addAll(loadJar(jar));
    }
    return modules;
  }

  private static List<MlpModule> loadJar(Path jar) {
    try {
      InputFiles.requireRegularFile(jar, "plugin jar");
    } catch (IOException e) {
      throw new RegistryException(e.getMessage());
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      if (j.getEntry("META-INF/services/" + MlpModule.class.getName()) == null) {
        throw new RegistryException(
            jar
                + ": no META-INF/services/"
                + MlpModule.class.getName()
                + " in this jar, so it adds nothing; list its module class there");
      }
    } catch (IOException e) {
      throw new RegistryException(jar + ": not a jar file (" + e.getMessage() + ")");
    }
    URLClassLoader loader;
    try {
      loader =
          new URLClassLoader(
              "plugin " + jar.getFileName(),
              new URL[] {jar.toUri().toURL()},
              Plugins.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new RegistryException(jar + ": cannot be loaded (" + e.getMessage() + ")");
    }
    List<MlpModule> modules = new ArrayList<>();
    try {
      for (ServiceLoader.Provider<MlpModule> p :
          ServiceLoader.load(MlpModule.class, loader).stream().toList()) {
        if (p.type().getClassLoader() != loader) {
          continue; // a module of mlp itself, seen through the parent class loader
        }
        modules.add(p.get());
      }
    } catch (ServiceConfigurationError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new RegistryException(jar + ": a module failed to load: " + describe(e, cause));
    } catch (LinkageError e) {
      throw new RegistryException(jar + ": a module failed to load: " + e);
    }
    return modules;
  }

  private static String describe(ServiceConfigurationError e, Throwable cause) {
    String m = e.getMessage();
    // "dev.mlp.core.registry.MlpModule: Provider com.x.Y could not be instantiated" + the cause
    String provider = m == null ? "" : m.replaceFirst("^[^:]*: ", "");
    return provider + (cause == e ? "" : ": " + cause);
  }
}
