package dev.mlp.data.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Special, huge and non-UTF-8 files are refused before they are read, each in one named line. */
class InputFilesTest {
  @TempDir Path tmp;

  /** A FIFO would block the read forever: it is refused without being opened (no writer here). */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard only: the refusal is immediate
  void aFifoIsRefusedWithoutOpeningIt() throws Exception {
    Path fifo = tmp.resolve("config.yaml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    assertThatThrownBy(() -> InputFiles.readText(fifo, 1 << 20, "config file"))
        .isInstanceOf(InputFileException.class)
        .hasMessage(
            fifo
                + ": is a FIFO (named pipe), not a regular file; expected a config file (mlp reads"
                + " only regular files)");
  }

  @Test
  void aDeviceThatNeverEndsIsRefused() {
    assertThatThrownBy(() -> InputFiles.readBytes(Path.of("/dev/zero"), 100, "checkpoint file"))
        .isInstanceOf(InputFileException.class)
        .hasMessageStartingWith("/dev/zero: is a character device, not a regular file");
  }

  @Test
  void aFolderAndAMissingFileAreNamed() {
    assertThatThrownBy(() -> InputFiles.requireRegularFile(tmp, "plugin jar"))
        .hasMessage(tmp + ": is a folder; expected a plugin jar");
    Path none = tmp.resolve("none.yaml");
    assertThatThrownBy(() -> InputFiles.requireRegularFile(none, "config file"))
        .hasMessage(none + ": no such config file");
  }

  /** A sparse file claims gigabytes without using the disk: its size is refused, not read. */
  @Test
  void aFileOverTheBoundIsRefusedByItsSizeBeforeReading() throws Exception {
    Path big = tmp.resolve("big.yaml");
    try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(3L << 30);
    }
    assertThatThrownBy(() -> InputFiles.readText(big, 1 << 20, "config file"))
        .isInstanceOf(InputFileException.class)
        .hasMessage(big + ": is 3.0 GB; a config file may be at most 1.0 MB");
    Path exact = Files.write(tmp.resolve("exact"), new byte[1024]);
    assertThat(InputFiles.readBytes(exact, 1024, "file")).hasSize(1024);
    assertThatThrownBy(() -> InputFiles.readBytes(exact, 1023, "file"))
        .hasMessage(exact + ": is 1.0 KB; a file may be at most 1023 bytes");
  }

  @Test
  void textThatIsNotUtf8IsRefusedAtItsLineAndColumn() throws Exception {
    Path latin1 = tmp.resolve("latin1.yaml");
    Files.write(latin1, "name: x\ncaf\u00e9: 1\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> InputFiles.readText(latin1, 1 << 20, "config file"))
        .isInstanceOf(InputFileException.class)
        .hasMessage(latin1 + ":2:4: not UTF-8 text (byte 0xe9); save the file as UTF-8");
    // a byte-order mark is dropped, and valid multi-byte text is read as it is
    Path bom = tmp.resolve("bom.yaml");
    Files.write(
        bom,
        new byte[] {
          (byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a', ':', ' ', (byte) 0xc3, (byte) 0xa9
        });
    assertThat(InputFiles.readText(bom, 100, "config file")).isEqualTo("a: \u00e9");
    Path surrogate = tmp.resolve("surrogate");
    Files.write(surrogate, new byte[] {'o', 'k', '\n', 'x', (byte) 0xed, (byte) 0xa0, (byte) 0x80});
    assertThatThrownBy(() -> InputFiles.readText(surrogate, 100, "file"))
        .hasMessage(surrogate + ":2:2: not UTF-8 text (byte 0xed); save the file as UTF-8");
  }

  @Test
  void reasonsAreWordsNotBarePaths() {
    assertThat(InputFiles.reason(new java.nio.file.AccessDeniedException("/x")))
        .isEqualTo("permission denied");
    assertThat(
            InputFiles.reason(
                new java.nio.file.FileSystemException("/x", null, "Read-only file system")))
        .isEqualTo("Read-only file system");
    assertThat(InputFiles.reason(new java.nio.file.NoSuchFileException("/x")))
        .isEqualTo("no such file or folder");
    assertThat(InputFiles.bytes(812)).isEqualTo("812 bytes");
    assertThat(InputFiles.bytes(3_400_000)).isEqualTo("3.2 MB");
  }
}
