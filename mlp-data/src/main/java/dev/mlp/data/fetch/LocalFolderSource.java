package dev.mlp.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A folder on this machine that may hold the files, raw or {@code .gz} — e.g. where a Debian
 * package installs a data set. Copied into the cache only after the checksum matches.
 */
public final class LocalFolderSource implements Source {
  private final Path dir;
  private final String what;

  public LocalFolderSource(Path dir, String what) {
    this.dir = dir;
    this.what = what;
  }

  @Override
  public String describe() {
    return "folder " + dir + (what.isEmpty() ? "" : " (" + what + ")");
  }

  @Override
  public void fetch(List<DataFile> missing, FileStore store, Consumer<String> log)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " does not exist");
    }
    for (DataFile f : missing) {
      Path raw = dir.resolve(f.name());
      Path gz = dir.resolve(f.name() + ".gz");
      if (Files.isRegularFile(raw)) {
        try (InputStream in = Files.newInputStream(raw)) {
          store.store(f, in, raw.toString(), log);
        }
      } else if (Files.isRegularFile(gz)) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
          store.store(f, in, gz.toString(), log);
        }
      } else {
        throw new IOException("no " + f.name() + " or " + f.name() + ".gz in " + dir);
      }
      log.accept("  " + f.name() + ": copied and verified from " + dir);
    }
  }
}
