package dev.mlp.data.mnist;

import com.google.inject.Provides;
import dev.mlp.core.registry.MlpModule;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Registers the {@code mnist} and {@code fashion_mnist} data sets and provides the cache root:
 * {@code $MLP_HOME}, else {@code ~/.cache/mlp}.
 */
public final class MnistDataModule extends MlpModule {
  public static final String CACHE_ROOT = "mlp.cacheRoot";

  @Override
  protected void configure() {
    dataset(
        "mnist",
        MnistSpec.class,
        MnistDatasetFactory.class,
        "MNIST handwritten digits: 60,000 train / 10,000 test, 28×28 grey, 10 classes");
    dataset(
        "fashion_mnist",
        FashionMnistSpec.class,
        FashionMnistDatasetFactory.class,
        "Fashion-MNIST (Zalando): 60,000 train / 10,000 test, 28×28 grey, 10 kinds of clothing");
  }

  @Provides
  @Singleton
  @Named(CACHE_ROOT)
  Path cacheRoot() {
    String home = System.getenv("MLP_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "mlp");
  }
}
