package dev.mlp.cli;

import dev.mlp.data.fetch.TransferListener;
import java.io.PrintWriter;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Where a data set's messages go: each line to stderr, and, when {@code bars} (stdout is a
 * terminal), a progress bar of bytes for each file being stored. The bars go to stdout because the
 * launcher passes stderr on line by line, which would hold back a bar's in-place redraws.
 */
final class DataLog implements Consumer<String>, TransferListener {
  private final PrintWriter err;
  private final boolean bars;

  DataLog(PrintWriter err, boolean bars) {
    this.err = err;
    this.bars = bars;
  }

  /** Bars only where someone watches: a terminal, no --json, no --no-progress. */
  static boolean terminal() {
    return System.console() != null;
  }

  @Override
  public void accept(String line) {
    err.println(line);
    err.flush();
  }

  @Override
  public Transfer start(String name, long bytes, String origin) {
    if (!bars) {
      return NONE;
    }
    err.flush();
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(bytes)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setUnit(bytes >= 1 << 20 ? " MB" : " kB", bytes >= 1 << 20 ? 1 << 20 : 1 << 10)
            .setUpdateIntervalMillis(100)
            .setConsumer(new ConsoleProgressBarConsumer(System.out))
            .clearDisplayOnFinish()
            .build();
    return new Transfer() {
      @Override
      public void progressed(long total) {
        bar.stepTo(total);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
