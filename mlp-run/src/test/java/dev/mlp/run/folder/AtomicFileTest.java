package dev.mlp.run.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  private Stream<String> names() throws IOException {
    return Files.list(dir).map(p -> p.getFileName().toString());
  }

  @Test
  void replacesTheFileWhole() throws IOException {
    Path f = dir.resolve("a.txt");
    AtomicFile.write(f, "one".getBytes());
    AtomicFile.write(f, "two, longer".getBytes());
    assertThat(Files.readString(f)).isEqualTo("two, longer");
    assertThat(names()).containsExactly("a.txt");
  }

  @Test
  void aWriteThatFailsHalfWayLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
    Path f = dir.resolve("a.txt");
    AtomicFile.write(f, "previous".getBytes());
    assertThatThrownBy(
            () ->
                AtomicFile.write(
                    f,
                    out -> {
                      out.write("half of the new".getBytes());
                      throw new IOException("No space left on device");
                    }))
        .hasMessage(f + ": cannot write (No space left on device); the previous file is untouched");
    assertThat(Files.readString(f)).isEqualTo("previous");
    assertThat(names()).containsExactly("a.txt");
  }

  @Test
  void createsTheFolderAndGivesTheFileOrdinaryPermissions() throws IOException {
    Path f = dir.resolve("new/sub/b.txt");
    AtomicFile.write(f, "x".getBytes());
    assertThat(Files.readString(f)).isEqualTo("x");
    // not the owner-only mode of a temporary file: others can read a run's files as they can any
    assertThat(Files.getPosixFilePermissions(f))
        .contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ)
        .containsAll(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))));
  }
}
