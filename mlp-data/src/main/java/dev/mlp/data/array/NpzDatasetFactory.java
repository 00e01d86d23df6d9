package dev.mlp.data.array;

import dev.mlp.core.data.DataSplits;
import dev.mlp.core.registry.DatasetFactory;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.files.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads an {@link NpzSpec}: each array is an entry {@code <name>.npy} of the zip archive, stored or
 * deflated; a deflated entry is inflated no further than its header's shape says (a zip bomb ends
 * at the first byte past it).
 */
public final class NpzDatasetFactory implements DatasetFactory<NpzSpec> {
  @Override
  public DataSplits load(NpzSpec spec, Consumer<String> log) throws IOException {
    Path file = Path.of(spec.path());
    InputFiles.requireRegularFile(file, ".npz file");
    try (ZipFile zip = new ZipFile(file.toFile())) {
      NpyArray x = entry(zip, file, spec.x());
      NpyArray y = entry(zip, file, spec.y());
      NpyArray tx = spec.testX() == null ? null : entry(zip, file, spec.testX());
      NpyArray ty = spec.testY() == null ? null : entry(zip, file, spec.testY());
      String how =
          spec.x()
              + spec.y()
              + spec.testX()
              + spec.testY()
              + spec.task()
              + spec.classes()
              + spec.testSplit()
              + spec.splitSeed();
      return ArrayDatasets.build(
          file.getFileName().toString(),
          x,
          y,
          tx,
          ty,
          spec.task(),
          spec.classes(),
          spec.testSplit(),
          spec.splitSeed(),
          ArrayDatasets.checksum(List.of(file), how),
          log);
    } catch (java.util.zip.ZipException e) {
      throw new InputFileException(file + ": not an .npz (zip) archive: " + e.getMessage());
    }
  }

  private static NpyArray entry(ZipFile zip, Path file, String name) throws IOException {
    ZipEntry e = zip.getEntry(name + ".npy");
    if (e == null) {
      List<String> names = new ArrayList<>();
      for (ZipEntry z : Collections.list(zip.entries())) {
        names.add(z.getName().replaceAll("\\.npy$", ""));
      }
      throw new InputFileException(
          file
              + ": no array '"
              + name
              + "'; it holds "
              + (names.isEmpty() ? "none" : String.join(", ", names))
              + (names.isEmpty() ? "" : "; name the arrays with data.x and data.y"));
    }
    long available = e.getMethod() == ZipEntry.STORED ? e.getSize() : -1;
    try (InputStream in = new java.io.BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
      return NpyArray.read(in, file + ":" + name, available, ArrayDatasets.budget());
    }
  }
}
