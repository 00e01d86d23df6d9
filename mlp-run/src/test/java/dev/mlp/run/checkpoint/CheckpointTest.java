package dev.mlp.run.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.config.ExperimentConfig;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.nn.Layer;
import dev.mlp.core.nn.Mode;
import dev.mlp.core.nn.Parameter;
import dev.mlp.core.nn.Sequential;
import dev.mlp.core.nn.Stochastic;
import dev.mlp.core.optim.AdamSpec;
import dev.mlp.core.optim.Optimizer;
import dev.mlp.core.optim.SgdSpec;
import dev.mlp.core.registry.ModelBuilder;
import dev.mlp.core.registry.Registry;
import dev.mlp.core.schedule.ScheduleSpecs;
import dev.mlp.core.tensor.Kernels;
import dev.mlp.core.tensor.Tensor;
import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.Trainer;
import dev.mlp.core.train.TrainingListener;
import dev.mlp.core.train.TrainingState;
import dev.mlp.layers.Mse;
import dev.mlp.run.Modules;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checkpoint is what --resume, mlp eval and mlp predict start from: everything in it must come
 * back bit for bit into a freshly built model, and a file that does not fit is refused in one line
 * that names it.
 */
class CheckpointTest {
  static final Registry REGISTRY = Modules.registry();
  static final Kernels KERNELS = Kernels.defaults();
  static final Path CONFIGS = Path.of("..", "configs");
  static final Checkpoint.Info INFO =
      new Checkpoint.Info("name: t\nseed: 42\n", "t", "sha256:0123abcd", "1.2.3-test");

  /**
   * 784 → 32 → 16 → 10 with two dropout layers and Adam: every kind of state a checkpoint holds.
   */
  static final String ADAM_DROPOUT =
      """
      name: adam-dropout
      seed: 7
      data: {type: mnist}
      model:
        layers:
          - {type: linear, units: 32}
          - {type: relu}
          - {type: dropout, rate: 0.3}
          - {type: linear, units: 16}
          - {type: tanh}
          - {type: dropout, rate: 0.25}
          - {type: linear, units: 10}
          - {type: softmax_cross_entropy}
      optimizer: {type: adam, lr: 0.01}
      training: {epochs: 2, batch_size: 8}
      """;

  @TempDir Path dir;

  /** A model and its optimizer, built from a config as mlp train builds them. */
  record Run(ExperimentConfig config, Sequential model, Optimizer optimizer) {
    static Run of(ExperimentConfig cfg) {
      Sequential model =
          new ModelBuilder(REGISTRY, KERNELS).build(cfg.model(), 784, 10, cfg.seed());
      return new Run(cfg, model, REGISTRY.optimizer(cfg.optimizer(), KERNELS));
    }

    static Run of(String yaml) throws ConfigException {
      return of(new ConfigLoader(REGISTRY).load(yaml, Path.of("test.yaml"), List.of()).config());
    }

    static Run ofFile(String name, String... sets) throws ConfigException {
      List<ConfigLoader.Override> overrides =
          Stream.of(sets).map(ConfigLoader.Override::parse).toList();
      return of(new ConfigLoader(REGISTRY).load(CONFIGS.resolve(name), overrides).config());
    }

    Trainer trainer() {
      var spec = config.training();
      return new Trainer(
          model,
          optimizer,
          spec,
          config.seed(),
          KERNELS,
          REGISTRY.schedule(
              spec.schedule() != null ? spec.schedule() : new ScheduleSpecs.Constant(null)));
    }

    void save(Path file, TrainingState state) throws IOException {
      Checkpoint.save(file, model, optimizer, state, INFO);
    }
  }

