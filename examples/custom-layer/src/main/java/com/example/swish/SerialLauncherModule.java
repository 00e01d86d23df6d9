package com.example.swish;

import dev.mlp.core.config.Field;
import dev.mlp.core.config.LauncherSpec;
import dev.mlp.run.sweep.LauncherModule;
import dev.mlp.run.sweep.SweepLauncher;
import dev.mlp.run.sweep.SweepTrials;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the sweep launcher {@code serial}: the trials one after another, last first if asked,
 * each as a child process — an example of a launcher a plugin adds (a real one would hand the
 * trials' commands to its own scheduler).
 */
public final class SerialLauncherModule extends LauncherModule {

  /** {@code launcher: {type: serial, reverse: true}}. */
  public record SerialSpec(
      @Field(value = "run the last trial first", fallback = "false") boolean reverse)
      implements LauncherSpec {}

  @Override
  protected void configure() {
    launcher(
        "serial",
        SerialSpec.class,
        spec -> new Serial(spec.reverse()),
        "one trial at a time, in order or last first (an example plugin launcher)");
  }

  static final class Serial implements SweepLauncher {
    private final boolean reverse;

    Serial(boolean reverse) {
      this.reverse = reverse;
    }

    @Override
    public int launch(SweepTrials trials) throws Exception {
      List<Integer> order = new ArrayList<>(trials.pending());
      if (reverse) {
        java.util.Collections.reverse(order);
      }
      for (int i : order) {
        trials.out().println("serial: trial " + trials.name(i));
        trials.started(i);
        int exit =
            new ProcessBuilder(trials.command(String.valueOf(i)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(trials.log(i).toFile()))
                .start()
                .waitFor();
        trials.finished(i);
        if (exit == INTERRUPTED) {
          return INTERRUPTED;
        }
      }
      return OK;
    }
  }
}
