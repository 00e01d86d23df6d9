package dev.mlp.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Makes sure every file of a data set is in the cache and verified: the cache first (including
 * {@code .gz} copies a user placed there by hand), then each source in order, each filling what is
 * still missing. A cached file that fails its checksum is never trusted: it is fetched again.
 */
public final class Fetcher {
  private final String dataset;
  private final List<DataFile> files;
  private final FileStore store;
  private final List<Source> sources;

  public Fetcher(String dataset, List<DataFile> files, FileStore store, List<Source> sources) {
    this.dataset = dataset;
    this.files = List.copyOf(files);
    this.store = store;
    this.sources = List.copyOf(sources);
  }

  /**
   * @return the cache folder, holding every file verified
   * @throws IOException saying which sources were tried, why each failed, and how to place the
   *     files by hand
   */
  public Path ensure(Consumer<String> log) throws IOException {
    List<DataFile> missing = new ArrayList<>();
    for (DataFile f : files) {
      if (!fromCache(f, log)) {
        missing.add(f);
      }
    }
    if (missing.isEmpty()) {
      return store.dir();
    }
    store.requireWritable();
    List<String> failures = new ArrayList<>();
    for (Source source : sources) {
      log.accept(dataset + ": fetching " + names(missing) + " from " + source.describe());
      try {
        source.fetch(missing, store, log);
      } catch (IOException | RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        log.accept(dataset + ": " + source.describe() + " failed: " + why);
        failures.add(source.describe() + ": " + why);
      }
      missing.removeIf(this::validQuietly);
      if (missing.isEmpty()) {
        log.accept(dataset + ": all files verified in " + store.dir());
        return store.dir();
      }
    }
    throw new IOException(
        dataset
            + ": could not get "
            + names(missing)
            + "; tried "
            + (failures.isEmpty() ? "no source" : String.join("; ", failures))
            + ". Place the files (raw or .gz) in "
            + store.dir()
            + " by hand and run again");
  }

  private boolean validQuietly(DataFile f) {
    try {
      return store.isValid(f);
    } catch (IOException e) {
      return false;
    }
  }

  private boolean fromCache(DataFile f, Consumer<String> log) throws IOException {
    Path raw = store.path(f);
    if (Files.exists(raw)) {
      if (store.isValid(f)) {
        return true;
      }
      log.accept(
          dataset
              + ": cached "
              + raw
              + " does not match its SHA-256 "
              + f.sha256()
              + "; fetching it again");
    }
    Path gz = raw.resolveSibling(f.name() + ".gz");
    if (Files.isRegularFile(gz)) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
        store.store(f, in, gz.toString(), log);
        return true;
      } catch (IOException e) {
        log.accept(dataset + ": ignoring " + gz + ": " + e.getMessage());
      }
    }
    return false;
  }

  private static String names(List<DataFile> files) {
    List<String> n = new ArrayList<>();
    for (DataFile f : files) {
      n.add(f.name());
    }
    return String.join(", ", n);
  }
}
