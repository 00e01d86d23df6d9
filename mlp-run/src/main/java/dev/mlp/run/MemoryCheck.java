package dev.mlp.run;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.config.LayerSpec;
import dev.mlp.data.files.InputFiles;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The memory a model needs, estimated from its config before anything is allocated, and refused
 * with the figure when the JVM cannot give it: a model of a million units would otherwise end in
 * {@link OutOfMemoryError} after the data was read.
 *
 * <p>The estimate, in float32 numbers: every parameter and its gradient, plus the optimizer's state
 * per parameter ({@link dev.mlp.core.config.OptimizerSpec#statePerParameter}) when training, plus
 * the checkpoint's copy while one is loaded; and for activations, each layer's output for a
 * training batch three times (the output, its cache and its gradient) and for an evaluation batch
 * twice. Layers whose spec cannot tell its size ({@link LayerSpec#footprint}, a plugin's) and what
 * follows them are not counted.
 */
public final class MemoryCheck {
  private MemoryCheck() {}

  /** What the estimate found. */
  public record Estimate(long bytes, long parameters, int biggestLayer, long biggestParameters) {}

  /**
   * The memory {@code cfg}'s model needs for data of {@code features} per sample.
   *
   * @param training whether it will be trained (gradients, optimizer state, training batches) or
   *     only loaded from a checkpoint and used
   */
  /** Columns of a layer's input a weight gradient packs at a time, at most (16 lanes × 128). */
  static final long PACKED_COLUMNS = 2048;

  public static Estimate estimate(ExperimentConfig cfg, int features, boolean training) {
    List<LayerSpec> layers = cfg.model().layers();
    long parameters = 0;
    long widths = features;
    int biggest = -1;
    long biggestParameters = 0;
    int width = features;
    long widest = features;
    for (int i = 0; i < layers.size(); i++) {
      widest = Math.max(widest, width);
      LayerSpec.Footprint f = layers.get(i).footprint(width);
      if (f == null) {
        break;
      }
      parameters += f.parameters();
      if (f.parameters() > biggestParameters) {
        biggest = i;
        biggestParameters = f.parameters();
      }
      width = f.outputSize();
      widths += width;
    }
    long perParameter =
        training ? 2 + cfg.optimizer().statePerParameter() : 3; // value, gradient, state or copy
    long batchRows =
        (training ? 3L * cfg.training().batchSize() : 0) + 2L * cfg.training().evalBatchSize();
    // a weight gradient packs (up to 2,048 columns of) its input batch: once for the pool's
    // threads, once in the calling thread's scratch
    long packed = training ? 2 * Math.min(widest, PACKED_COLUMNS) * cfg.training().batchSize() : 0;
    long bytes = 4 * (parameters * perParameter + widths * batchRows + packed);
    return new Estimate(bytes, parameters, biggest, biggestParameters);
  }

  /**
   * Refuses {@code cfg} when its estimate is more than this JVM can still allocate.
   *
   * @return null when it fits, else one line saying how much it needs, how much there is, and what
   *     to change (the config path of the biggest layer, the heap flag)
   */
  public static String refusal(ExperimentConfig cfg, int features, boolean training) {
    Estimate e = estimate(cfg, features, training);
    long free = free();
    if (e.bytes() <= free) {
      return null;
    }
    // what looked used may be garbage not yet collected (the data set's reading leaves some): on a
    // small heap (-Xmx100m, MNIST as bytes) that refused a run that fits. Collect once, then judge.
    System.gc();
    free = free();
    if (e.bytes() <= free) {
      return null;
    }
    long machine = machineMemory();
    String biggest =
        e.biggestLayer() < 0
            ? ""
            : String.format(
                ", %,d of them in model.layers[%d]", e.biggestParameters(), e.biggestLayer());
    String more =
        machine > e.bytes() + (256L << 20)
            ? "give Java more with MLP_JAVA_OPTS=-Xmx"
                + Math.max(1, (e.bytes() + (512L << 20)) >> 30)
                + "g (this machine has "
                + InputFiles.bytes(machine)
                + ")"
            : "this machine has " + InputFiles.bytes(machine) + " in all";
    return String.format(
        "the model needs about %s of memory to %s (%,d parameters%s) but Java may use only %s"
            + " more; make it smaller, or %s",
        InputFiles.bytes(e.bytes()),
        training ? "train" : "be used",
        e.parameters(),
        biggest,
        InputFiles.bytes(free),
        more);
  }

  /** Bytes this JVM may still allocate: its maximum heap less what is in use now. */
  private static long free() {
    Runtime rt = Runtime.getRuntime();
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /** The config path to blame: the biggest layer, or the model. */
  public static String path(ExperimentConfig cfg, int features) {
    Estimate e = estimate(cfg, features, false);
    return e.biggestLayer() < 0 ? "model" : "model.layers[" + e.biggestLayer() + "]";
  }

  private static long machineMemory() {
    try {
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getTotalMemorySize();
      }
    } catch (LinkageError | RuntimeException e) {
      // not a HotSpot JVM: say nothing of the machine
    }
    return 0;
  }
}
