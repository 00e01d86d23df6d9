package dev.mlp.data.mnist;

import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.registry.DatasetFactory;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Loads Fashion-MNIST: the cache, then local folders (Debian's package), then the mirrors. */
public final class FashionMnistDatasetFactory implements DatasetFactory<FashionMnistSpec> {
  static final IdxDataset FASHION =
      new IdxDataset(
          "fashion_mnist",
          FashionMnistFiles.ALL,
          null,
          null,
          "Debian package dataset-fashion-mnist");

  private final Path cacheRoot;

  @Inject
  public FashionMnistDatasetFactory(@Named(MnistDataModule.CACHE_ROOT) Path cacheRoot) {
    this.cacheRoot = cacheRoot;
  }

  @Override
  public DataSplits load(FashionMnistSpec spec, Consumer<String> log) throws IOException {
    return FASHION.load(cacheRoot, spec.folders(), spec.mirrors(), false, log);
  }

  @Override
  public DataShape shape(FashionMnistSpec spec) {
    return IdxDataset.SHAPE;
  }
}
