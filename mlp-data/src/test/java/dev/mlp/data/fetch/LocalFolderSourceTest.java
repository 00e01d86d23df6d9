package dev.mlp.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.data.idx.IdxBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder such as the one Debian's dataset packages install: .gz or raw files, verified. */
class LocalFolderSourceTest {
  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();

  @Test
  void gzipAndRawFilesAreCopiedIntoTheCacheVerified() throws IOException {
    Path system = Files.createDirectories(tmp.resolve("usr/share/datasets/tiny"));
    Files.write(system.resolve("img-idx3-ubyte.gz"), IdxBytes.gzip(IdxBytes.images(5, 4, 4, 1)));
    Files.write(system.resolve("lab-idx1-ubyte"), IdxBytes.labels(0, 1, 2, 3, 4));
    Path cache = tmp.resolve("cache");
    new Fetcher(
            "tiny",
            FetcherTest.FILES,
            new FileStore(cache),
            List.of(new LocalFolderSource(system, "a Debian package")))
        .ensure(log::add);
    assertThat(new FileStore(cache).isValid(FetcherTest.IMAGES_FILE)).isTrue();
    assertThat(new FileStore(cache).isValid(FetcherTest.LABELS_FILE)).isTrue();
    assertThat(log).anyMatch(l -> l.contains("folder " + system + " (a Debian package)"));
  }

  @Test
  void aWrongFileInTheFolderIsRefusedAndAnAbsentFolderSaidSo() throws IOException {
    Path system = Files.createDirectories(tmp.resolve("sys"));
    Files.write(system.resolve("img-idx3-ubyte.gz"), IdxBytes.gzip(IdxBytes.images(5, 4, 4, 2)));
    LocalFolderSource source = new LocalFolderSource(system, "");
    assertThatThrownBy(
            () -> source.fetch(FetcherTest.FILES, new FileStore(tmp.resolve("c")), log::add))
        .hasMessageContaining("img-idx3-ubyte has SHA-256");
    LocalFolderSource absent = new LocalFolderSource(tmp.resolve("nope"), "");
    assertThatThrownBy(
            () -> absent.fetch(FetcherTest.FILES, new FileStore(tmp.resolve("c")), log::add))
        .hasMessage(tmp.resolve("nope") + " does not exist");
  }

  @Test
  void eachFileCopiedIsLoggedAndAFileInNeitherFormIsNamed() throws IOException {
    Path system = Files.createDirectories(tmp.resolve("sys"));
    Files.write(system.resolve("img-idx3-ubyte"), IdxBytes.images(5, 4, 4, 1));
    LocalFolderSource source = new LocalFolderSource(system, "");
    assertThat(source.describe()).isEqualTo("folder " + system);
    assertThatThrownBy(
            () -> source.fetch(FetcherTest.FILES, new FileStore(tmp.resolve("c")), log::add))
        .hasMessage("no lab-idx1-ubyte or lab-idx1-ubyte.gz in " + system);
    assertThat(log).containsExactly("  img-idx3-ubyte: copied and verified from " + system);
  }
}
