package dev.mlp.cli;

import dev.mlp.core.train.TrainingListener.StepProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of the epoch being trained, on a terminal only: samples done, running loss and
 * accuracy, samples per second, ETA. It redraws itself a few times a second on its own thread and
 * is cleared when the epoch's row is printed in its place.
 */
final class Progress implements AutoCloseable {
  private final int epochs;
  private final long samplesPerEpoch;
  private ProgressBar bar;
  private int epoch;
  private long started;
  private long startSamples;

  Progress(int epochs, long samplesPerEpoch) {
    this.epochs = epochs;
    this.samplesPerEpoch = samplesPerEpoch;
  }

  /** After each step; cheap except every 32nd step, when the text is rebuilt. */
  void step(StepProgress p) {
    if (bar == null || p.epoch() != epoch) {
      close();
      epoch = p.epoch();
      started = System.nanoTime();
      startSamples = p.samplesInEpoch(); // counted from the first step this bar saw
      bar =
          new ProgressBarBuilder()
              .setTaskName(String.format("epoch %d/%d", p.epoch(), epochs))
              .setInitialMax(samplesPerEpoch)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .setUnit(" img", 1)
              .setUpdateIntervalMillis(200)
              .setConsumer(new ConsoleProgressBarConsumer(System.out))
              .clearDisplayOnFinish()
              .build();
    }
    bar.stepTo(p.samplesInEpoch());
    if (p.stepInEpoch() % 32 == 1) {
      double seconds = (System.nanoTime() - started) / 1e9;
      bar.setExtraMessage(
          String.format(
              " loss %.4f acc %.4f%s",
              p.runningLoss(),
              p.runningAccuracy(),
              seconds > 0.05
                  ? String.format(" %,.0f img/s", (p.samplesInEpoch() - startSamples) / seconds)
                  : ""));
    }
  }

  /** The epoch is over: its row replaces the bar. */
  void endEpoch() {
    close();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
