package dev.mlp.data.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first byte of a text file that is not UTF-8, by line and column, however far in. */
class NotUtf8Test {
  @TempDir Path tmp;

  @Test
  void theFirstBadByteIsNamedByLineAndColumnPastTheFirstBuffer() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < 20_000; i++) { // 200 KB of good lines with two-byte letters: past 64 KB
      b.writeBytes("1,caf\u00e9,x\n".getBytes(StandardCharsets.UTF_8));
    }
    b.writeBytes("2,ab".getBytes(StandardCharsets.UTF_8));
    b.write(0xe9); // Latin-1 é
    b.writeBytes(",y\n".getBytes(StandardCharsets.UTF_8));
    Path f = Files.write(tmp.resolve("t.csv"), b.toByteArray());
    assertThat(InputFiles.notUtf8(f))
        .hasMessage(f + ":20001:5: not UTF-8 text (byte 0xe9); save the file as UTF-8");
  }

  @Test
  void aSequenceCutAtTheEndIsNamedToo() throws Exception {
    Path f = Files.write(tmp.resolve("cut.csv"), new byte[] {'a', '\n', 'b', (byte) 0xc3});
    assertThat(InputFiles.notUtf8(f))
        .hasMessage(f + ":2:2: not UTF-8 text (byte 0xc3); save the file as UTF-8");
  }

  @Test
  void theReaderFailsWhereADecoderWouldReplace() throws Exception {
    Path f = Files.write(tmp.resolve("l.csv"), new byte[] {'a', (byte) 0xe9, '\n'});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InputFiles.utf8Reader(f))
        .hasMessage(f + ":1:2: not UTF-8 text (byte 0xe9); save the file as UTF-8");
    byte[] far = new byte[100_000];
    java.util.Arrays.fill(far, (byte) 'a');
    far[99_999] = (byte) 0xe9;
    Path g = Files.write(tmp.resolve("far.csv"), far);
    try (java.io.Reader r = InputFiles.utf8Reader(g)) {
      char[] buf = new char[8192];
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> {
                while (r.read(buf) >= 0) {
                  // to the end, or the bad byte
                }
              })
          .isInstanceOf(java.nio.charset.CharacterCodingException.class);
    }
  }

  @Test
  void theReaderDropsAByteOrderMark() throws Exception {
    Path f =
        Files.write(
            tmp.resolve("bom.csv"), new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a'});
    try (java.io.Reader r = InputFiles.utf8Reader(f)) {
      assertThat(r.read()).isEqualTo('a');
      assertThat(r.read()).isEqualTo(-1);
    }
  }
}
