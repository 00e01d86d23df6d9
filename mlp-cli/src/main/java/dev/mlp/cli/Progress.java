package dev.mlp.cli;

import dev.mlp.core.train.TrainingListener.StepProgress;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of the epoch being trained, on a terminal only: samples done, samples per
 * second, running loss and accuracy, ETA. It redraws itself a few times a second on its own thread
 * and is cleared when the epoch's row is printed in its place.
 */
final class Progress implements AutoCloseable {
  private final int epochs;
  private final long samplesPerEpoch;
  private ProgressBar bar;
  private int epoch;

  Progress(int epochs, long samplesPerEpoch) {
    this.epochs = epochs;
    this.samplesPerEpoch = samplesPerEpoch;
  }

  /** After each step; cheap except every 32nd step, when the text is rebuilt. */
  void step(StepProgress p) {
    if (bar == null || p.epoch() != epoch) {
      close();
      epoch = p.epoch();
      bar =
          new ProgressBarBuilder()
              .setTaskName(String.format("epoch %d/%d", p.epoch(), epochs))
              .setInitialMax(samplesPerEpoch)
              .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
              .setUnit(" img", 1)
              .showSpeed(new DecimalFormat("#,##0"))
              .setSpeedUnit(ChronoUnit.SECONDS)
              .setUpdateIntervalMillis(200)
              .setConsumer(new ConsoleProgressBarConsumer(System.out))
              .clearDisplayOnFinish()
              .build();
    }
    bar.stepTo(p.samplesInEpoch());
    if (p.stepInEpoch() % 32 == 1) {
      bar.setExtraMessage(
          String.format(" loss %.4f acc %.4f", p.runningLoss(), p.runningAccuracy()));
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