  /** Samples of noise with arbitrary labels: enough for real gradients and optimizer state. */
  static Dataset noise(String name, int count, long seed) {
    Random r = new Random(seed);
    float[] x = new float[count * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    int[] y = new int[count];
    for (int i = 0; i < count; i++) {
      y[i] = r.nextInt(10);
    }
    return new Dataset(name, x, y, 784, 10);
  }

  static final Dataset TRAIN = noise("train", 100, 1); // 13 steps of 8 per epoch
  static final Dataset TEST = noise("test", 20, 2);

  /** Trains {@code run} until {@code stopAt} steps are done (or to the end); the epochs seen. */
  static List<EpochMetrics> train(Run run, Trainer trainer, long stopAt) {
    List<EpochMetrics> epochs = new ArrayList<>();
    trainer.fit(
        TRAIN,
        TEST,
        new TrainingListener() {
          @Override
          public void onStep(StepProgress p) {
            if (p.steps() == stopAt) {
              trainer.requestStop();
            }
          }

          @Override
          public void onEpoch(EpochMetrics m, boolean improved) {
            epochs.add(m);
          }
        });
    return epochs;
  }

  static float[][] weights(Sequential model) {
    return model.parameters().stream().map(p -> p.value().data().clone()).toArray(float[][]::new);
  }

  static List<float[]> optimizerState(Run run) {
    List<float[]> out = new ArrayList<>();
    List<Parameter> params = run.model().parameters();
    for (int i = 0; i < params.size(); i++) {
      for (float[] slot : run.optimizer().state(params, i)) {
        out.add(slot.clone());
      }
    }
    return out;
  }

  static List<Long> randomStates(Sequential model) {
    List<Long> out = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (l instanceof Stochastic s) {
        out.add(s.randomState());
      }
    }
    return out;
  }

