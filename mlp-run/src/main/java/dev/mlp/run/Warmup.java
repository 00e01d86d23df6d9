package dev.mlp.run;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.data.DataShape;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.random.Rng;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.run.config.LoadedConfig;

/**
 * Trains a throwaway copy of the config's model on random numbers, on a thread of its own, while
 * the data set is being read: by the time the first real step runs, the JIT has compiled the
 * kernels, layers and optimizer it uses, so the first epoch is not several times slower than the
 * next ones. The copy shares nothing with the real model (its own weights, random streams and
 * buffers) and never touches it; anything it throws just ends the warm-up.
 *
 * <p>Only models of at most {@link #MAX_BYTES} are copied: a second copy must not be what runs the
 * machine out of memory.
 */
final class Warmup {
  /** The largest model (weights, gradients, optimizer state, batches) worth a second copy. */
  static final long MAX_BYTES = 64L << 20;

  /** Steps it runs at least, even when the data set was quicker: enough for the JIT to start. */
  static final int MIN_STEPS = 60;

  /** Steps after which it stops anyway. */
  static final int MAX_STEPS = 3000;

  private final Thread thread;
  private volatile boolean stop;
  private volatile int steps;

  private Warmup(Thread thread) {
    this.thread = thread;
  }

  /** A warm-up that does nothing (the data's shape is not known before it is read). */
  static final Warmup NONE = new Warmup(null);

  /**
   * Starts warming up {@code loaded}'s model for data of {@code shape}, or does nothing when the
   * shape is unknown or the model too big to copy.
   */
  static Warmup start(Registry registry, LoadedConfig loaded, DataShape shape) {
    ExperimentConfig cfg = loaded.config();
    if (shape == null
        || "false".equals(System.getProperty("mlp.warmup")) // to measure without it
        // not VectorKernels.available(): loading that class needs the Vector API module
        || dev.mlp.core.tensor.Kernels.defaults() == dev.mlp.core.tensor.ScalarKernels.INSTANCE
        || MemoryCheck.estimate(cfg, shape.features(), true).bytes() > MAX_BYTES) {
      return NONE;
    }
    Warmup[] self = new Warmup[1];
    Thread t =
        new Thread(
            () -> {
              try {
                self[0].run(registry, loaded, shape);
              } catch (Throwable e) { // NOPMD: a warm-up that fails only warms less
                // nothing: the real run builds and reports everything itself
              }
            },
            "mlp-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    self[0] = new Warmup(t);
    t.start();
    return self[0];
  }

  private void run(Registry registry, LoadedConfig loaded, DataShape shape) throws Exception {
    ExperimentConfig cfg = loaded.config();
    Kernels kernels = Kernels.defaults(); // one thread: the pool's workers run the same code
    Sequential model =
        Experiment.build(registry, loaded, kernels, shape.features(), shape.classes());
    Optimizer optimizer = registry.optimizer(cfg.optimizer(), kernels);
    int batch = cfg.training().batchSize();
    Rng rng = new Rng(1);
    Tensor x = new Tensor(batch, shape.features());
    int[] labels = new int[batch];
    int[] order = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = rng.nextInt(shape.classes());
      order[i] = i;
    }
    // batches gathered from bytes, as an image data set's are (the conversion is vector code, which
    // runs slowly until compiled); random bytes over 255 are random numbers in [0, 1]
    byte[] pixels = new byte[x.size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) rng.nextInt(256);
    }
    Dataset images =
        Dataset.unsignedBytes("warm-up", pixels, 255f, labels, shape.features(), shape.classes());
    while (steps < MAX_STEPS && (!stop || steps < MIN_STEPS)) {
      images.gatherRows(kernels, order, 0, batch, x.data());
      model.loss().setTargets(labels); // any loss takes class labels (mse as one-hot targets)
      model.forward(x, Mode.TRAIN);
      model.backward();
      optimizer.step(model.parameters());
      steps++;
    }
  }

  /** Ends the warm-up (after its first {@link #MIN_STEPS} steps) and waits for its thread. */
  void stop() {
    if (thread == null) {
      return;
    }
    stop = true;
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits, however long it takes, for the thread to end (for tests: no clock decides). */
  void awaitEnd() throws InterruptedException {
    if (thread != null) {
      thread.join();
    }
  }

  /** The steps it ran. */
  int steps() {
    return steps;
  }
}
