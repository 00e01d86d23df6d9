package dev.mlp.run.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per folder: a second training or report is refused; the same thread may nest. */
class RunLockTest {
  @TempDir Path tmp;

  private static Throwable fromAnotherThread(Path dir) {
    return CompletableFuture.supplyAsync(
            () -> {
              try (RunLock lock = RunLock.acquire(dir, "mlp report")) {
                return null;
              } catch (RunException e) {
                return (Throwable) e;
              }
            })
        .join();
  }

  @Test
  void theHolderIsWrittenDownAndAnotherThreadIsRefusedUntilItIsReleased() throws Exception {
    try (RunLock lock = RunLock.acquire(tmp, "mlp train")) {
      assertThat(Files.readString(tmp.resolve(RunLock.FILE)))
          .matches(
              "mlp process "
                  + ProcessHandle.current().pid()
                  + " \\(mlp train, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)\n");
      assertThat(fromAnotherThread(tmp))
          .isInstanceOf(RunBusyException.class)
          .hasMessage(
              tmp + ": in use by another training or report of this process; wait for it to end");
    }
    assertThat(fromAnotherThread(tmp)).isNull();
  }

  @Test
  void theHoldingThreadMayTakeItAgainAndItIsHeldUntilTheOuterRelease() throws Exception {
    RunLock outer = RunLock.acquire(tmp, "mlp train");
    try (RunLock inner = RunLock.acquire(tmp.resolve(".").normalize(), "mlp report")) {
      assertThat(inner).isSameAs(outer);
    }
    assertThat(fromAnotherThread(tmp)).isInstanceOf(RunBusyException.class);
    outer.close();
    assertThat(fromAnotherThread(tmp)).isNull();
  }

  @Test
  void aFolderThatIsNotThereOrALockFileThatIsAFolderIsNamed() throws Exception {
    Path none = tmp.resolve("none");
    assertThatThrownBy(() -> RunLock.acquire(none, "mlp train"))
        .isInstanceOf(RunException.class)
        .hasMessage(none + ": cannot lock it: no such file or folder");
    Files.createDirectories(tmp.resolve(RunLock.FILE));
    assertThatThrownBy(() -> RunLock.acquire(tmp, "mlp train"))
        .isInstanceOf(RunException.class)
        .hasMessage(
            tmp.toRealPath().resolve(RunLock.FILE)
                + ": expected mlp's lock file, found something else");
  }
}