  static void assertSameBits(float[] actual, float[] expected, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
        throw new AssertionError(
            what + "[" + i + "]: " + actual[i] + " but the saved run had " + expected[i]);
      }
    }
  }

  @Test
  void aRunStoppedMidEpochComesBackBitForBitIntoAFreshModel() throws Exception {
    Run trained = Run.of(ADAM_DROPOUT);
    Trainer trainer = trained.trainer();
    train(trained, trainer, 17); // epoch 2, its 4th step
    TrainingState state = trainer.state();
    assertThat(state.epoch()).isEqualTo(1);
    assertThat(state.stepInEpoch()).isEqualTo(4);
    assertThat(state.samples()).isEqualTo(32);
    assertThat(state.lossSum()).isPositive();
    Path file = dir.resolve("last.safetensors");
    trained.save(file, state);

    Run fresh = Run.of(ADAM_DROPOUT);
    // the test means something only if the fresh run differs in everything restored
    assertThat(weights(fresh.model())[0]).isNotEqualTo(weights(trained.model())[0]);
    assertThat(randomStates(fresh.model())).isNotEqualTo(randomStates(trained.model()));
    assertThat(fresh.optimizer().steps()).isZero();

    Checkpoint c = Checkpoint.read(file);
    assertThat(c.state()).isEqualTo(state);
    c.loadWeights(fresh.model());
    c.loadTrainingState(fresh.model(), fresh.optimizer());

    float[][] want = weights(trained.model());
    float[][] got = weights(fresh.model());
    List<Parameter> params = fresh.model().parameters();
    assertThat(got).hasNumberOfRows(6);
    for (int i = 0; i < want.length; i++) {
      assertSameBits(got[i], want[i], "parameter " + i + " (" + params.get(i).name() + ")");
    }
    List<float[]> wantState = optimizerState(trained);
    List<float[]> gotState = optimizerState(fresh);
    assertThat(gotState).hasSize(12); // exp_avg and exp_avg_sq of 6 parameters
    for (int i = 0; i < wantState.size(); i++) {
      assertThat(wantState.get(i))
          .as("Adam state %d is non-zero", i)
          .isNotEqualTo(new float[wantState.get(i).length]);
      assertSameBits(gotState.get(i), wantState.get(i), "optimizer state " + i);
    }
    assertThat(fresh.optimizer().steps()).isEqualTo(17);
    assertThat(randomStates(fresh.model())).hasSize(2).isEqualTo(randomStates(trained.model()));
  }

  @Test
  void aResumedRunEndsExactlyAsTheUninterruptedOne() throws Exception {
    Run whole = Run.of(ADAM_DROPOUT);
    List<EpochMetrics> wholeEpochs = train(whole, whole.trainer(), -1);
    assertThat(wholeEpochs).hasSize(2);

    Run first = Run.of(ADAM_DROPOUT);
    Trainer t1 = first.trainer();
    List<EpochMetrics> before = train(first, t1, 17);
    Path file = dir.resolve("last.safetensors");
    first.save(file, t1.state());

    // a new process: a fresh model and optimizer, everything else from the file
    Run second = Run.of(ADAM_DROPOUT);
    Checkpoint c = Checkpoint.read(file);
    c.loadWeights(second.model());
    c.loadTrainingState(second.model(), second.optimizer());
    Trainer t2 = second.trainer();
    t2.resume(c.state(), before, null);
    List<EpochMetrics> after = new ArrayList<>();
    t2.fit(
        TRAIN,
        TEST,
        new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics m, boolean improved) {
            after.add(m);
          }
        });

    float[][] want = weights(whole.model());
    float[][] got = weights(second.model());
    for (int i = 0; i < want.length; i++) {
      assertSameBits(got[i], want[i], "final parameter " + i);
    }
    EpochMetrics w = wholeEpochs.get(1);
    EpochMetrics r = after.get(0);
    // the epoch's running loss and accuracy include the steps before the interruption
    assertThat(r.loss()).isEqualTo(w.loss());
    assertThat(r.trainAccuracy()).isEqualTo(w.trainAccuracy());
    assertThat(r.testLoss()).isEqualTo(w.testLoss());
    assertThat(r.steps()).isEqualTo(26);
  }

  @Test
  void theBestMlpKeepsItsMomentumAndBothDropoutStreamsUnderPyTorchNames() throws Exception {
    Run trained = Run.ofFile("mnist-mlp-best.yaml", "training.batch_size=16");
    Trainer trainer = trained.trainer();
    train(trained, trainer, 3);
    Path file = dir.resolve("best.safetensors");
    trained.save(file, trainer.state());

    assertThat(Safetensors.read(file).tensors().keySet())
        .containsExactly(
            "layers.0.weight",
            "layers.0.bias",
            "layers.3.weight",
            "layers.3.bias",
            "layers.6.weight",
            "layers.6.bias",
            "optimizer.layers.0.weight.momentum_buffer",
            "optimizer.layers.0.bias.momentum_buffer",
            "optimizer.layers.3.weight.momentum_buffer",
            "optimizer.layers.3.bias.momentum_buffer",
            "optimizer.layers.6.weight.momentum_buffer",
            "optimizer.layers.6.bias.momentum_buffer");
    Checkpoint c = Checkpoint.read(file);
    assertThat(Safetensors.read(file).tensors().get("layers.3.weight").shape())
        .containsExactly(1024, 1024);
    assertThat(Safetensors.read(file).tensors().get("layers.6.bias").shape()).containsExactly(10);
    assertThat(c.metadata())
        .containsKeys("random_state.layers.2", "random_state.layers.5")
        .doesNotContainKey("random_state.layers.3");
    assertThat(c.inputSize()).isEqualTo(784);
    assertThat(c.numClasses()).isEqualTo(10);
    assertThat(c.configYaml()).isEqualTo(INFO.configYaml());
    assertThat(c.configName()).isEqualTo("t");
    assertThat(c.dataChecksum()).isEqualTo("sha256:0123abcd");
    assertThat(c.version()).isEqualTo("1.2.3-test");

    Run fresh = Run.ofFile("mnist-mlp-best.yaml", "training.batch_size=16");
    c.loadWeights(fresh.model());
    c.loadTrainingState(fresh.model(), fresh.optimizer());
    float[][] want = weights(trained.model());
    float[][] got = weights(fresh.model());
    for (int i = 0; i < want.length; i++) {
      assertSameBits(got[i], want[i], "parameter " + i);
    }
    List<float[]> wantState = optimizerState(trained);
    List<float[]> gotState = optimizerState(fresh);
    assertThat(gotState).hasSize(6);
    for (int i = 0; i < wantState.size(); i++) {
      assertSameBits(gotState.get(i), wantState.get(i), "momentum buffer " + i);
    }
    assertThat(fresh.optimizer().steps()).isEqualTo(3);
    assertThat(randomStates(fresh.model())).isEqualTo(randomStates(trained.model()));
  }

  static Stream<TrainingState> states() {
    return Stream.of(
        TrainingState.start(), // best accuracy −∞
        new TrainingState(
            4, 1234, 8734, 1234.5678901234567, 12000, 39488, 3, 5917.0 / 6000, 1, false),
        new TrainingState(9, 0, 16875, 0, 0, 0, 4, 0.99, 5, true)); // stopped early
  }

  @ParameterizedTest
  @MethodSource("states")
  void theTrainingPositionIsKeptExactly(TrainingState state) throws Exception {
    Run run = Run.ofFile("mnist-2layer.yaml");
    Path file = dir.resolve("c.safetensors");
    run.save(file, state);
    assertThat(Checkpoint.read(file).state()).isEqualTo(state);
  }

  // --- refusals: one line, naming the file and what does not fit

  private static CheckpointException refusal(Path file, ThrowingRunnable r) {
    try {
      r.run();
    } catch (CheckpointException e) {
      assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a CheckpointException, got " + e, e);
    }
    throw new AssertionError("expected " + file + " to be refused");
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private Path saved(Run run, String name) throws IOException {
    Path file = dir.resolve(name);
    run.save(file, TrainingState.start());
    return file;
  }

  @Test
  void aModelOfAnotherWidthIsRefusedNamingTheTensorAndBothShapes() throws Exception {
    Path file = saved(Run.ofFile("mnist-2layer.yaml"), "wide.safetensors");
    Run narrow = Run.ofFile("mnist-2layer.yaml", "model.layers[0].units=64");
    float[][] before = weights(narrow.model());
    Checkpoint c = Checkpoint.read(file);
    assertThat(refusal(file, () -> c.loadWeights(narrow.model())))
        .hasMessage(
            file
                + ": tensor layers.0.weight has shape [128, 784] but the configured model needs"
                + " [64, 784]");
    assertThat(weights(narrow.model())).isDeepEqualTo(before); // nothing half-loaded
    assertThatThrownBy(() -> c.weights(narrow.model())).isInstanceOf(CheckpointException.class);
  }

  @Test
  void aNonFiniteWeightIsRefusedNamingTheTensorAndNothingIsLoaded() throws Exception {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      Run run = Run.of(ONE_LAYER);
      Path file = saved(run, "nonfinite-" + bad + ".safetensors");
      Safetensors.Contents c = Safetensors.read(file);
      List<Safetensors.Tensor> tensors = new java.util.ArrayList<>();
      for (Safetensors.Tensor t : c.tensors().values()) {
        float[] data = t.data().clone();
        if (t.name().equals("layers.0.bias")) {
          data[3] = bad;
        }
        tensors.add(new Safetensors.Tensor(t.name(), t.shape(), data));
      }
      Safetensors.write(file, c.metadata(), tensors);
      Run fresh = Run.of(ONE_LAYER);
      float[][] before = weights(fresh.model());
      assertThat(refusal(file, () -> Checkpoint.read(file).loadWeights(fresh.model())))
          .hasMessage(
              file
                  + ": tensor layers.0.bias holds "
                  + bad
                  + " at index 3; a model's weights must be finite numbers (a damaged or"
                  + " diverged file)");
      assertThat(weights(fresh.model())).isDeepEqualTo(before);
    }
  }

  static final String ONE_LAYER =
      "data: {type: mnist}\noptimizer: {type: sgd, lr: 0.1}\n"
          + "model: {layers: [{type: linear, units: 10}, {type: softmax_cross_entropy}]}\n";
  static final String TWO_LAYERS =
      "data: {type: mnist}\noptimizer: {type: sgd, lr: 0.1}\n"
          + "model: {layers: [{type: linear, units: 10}, {type: sigmoid},"
          + " {type: linear, units: 10}, {type: softmax_cross_entropy}]}\n";

  @Test
  void aModelWithMoreLayersIsRefusedNamingTheMissingTensor() throws Exception {
    Path file = saved(Run.of(ONE_LAYER), "one.safetensors");
    Run deeper = Run.of(TWO_LAYERS);
    assertThat(refusal(file, () -> Checkpoint.read(file).loadWeights(deeper.model())))
        .hasMessage(
            file
                + ": has no tensor layers.2.weight that the configured model needs (model:"
                + " layers.0.weight[10, 784], layers.0.bias[10], layers.2.weight[10, 10],"
                + " layers.2.bias[10])");
  }

  @Test
  void aModelWithFewerLayersIsRefusedNamingTheExtraTensor() throws Exception {
    Path file = saved(Run.of(TWO_LAYERS), "two.safetensors");
    Run shallower = Run.of(ONE_LAYER);
    assertThat(refusal(file, () -> Checkpoint.read(file).loadWeights(shallower.model())))
        .hasMessage(
            file
                + ": has tensor layers.2.weight that the configured model does not"
                + " (layers.0.weight[10, 784], layers.0.bias[10])");
  }

  @Test
  void anotherKindOfOptimizerIsRefused() throws Exception {
    Path file = saved(Run.ofFile("mnist-2layer.yaml"), "sgd.safetensors"); // plain sgd: no state
    Run run = Run.ofFile("mnist-2layer.yaml");
    Optimizer adam = REGISTRY.optimizer(new AdamSpec(null, null, null, null, null), KERNELS);
    Checkpoint c = Checkpoint.read(file);
    c.loadWeights(run.model()); // the weights fit
    assertThat(refusal(file, () -> c.loadTrainingState(run.model(), adam)))
        .hasMessage(
            file
                + ": has no optimizer state optimizer.layers.0.weight.exp_avg for"
                + " adam(lr=0.001, betas=(0.9, 0.999)) (was the run trained with another"
                + " optimizer?)");
  }

  private static final List<Safetensors.Tensor> ONE_TENSOR =
      List.of(new Safetensors.Tensor("layers.0.weight", new long[] {1, 2}, new float[] {1, 2}));

  @Test
  void anotherFormatIsRefusedSayingWhichThisMlpReads() throws Exception {
    Path file = dir.resolve("future.safetensors");
    Safetensors.write(
        file, Map.of("format", "mlp-checkpoint/99", "mlp_version", "9.0.0"), ONE_TENSOR);
    assertThat(refusal(file, () -> Checkpoint.read(file)))
        .hasMessage(
            file + ": written as mlp-checkpoint/99 by mlp 9.0.0; this mlp reads mlp-checkpoint/1");
  }

  @Test
  void aSafetensorsFileFromElsewhereIsNotAnMlpCheckpoint() throws Exception {
    Path file = dir.resolve("model.safetensors");
    Safetensors.write(file, Map.of(), ONE_TENSOR);
    assertThat(refusal(file, () -> Checkpoint.read(file)))
        .hasMessageContaining("a safetensors file but not an mlp checkpoint");
  }

  /** The checkpoint {@code original} with one metadata entry changed (or removed, for null). */
  private Path damaged(Path original, String key, String value) throws IOException {
    Safetensors.Contents c = Safetensors.read(original);
    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
    assertThat(meta).containsKey(key);
    if (value == null) {
      meta.remove(key);
    } else {
      meta.put(key, value);
    }
    Path file = dir.resolve("damaged-" + key + ".safetensors");
    Safetensors.write(file, meta, new ArrayList<>(c.tensors().values()));
    return file;
  }

  static Stream<Arguments> damagedPositions() {
    return Stream.of(
        Arguments.of("epoch", "x", "its training position is damaged"),
        Arguments.of("step", "", "its training position is damaged"),
        Arguments.of("best_accuracy", "high", "its training position is damaged"),
        Arguments.of("epoch_correct", "99", "its training position is damaged"), // > samples
        Arguments.of("best_epoch", "5", "its training position is damaged"), // > epoch
        Arguments.of("stopped_early", "maybe", "its training position is damaged"),
        Arguments.of("step", null, "its metadata lacks 'step'"),
        Arguments.of("config", null, "its metadata lacks 'config'"));
  }

  @ParameterizedTest
  @MethodSource("damagedPositions")
  void damagedMetadataIsRefusedOnReading(String key, String value, String message)
      throws Exception {
    Run run = Run.ofFile("mnist-2layer.yaml");
    Path good = dir.resolve("good.safetensors");
    run.save(good, new TrainingState(1, 3, 1878, 2.5, 50, 96, 1, 0.9, 0, false));
    Checkpoint.read(good); // fine before the damage
    Path file = damaged(good, key, value);
    assertThat(refusal(file, () -> Checkpoint.read(file))).hasMessageContaining(message);
  }

  static Stream<Arguments> damagedTrainingState() {
    return Stream.of(
        Arguments.of("optimizer_steps", "x"),
        Arguments.of("optimizer_steps", "-1"),
        Arguments.of("random_state.layers.2", "x"),
        Arguments.of("random_state.layers.2", null));
  }

  @ParameterizedTest
  @MethodSource("damagedTrainingState")
  void damagedTrainingStateIsRefusedOnLoading(String key, String value) throws Exception {
    Run trained =
        Run.ofFile("mnist-mlp-best.yaml", "model.layers[0].units=8", "model.layers[3].units=8");
    Path file = damaged(saved(trained, "good.safetensors"), key, value);
    Run fresh =
        Run.ofFile("mnist-mlp-best.yaml", "model.layers[0].units=8", "model.layers[3].units=8");
    Checkpoint c = Checkpoint.read(file);
    c.loadWeights(fresh.model());
    assertThat(refusal(file, () -> c.loadTrainingState(fresh.model(), fresh.optimizer())))
        .hasMessageContaining(value == null ? "lacks '" + key + "'" : "damaged");
  }

  // --- shapes: a parameter is saved and checked in the shape it declares, whatever its name

  /** Identity on width 3 with the given parameters: only their names and shapes matter here. */
  record Declaring(List<Parameter> parameters) implements Layer {
    @Override
    public int inputSize() {
      return 3;
    }

    @Override
    public int outputSize() {
      return 3;
    }

    @Override
    public Tensor forward(Tensor input, Mode mode) {
      return input;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
      return gradOutput;
    }

    @Override
    public String typeName() {
      return "declaring";
    }
  }

  private static Sequential declaring(Parameter... parameters) {
    return new Sequential(List.of(new Declaring(List.of(parameters)), new Mse(3)));
  }

  @Test
  void everyParameterIsSavedAndCheckedInTheShapeItDeclaresWhateverItsName() throws Exception {
    Sequential model =
        declaring(
            Parameter.vector("gain", 3),
            new Parameter("bias", new Tensor(1, 3)), // a matrix [1, 3], though named bias
            new Parameter("kernel", new Tensor(2, 6), 2, 3, 2));
    Optimizer sgd = REGISTRY.optimizer(new SgdSpec(0.1, 0.9, null, null), KERNELS);
    Path file = dir.resolve("declared.safetensors");
    Checkpoint.save(file, model, sgd, TrainingState.start(), INFO);

    Map<String, Safetensors.Tensor> saved = Safetensors.read(file).tensors();
    assertThat(saved.get("layers.0.gain").shape()).containsExactly(3);
    assertThat(saved.get("layers.0.bias").shape()).containsExactly(1, 3);
    assertThat(saved.get("layers.0.kernel").shape()).containsExactly(2, 3, 2);
    assertThat(saved.get("optimizer.layers.0.gain.momentum_buffer").shape()).containsExactly(3);
    assertThat(saved.get("optimizer.layers.0.kernel.momentum_buffer").shape())
        .containsExactly(2, 3, 2);

    Checkpoint.read(file)
        .loadWeights(
            declaring(
                Parameter.vector("gain", 3),
                new Parameter("bias", new Tensor(1, 3)),
                new Parameter("kernel", new Tensor(2, 6), 2, 3, 2)));
    Sequential gainAsAMatrix =
        declaring(
            Parameter.matrix("gain", 1, 3),
            new Parameter("bias", new Tensor(1, 3)),
            new Parameter("kernel", new Tensor(2, 6), 2, 3, 2));
    assertThat(refusal(file, () -> Checkpoint.read(file).loadWeights(gainAsAMatrix)))
        .hasMessage(
            file + ": tensor layers.0.gain has shape [3] but the configured model needs [1, 3]");
  }
}
