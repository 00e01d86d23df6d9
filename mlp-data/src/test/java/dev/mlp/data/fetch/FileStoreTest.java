package dev.mlp.data.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's one way in: bounded, verified, renamed into place, heard by a progress bar. */
class FileStoreTest {
  @TempDir Path cache;

  private static final byte[] CONTENT = "0123456789".getBytes();
  private static final DataFile FILE = new DataFile("ten", FetcherTest.sha(CONTENT), 10);

  /** A source that never hands out more than {@code chunk} bytes per read, counting them. */
  private static final class Trickle extends InputStream {
    private final int chunk;
    private final long length;
    long read;

    Trickle(int chunk, long length) {
      this.chunk = chunk;
      this.length = length;
    }

    @Override
    public int read() {
      return read < length ? (int) ('0' + read++ % 10) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (read >= length) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, chunk), length - read);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) read();
      }
      return n;
    }
  }

  @Test
  void aStreamLongerThanTheFileIsReadOnlyOneBytePastItsSize() {
    // a mirror serving something endless: the store stops after size + 1 bytes, however the
    // bytes arrive
    Trickle endless = new Trickle(3, Long.MAX_VALUE);
    assertThatThrownBy(() -> new FileStore(cache).store(FILE, endless, "http://mirror/ten"))
        .isInstanceOf(IOException.class)
        .hasMessage("http://mirror/ten: ten has more than 10 bytes; expected 10");
    assertThat(endless.read).isEqualTo(11);
  }

  @Test
  void theThreeArgumentStoreVerifiesAndPlacesTheFile() throws IOException {
    FileStore store = new FileStore(cache.resolve("made/by/store"));
    store.store(FILE, new ByteArrayInputStream(CONTENT), "here");
    assertThat(Files.readAllBytes(store.path(FILE))).isEqualTo(CONTENT);
    assertThat(store.isValid(FILE)).isTrue();
    assertThat(FileStore.sha256(store.path(FILE))).isEqualTo(FILE.sha256());
    try (Stream<Path> files = Files.list(store.dir())) {
      assertThat(files).containsExactly(store.path(FILE)); // no temporary file left
    }
  }

  @Test
  void aStoredCopyOfTheWrongSizeOrContentIsNotValid() throws IOException {
    FileStore store = new FileStore(cache);
    assertThat(store.isValid(FILE)).as("absent").isFalse();
    Files.write(store.path(FILE), "012345678".getBytes());
    assertThat(store.isValid(FILE)).as("one byte short").isFalse();
    Files.write(store.path(FILE), "0123456780".getBytes());
    assertThat(store.isValid(FILE)).as("same size, other bytes").isFalse();
  }

  @Test
  void aVerifiedFileIsNotHashedAgainUntilItIsWritten() throws IOException {
    FileStore store = new FileStore(cache, 0); // stamps at once: no clock in this test
    Files.write(store.path(FILE), CONTENT);
    assertThat(store.isValid(FILE)).isTrue();
    assertThat(store.isValid(FILE)).isTrue();
    assertThat(new FileStore(cache, 0).isValid(FILE)).as("a later run").isTrue();
    assertThat(store.hashed()).as("hashed once, then trusted by its stamp").isEqualTo(1);
    assertThat(Files.readString(store.stampPath(FILE))).contains(FILE.sha256());

    FileTime written = Files.getLastModifiedTime(store.path(FILE));
    FileTime stamped = ctime(store.path(FILE));
    do { // the kernel's file clock ticks every few ms: wait for a write it can tell apart
      Files.write(store.path(FILE), "0123456780".getBytes()); // same size, other bytes
      Files.setLastModifiedTime(store.path(FILE), written); // and the old modification time
    } while (ctime(store.path(FILE)).equals(stamped));
    assertThat(store.isValid(FILE)).as("changed under its stamp").isFalse();
    assertThat(store.hashed()).isEqualTo(2);

    Files.write(store.path(FILE), CONTENT);
    assertThat(store.isValid(FILE)).isTrue();
    stamped = ctime(store.path(FILE));
    do { // replaced by another file (which may even reuse the inode number)
      Files.delete(store.path(FILE));
      Files.write(store.path(FILE), "0123456780".getBytes());
    } while (ctime(store.path(FILE)).equals(stamped));
    assertThat(store.isValid(FILE)).as("replaced under its stamp").isFalse();
  }

  private static FileTime ctime(Path p) throws IOException {
    return (FileTime) Files.getAttribute(p, "unix:ctime");
  }

  @Test
  void aFileChangedJustBeforeItsHashGetsNoStampAndAForgedStampIsNotTrusted() throws IOException {
    FileStore store = new FileStore(cache, Long.MAX_VALUE); // every change counts as recent
    Files.write(store.path(FILE), CONTENT);
    assertThat(store.isValid(FILE)).isTrue();
    assertThat(store.isValid(FILE)).isTrue();
    assertThat(store.hashed()).isEqualTo(2);
    assertThat(store.stampPath(FILE)).doesNotExist();

    Files.write(store.path(FILE), "0123456780".getBytes());
    Files.writeString(store.stampPath(FILE), "mlp verified " + FILE.sha256() + " 10 0:0 0 0\n");
    assertThat(store.isValid(FILE)).as("a stamp of other times").isFalse();
  }

  /** A log that is also a progress bar, as the CLI's is. */
  static final class Progress implements Consumer<String>, TransferListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void accept(String line) {
      events.add("line " + line);
    }

    @Override
    public Transfer start(String name, long bytes, String origin) {
      events.add("start " + name + " " + bytes + " " + origin);
      return new Transfer() {
        @Override
        public void progressed(long total) {
          events.add("at " + total);
        }

        @Override
        public void close() {
          events.add("end " + name);
        }
      };
    }
  }

  @Test
  void aLogThatIsATransferListenerHearsEveryBytesArrivalAndTheEnd() throws IOException {
    Progress progress = new Progress();
    new FileStore(cache).store(FILE, new Trickle(4, 10), "origin", progress);
    assertThat(progress.events)
        .containsExactly("start ten 10 origin", "at 4", "at 8", "at 10", "end ten");
  }

  @Test
  void aPlainLogHearsNoTransfer() throws IOException {
    List<String> lines = new ArrayList<>();
    Consumer<String> log = lines::add;
    new FileStore(cache).store(FILE, new ByteArrayInputStream(CONTENT), "origin", log);
    assertThat(lines).isEmpty();
    assertThat(TransferListener.of(log).start("x", 1, "y")).isSameAs(TransferListener.NONE);
  }
}
