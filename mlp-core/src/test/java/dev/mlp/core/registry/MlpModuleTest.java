package dev.mlp.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;

/** How a module names itself in errors and listings: by class, and a plugin also by its jar. */
class MlpModuleTest {
  /** An empty module. */
  public static final class Named extends MlpModule {
    @Override
    protected void configure() {}
  }

  /** Defines {@link Named} itself (as a plugin's own class loader does), from the given place. */
  private static final class PluginLoader extends ClassLoader {
    private final ProtectionDomain domain;

    PluginLoader(ProtectionDomain domain) {
      super(MlpModuleTest.class.getClassLoader());
      this.domain = domain;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(Named.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in =
              MlpModuleTest.class.getResourceAsStream("MlpModuleTest$Named.class")) {
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length, domain);
          } catch (java.io.IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }

  private static String sourceOfAPluginFrom(CodeSource codeSource) throws Exception {
    ClassLoader loader = new PluginLoader(new ProtectionDomain(codeSource, null));
    Class<?> c = loader.loadClass(Named.class.getName());
    assertThat(c).isNotSameAs(Named.class);
    Constructor<?> make = c.getDeclaredConstructor();
    make.setAccessible(true);
    return ((MlpModule) make.newInstance()).source();
  }

  @Test
  void aModuleOfMlpsOwnClassPathIsNamedByItsClass() {
    assertThat(new Named().source()).isEqualTo(Named.class.getName());
  }

  @Test
  void aPluginModuleIsNamedByItsClassAndItsJar() throws Exception {
    URL jar = new URL("file:/home/me/.mlp/plugins/swish-1.0.jar");
    assertThat(sourceOfAPluginFrom(new CodeSource(jar, (Certificate[]) null)))
        .isEqualTo(Named.class.getName() + " (swish-1.0.jar)");
  }

  @Test
  void aPluginModuleFromNowhereKnownIsNamedByItsClass() throws Exception {
    assertThat(sourceOfAPluginFrom(null)).isEqualTo(Named.class.getName());
    assertThat(sourceOfAPluginFrom(new CodeSource(null, (Certificate[]) null)))
        .isEqualTo(Named.class.getName());
  }

  private static MlpModule aPluginFrom(CodeSource codeSource) throws Exception {
    ClassLoader loader = new PluginLoader(new ProtectionDomain(codeSource, null));
    Constructor<?> make = loader.loadClass(Named.class.getName()).getDeclaredConstructor();
    make.setAccessible(true);
    return (MlpModule) make.newInstance();
  }

  @Test
  void aPluginIsBlamedByItsJarAndMlpsOwnModulesAreNoPlugin() throws Exception {
    assertThat(new Named().plugin()).isNull();
    URL jar = new URL("file:/home/me/.mlp/plugins/swish-1.0.jar");
    assertThat(aPluginFrom(new CodeSource(jar, (Certificate[]) null)).plugin())
        .isEqualTo("swish-1.0.jar");
    assertThat(aPluginFrom(null).plugin()).isEqualTo(Named.class.getName());
  }
}
