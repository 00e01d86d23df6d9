package dev.mlp.data.fetch;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/** A place data files can come from: a mirror, a package, a local folder. */
public interface Source {

  /** Human-readable: what and where, e.g. {@code mirror https://host/path/}. */
  String describe();

  /**
   * Stores the {@code missing} files in {@code store}, each verified by its checksum; stores what
   * it can and throws for the first file it cannot.
   */
  void fetch(List<DataFile> missing, FileStore store, Consumer<String> log) throws IOException;
}
