package dev.mlp.data.table;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Bytes {@code [from, to)} of a UTF-8 file as characters, exactly as a strict {@link
 * InputStreamReader} for UTF-8 gives them: ASCII bytes are widened to characters directly, a loop
 * the JIT vectorises; from the first byte that is not ASCII on, the rest is handed to an {@code
 * InputStreamReader} itself. Everything before that byte being ASCII, the decoder starts there in
 * the state it would have reached, so the characters are the same, and a malformed sequence is an
 * error ({@link java.nio.charset.CharacterCodingException}) as in the one-reader read.
 */
final class Utf8Part extends Reader {
  private final FileChannel ch;
  private final long to;
  private FileBytes bytes;
  private long next; // the file offset of bytes' next byte
  private Reader decoder; // from the first byte that is not ASCII on
  private final byte[] scratch = new byte[1 << 13];

  Utf8Part(FileChannel ch, long from, long to) throws IOException {
    this.ch = ch;
    this.to = to;
    this.next = from;
    this.bytes = new FileBytes(ch, from, to);
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (decoder != null) {
      return decoder.read(cbuf, off, len);
    }
    if (len == 0) {
      return 0;
    }
    byte[] b = scratch;
    int n = bytes.read(b, 0, Math.min(len, b.length));
    if (n < 0) {
      return -1;
    }
    int ascii = n;
    int any = 0;
    for (int i = 0; i < n; i++) {
      any |= b[i];
    }
    if (any < 0) { // a byte with its high bit set: where?
      ascii = 0;
      while (b[ascii] >= 0) {
        ascii++;
      }
    }
    for (int i = 0; i < ascii; i++) {
      cbuf[off + i] = (char) b[i];
    }
    if (ascii < n) {
      bytes.close();
      decoder =
          new InputStreamReader(
              new FileBytes(ch, next + ascii, to),
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                  .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT));
      bytes = null;
      if (ascii == 0) {
        return decoder.read(cbuf, off, len);
      }
    }
    next += n;
    return ascii;
  }

  @Override
  public void close() throws IOException {
    if (bytes != null) {
      bytes.close();
    }
    if (decoder != null) {
      decoder.close();
    }
  }
}
