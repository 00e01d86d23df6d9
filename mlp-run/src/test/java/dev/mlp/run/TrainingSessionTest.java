package dev.mlp.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.train.EpochMetrics;
import dev.mlp.core.train.TrainingDivergedException;
import dev.mlp.core.train.TrainingListener;
import dev.mlp.core.train.TrainingState;
import dev.mlp.run.checkpoint.Checkpoint;
import dev.mlp.run.checkpoint.Safetensors;
import dev.mlp.run.config.ConfigException;
import dev.mlp.run.config.ConfigLoader;
import dev.mlp.run.folder.RunException;
import dev.mlp.run.folder.RunFolder;
import dev.mlp.run.folder.Summary;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run from its session, as {@code mlp train} and {@code mlp train --resume} drive it, on a data
 * set of 20 rows: what the run folder holds at the end, a stop request saved at its step, a resume
 * ending in the same bits as a run never stopped, the positions and files a resume refuses, and
 * what a run that fails or diverges leaves behind.
 */
class TrainingSessionTest {
  @TempDir Path tmp;
  private final List<String> messages = new ArrayList<>();

  private static List<ConfigLoader.Override> sets(String... sets) {
    return Stream.of(sets).map(ConfigLoader.Override::parse).toList();
  }

  private static TrainingSession create(Path out, String... sets) throws ConfigException {
    return TrainingSession.create(
        TinyRuns.REGISTRY,
        new ConfigLoader(TinyRuns.REGISTRY).load(TinyRuns.CONFIG, Path.of("tiny.yaml"), sets(sets)),
        out);
  }

  private static TrainingSession resume(Path runOrCheckpoint, String... sets)
      throws IOException, ConfigException {
    return TrainingSession.resume(TinyRuns.REGISTRY, runOrCheckpoint, sets(sets));
  }

  private TrainingSession.Result train(TrainingSession session, TrainingListener listener)
      throws IOException, ConfigException {
    session.prepare(1, messages::add);
    return session.train(listener, 0, false, messages::add);
  }

  /** A run to its end; its result. */
  private TrainingSession.Result trained(Path out, String... sets)
      throws IOException, ConfigException {
    try (TrainingSession s = create(out, sets)) {
      return train(s, new TrainingListener() {});
    }
  }

  /** The session's shutdown hook, as the JVM would run it on Ctrl-C or SIGTERM. */
  private static Thread hook(TrainingSession session) {
    try {
      Field f = TrainingSession.class.getDeclaredField("onSignal");
      f.setAccessible(true);
      return (Thread) f.get(session);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * At step {@code at}, does what the JVM does on a signal: runs the session's shutdown hook in a
   * thread of its own, which asks training to stop and then waits for the session to be closed.
   */
  private static final class Signal implements TrainingListener {
    private final TrainingSession session;
    private final long at;
    Thread handler;

    Signal(TrainingSession session, long at) {
      this.session = session;
      this.at = at;
    }

    @Override
    public void onStep(StepProgress p) {
      if (p.steps() != at) {
        return;
      }
      handler = new Thread(hook(session)::run, "signal");
      handler.start();
      while (handler.getState() != Thread.State.TIMED_WAITING) { // asked, now waiting
        assertThat(handler.isAlive()).as("the hook waits for the session").isTrue();
        Thread.onSpinWait();
      }
    }
  }

  /** A run stopped by a signal after step {@code at}; its result. */
  private TrainingSession.Result interrupted(Path out, long at, String... sets)
      throws IOException, ConfigException, InterruptedException {
    TrainingSession.Result r;
    Signal signal;
    try (TrainingSession s = create(out, sets)) {
      s.prepare(1, messages::add);
      signal = new Signal(s, at);
      r = s.train(signal, 0, true);
      assertThat(signal.handler).as("the signal came").isNotNull();
      // while the session is open its hook stays registered, so the JVM waits for the report
      Thread hook = hook(s);
      assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isTrue();
      Runtime.getRuntime().addShutdownHook(hook);
      assertThat(signal.handler.isAlive()).as("the hook waits until close").isTrue();
    }
    signal.handler.join(10_000);
    assertThat(signal.handler.isAlive()).as("close lets the hook end").isFalse();
    return r;
  }

  private static void assertSameRun(Path a, Path b) throws IOException {
    Safetensors.Contents x = Safetensors.read(a.resolve("checkpoints/last.safetensors"));
    Safetensors.Contents y = Safetensors.read(b.resolve("checkpoints/last.safetensors"));
    assertThat(y.metadata()).isEqualTo(x.metadata());
    assertThat(y.tensors().keySet()).containsExactlyElementsOf(x.tensors().keySet());
    x.tensors()
        .forEach(
            (name, t) -> assertThat(y.tensors().get(name).data()).as(name).isEqualTo(t.data()));
    assertThat(withoutTimes(RunFolder.read(b).epochs()))
        .isEqualTo(withoutTimes(RunFolder.read(a).epochs()));
    assertThat(Files.readString(b.resolve("summary.json")))
        .isEqualTo(Files.readString(a.resolve("summary.json")));
  }

  private static List<EpochMetrics> withoutTimes(List<EpochMetrics> epochs) {
    return epochs.stream()
        .map(
            m ->
                new EpochMetrics(
                    m.epoch(),
                    m.steps(),
                    m.train(),
                    m.test(),
                    m.validation(),
                    m.learningRate(),
                    0,
                    0))
        .toList();
  }

  private static long lines(Path metrics, String kind) throws IOException {
    return Files.readAllLines(metrics).stream()
        .filter(l -> l.contains("\"kind\":\"" + kind + "\""))
        .count();
  }

  /** Rewrites entries of a checkpoint's metadata, keeping its tensors. */
  private static void edit(Path checkpoint, String... keyValues) throws IOException {
    Safetensors.Contents c = Safetensors.read(checkpoint);
    Map<String, String> meta = new LinkedHashMap<>(c.metadata());
    for (int i = 0; i < keyValues.length; i += 2) {
      meta.put(keyValues[i], keyValues[i + 1]);
    }
    Safetensors.write(checkpoint, meta, new ArrayList<>(c.tensors().values()));
  }

  // ---- a run from start to end

  @Test
  void aRunLeavesItsConfigMetricsCheckpointAndSummary() throws Exception {
    Path out = tmp.resolve("run");
    TrainingSession.Result r;
    try (TrainingSession s = create(out)) {
      assertThat(s.resumedFrom()).isNull();
      assertThat(s.runDir()).as("no folder before prepare").isNull();
      assertThat(s.start()).isEqualTo(TrainingState.start());
      assertThat(s.complete()).isFalse();
      assertThat(s.config().name()).isEqualTo("tiny");
      assertThatThrownBy(() -> s.train(new TrainingListener() {}, 0, false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("prepare() the session before train()");
      Experiment x = s.prepare(1, messages::add);
      assertThat(s.experiment()).isSameAs(x);
      assertThat(s.runDir()).isEqualTo(out);
      assertThat(messages).containsExactly("tiny: 20 samples");
      r = s.train(new TrainingListener() {}, 0, false);
    }
    assertThat(r.interrupted()).isFalse();
    assertThat(r.stoppedEarly()).isFalse();
    assertThat(r.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
    assertThat(r.keptEpoch()).isEqualTo(3);
    assertThat(r.kept()).isSameAs(r.epochs().get(2));
    assertThat(r.at().steps()).isEqualTo(15);
    assertThat(r.checkpoint()).isEqualTo(out.resolve("checkpoints/last.safetensors"));
    assertThat(out.resolve("checkpoints/best.safetensors")).as("no validation").doesNotExist();

    Checkpoint last = Checkpoint.read(r.checkpoint());
    assertThat(last.state()).isEqualTo(r.at());
    assertThat(last.dataChecksum()).isEqualTo("tiny-1-20");
    assertThat(last.configName()).isEqualTo("tiny");
    assertThat(last.configYaml()).isEqualTo(Files.readString(out.resolve("config.yaml")));
    assertThat(last.configYaml()).contains("samples: 20").contains("epochs: 3");
    assertThat(Summary.read(out.resolve("summary.json")).toJson()).isEqualTo(r.summary().toJson());
    assertThat(r.summary().keptEpoch()).isEqualTo(3);
    assertThat(r.summary().testCount()).isEqualTo(6);
    assertThat(lines(out.resolve("metrics.jsonl"), "epoch")).isEqualTo(3);
    assertThat(lines(out.resolve("metrics.jsonl"), "step")).isZero();
  }

  @Test
  void stepLinesAreLoggedEveryLogEverySteps() throws Exception {
    Path out = tmp.resolve("run");
    try (TrainingSession s = create(out)) {
      s.prepare(1, messages::add);
      s.train(new TrainingListener() {}, 2, false);
    }
    assertThat(lines(out.resolve("metrics.jsonl"), "step")).isEqualTo(7); // steps 2, 4, ..., 14
    assertThat(Files.readAllLines(out.resolve("metrics.jsonl")).get(0))
        .startsWith("{\"kind\":\"step\",\"epoch\":1,\"step\":2,\"loss\":");
  }

  @Test
  void theConfigsCallbacksHearTheRunAfterTheListenerAndSpeakThroughMessages() throws Exception {
    List<String> heard = new ArrayList<>();
    try (TrainingSession s =
        create(tmp.resolve("run"), "training.callbacks=[{type: probe}]", "training.epochs=2")) {
      s.prepare(1, messages::add);
      messages.clear();
      s.train(
          new TrainingListener() {
            @Override
            public void onStep(StepProgress p) {
              messages.add("listener: step " + p.steps());
            }

            @Override
            public void onTrainEnd(dev.mlp.core.train.Trainer.Outcome outcome) {
              heard.add("end " + outcome.keptEpoch());
            }
          },
          0,
          false,
          messages::add);
    }
    assertThat(messages.subList(0, 4))
        .containsExactly("listener: step 1", "probe: step 1", "listener: step 2", "probe: step 2");
    assertThat(messages).contains("probe: epoch 1", "probe: epoch 2").endsWith("probe: end");
    assertThat(messages.stream().filter(m -> m.startsWith("probe: step"))).hasSize(10);
    assertThat(heard).containsExactly("end 2");
  }

  @Test
  void holdingOutEveryTrainingSampleIsRefusedAtTheConfigLine() throws Exception {
    try (TrainingSession s = create(tmp.resolve("run"), "training.validation=20")) {
      assertThatThrownBy(() -> s.prepare(1, messages::add))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "tiny.yaml:12:1: training.validation: holds out 20 samples but tiny has only 20 to"
                  + " train on; hold out fewer");
    }
    assertThat(tmp.resolve("run")).as("refused before the folder is made").doesNotExist();
    try (TrainingSession s = create(tmp.resolve("run"), "training.validation=19")) {
      s.prepare(1, messages::add); // one sample left to train on is enough
    }
  }

  // ---- a stop request, and resuming

  @Test
  void aSignalSavesTheStepAndAResumeEndsInTheSameBitsAsARunNeverStopped() throws Exception {
    Path whole = tmp.resolve("whole");
    trained(whole);
    Path cut = tmp.resolve("cut");
    TrainingSession.Result r = interrupted(cut, 7);
    assertThat(r.interrupted()).isTrue();
    assertThat(r.summary()).isNull();
    assertThat(r.at().steps()).isEqualTo(7);
    assertThat(r.at().epoch()).isEqualTo(1);
    assertThat(r.at().stepInEpoch()).isEqualTo(2);
    assertThat(r.epochs()).hasSize(1);
    assertThat(r.checkpoint()).isEqualTo(cut.resolve("checkpoints/last.safetensors"));
    assertThat(Checkpoint.read(r.checkpoint()).state()).isEqualTo(r.at());
    assertThat(cut.resolve("summary.json")).doesNotExist();

    try (TrainingSession s = resume(cut)) {
      assertThat(s.resumedFrom()).isEqualTo(r.checkpoint());
      assertThat(s.runDir()).isEqualTo(cut);
      assertThat(s.start()).isEqualTo(r.at());
      assertThat(s.complete()).isFalse();
      TrainingSession.Result end = train(s, new TrainingListener() {});
      assertThat(end.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
      assertThat(end.at().steps()).isEqualTo(15);
    }
    assertSameRun(whole, cut);
  }

  @Test
  void aFinishedRunIsExtendedByMoreEpochsToTheSameBitsAsALongerRun() throws Exception {
    Path whole = tmp.resolve("whole");
    trained(whole);
    Path shorter = tmp.resolve("shorter");
    trained(shorter, "training.epochs=2");
    // given the checkpoint file rather than the folder
    Path last = shorter.resolve("checkpoints/last.safetensors");
    try (TrainingSession s = resume(last)) {
      assertThat(s.runDir()).isEqualTo(shorter);
      assertThat(s.complete()).as("all 2 epochs done").isTrue();
    }
    try (TrainingSession s = resume(last, "training.epochs=3")) {
      assertThat(s.complete()).isFalse();
      train(s, new TrainingListener() {});
    }
    // the config the run was extended with is the longer run's
    assertSameRun(whole, shorter);
  }

  @Test
  void epochsBehindTheRunAreRefusedNamingWhereItIs() throws Exception {
    Path done = tmp.resolve("done");
    trained(done);
    Path last = done.resolve("checkpoints/last.safetensors");
    try (TrainingSession s = resume(done, "training.epochs=2")) {
      assertThatThrownBy(s::complete)
          .isInstanceOf(RunException.class)
          .hasMessage(
              last + ": the run is after epoch 3; --epochs 2 is behind it: give at least 3");
    }
    try (TrainingSession s = resume(done, "training.epochs=4")) {
      assertThat(s.complete()).isFalse();
    }
    Path cut = tmp.resolve("cut");
    interrupted(cut, 7);
    try (TrainingSession s = resume(cut, "training.epochs=1")) {
      assertThatThrownBy(s::complete)
          .hasMessage(
              cut.resolve("checkpoints/last.safetensors")
                  + ": the run is in epoch 2 (2 steps done); --epochs 1 is behind it: give at"
                  + " least 2");
    }
    try (TrainingSession s = resume(cut, "training.epochs=2")) {
      assertThat(s.complete()).as("epoch 2 is under way").isFalse();
    }
  }

  /** 16 of 20 rows to train on (4 held out): 4 steps an epoch; only epoch 1 ever counts as best. */
  private static final String[] BEST_OF_ONE = {
    "training.validation=4", "training.early_stopping={patience: 2, min_delta: 0.99}"
  };

  @Test
  void aRunKeepingItsBestEpochResumesWithItAndStopsEarlyAsTheWholeRunDid() throws Exception {
    Path whole = tmp.resolve("whole");
    TrainingSession.Result w = trained(whole, BEST_OF_ONE);
    assertThat(w.stoppedEarly()).isTrue();
    assertThat(w.keptEpoch()).isEqualTo(1);
    assertThat(w.kept()).isSameAs(w.epochs().get(0));
    assertThat(w.epochs()).hasSize(3);
    assertThat(w.checkpoint()).isEqualTo(whole.resolve("checkpoints/best.safetensors"));
    assertThat(Checkpoint.read(w.checkpoint()).state().epoch()).as("saved when improved").isOne();
    assertThat(w.summary().stoppedEarly()).isTrue();

    Path cut = tmp.resolve("cut");
    TrainingSession.Result r = interrupted(cut, 10, BEST_OF_ONE); // epoch 3, step 2
    assertThat(r.at().epoch()).isEqualTo(2);
    assertThat(r.at().bestEpoch()).isEqualTo(1);
    try (TrainingSession s = resume(cut)) {
      TrainingSession.Result end = train(s, new TrainingListener() {});
      assertThat(end.keptEpoch()).isEqualTo(1);
      assertThat(end.stoppedEarly()).isTrue();
      assertThat(end.checkpoint()).isEqualTo(cut.resolve("checkpoints/best.safetensors"));
    }
    assertSameRun(whole, cut);
    try (TrainingSession s = resume(whole, "training.epochs=10")) {
      assertThat(s.complete()).as("stopped early: nothing left").isTrue();
    }
    try (TrainingSession s = resume(whole, "training.epochs=1")) {
      assertThat(s.complete()).as("not behind a run that stopped early").isTrue();
    }
  }

  @Test
  void aBestCheckpointOfAnotherEpochIsRefused() throws Exception {
    Path cut = tmp.resolve("cut");
    interrupted(cut, 10, BEST_OF_ONE);
    Path best = cut.resolve("checkpoints/best.safetensors");
    edit(best, "epoch", "2");
    try (TrainingSession s = resume(cut)) {
      assertThatThrownBy(() -> s.prepare(1, messages::add))
          .isInstanceOf(RunException.class)
          .hasMessage(best + ": holds epoch 2 but the run's best epoch is 1");
    }
  }

  @Test
  void aRunFolderWhoseMetricsLogLostItsEpochsIsRefused() throws Exception {
    Path cut = tmp.resolve("cut");
    interrupted(cut, 7);
    Files.delete(cut.resolve("metrics.jsonl"));
    try (TrainingSession s = resume(cut)) {
      assertThatThrownBy(() -> s.prepare(1, messages::add))
          .isInstanceOf(RunException.class)
          .hasMessage(
              cut.resolve("metrics.jsonl")
                  + ": has 0 epoch lines up to step 7 but the checkpoint is after epoch 1");
    }
  }

  @Test
  void otherDataThanTheRunWasTrainedOnIsRefused() throws Exception {
    Path cut = tmp.resolve("cut");
    interrupted(cut, 7);
    try (TrainingSession s = resume(cut, "data.version=2")) {
      assertThatThrownBy(() -> s.prepare(1, messages::add))
          .isInstanceOf(RunException.class)
          .hasMessage(
              cut.resolve("checkpoints/last.safetensors")
                  + ": was trained on data with checksum tiny-1-20 but the configured data"
                  + " (tiny) now gives tiny-2-20");
    }
  }

  @Test
  void aCheckpointOutsideARunFolderIsNotResumed() throws Exception {
    Path done = tmp.resolve("done");
    trained(done, "training.epochs=1");
    Path loose = Files.createDirectories(tmp.resolve("loose")).resolve("model.safetensors");
    Files.copy(done.resolve("checkpoints/last.safetensors"), loose);
    assertThatThrownBy(() -> resume(loose))
        .isInstanceOf(RunException.class)
        .hasMessage(tmp.resolve("loose") + ": not a run folder (it has no checkpoints/ folder)");
  }

  /** A position a resume must refuse, written into the checkpoint of a run stopped at step 6. */
  private String refusedPosition(String... keyValues) throws Exception {
    Path cut = tmp.resolve("cut");
    if (!Files.exists(cut)) {
      interrupted(cut, 6, BEST_OF_ONE); // epoch 1 done, 2 of epoch 2's 4 steps
      Files.copy(cut.resolve("checkpoints/last.safetensors"), tmp.resolve("genuine.safetensors"));
    }
    Path last = cut.resolve("checkpoints/last.safetensors");
    Files.copy(tmp.resolve("genuine.safetensors"), last, StandardCopyOption.REPLACE_EXISTING);
    edit(last, keyValues);
    try (TrainingSession s = resume(cut)) {
      s.prepare(1, messages::add);
    } catch (RunException e) {
      String prefix = last + ": its training position does not fit the configured run: ";
      assertThat(e.getMessage()).startsWith(prefix);
      return e.getMessage().substring(prefix.length());
    }
    return null;
  }

  @Test
  void aCheckpointWhosePositionDoesNotFitTheRunIsRefusedSayingWhy() throws Exception {
    assertThat(refusedPosition()).as("the genuine position").isNull();
    assertThat(
            refusedPosition(
                "step_in_epoch", "4", "step", "8", "epoch_samples", "16", "optimizer_steps", "8"))
        .isEqualTo("step_in_epoch is 4 but an epoch of 16 samples in batches of 4 has 4 steps");
    assertThat(
            refusedPosition(
                "step_in_epoch", "3", "step", "7", "epoch_samples", "12", "optimizer_steps", "7"))
        .as("the epoch's last step")
        .isNull();
    assertThat(refusedPosition("step", "7", "optimizer_steps", "7"))
        .isEqualTo("step is 7 but 1 epochs of 4 steps and 2 more make 6");
    assertThat(refusedPosition("epoch_samples", "9"))
        .isEqualTo("epoch_samples is 9 but 2 steps of batch 4 see 8");
    assertThat(refusedPosition("epoch_loss_sum", "-0.5"))
        .isEqualTo("epoch_loss_sum is -0.5, not a finite sum of losses");
    assertThat(refusedPosition("epoch_loss_sum", "NaN"))
        .isEqualTo("epoch_loss_sum is NaN, not a finite sum of losses");
    assertThat(refusedPosition("epoch_loss_sum", "Infinity"))
        .isEqualTo("epoch_loss_sum is Infinity, not a finite sum of losses");
    assertThat(refusedPosition("epoch_loss_sum", "0.0")).isNull();
    assertThat(refusedPosition("best_accuracy", "NaN"))
        .isEqualTo("best_accuracy is NaN for best_epoch 1");
    assertThat(refusedPosition("best_accuracy", "-Infinity", "best_epoch", "0", "stalled", "0"))
        .as("no best epoch yet")
        .isNull();
    assertThat(refusedPosition("optimizer_steps", "5"))
        .isEqualTo("optimizer_steps is 5 but the run took 6 steps");
  }

  // ---- failures

  @Test
  void aRunThatFailsBeforeItsFirstCheckpointLeavesNoFolder() throws Exception {
    Path out = tmp.resolve("run");
    assertThatThrownBy(
            () -> trained(out, "training.callbacks=[{type: probe, action: throw, at: 3}]"))
        .isInstanceOf(RuntimeException.class)
        .hasMessage(
            "training.callbacks[0] probe failed in onStep: java.lang.IllegalStateException: probe"
                + " failed at 3");
    assertThat(out).doesNotExist();
  }

  @Test
  void aFailedWriteEndsTheRunWithItsErrorAndLeavesTheUsersOwnFilesAlone() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    assertThatThrownBy(
            () ->
                trained(
                    out,
                    "training.callbacks=[{type: probe, action: break-log, at: 2, dir: '"
                        + out
                        + "'}]"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(out.resolve("metrics.jsonl").toString());
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).containsExactly(out.resolve("notes.txt"));
    }
  }

  @Test
  void divergenceBeforeTheFirstCheckpointRemovesTheRunsFiles() throws Exception {
    Path made = tmp.resolve("made");
    assertThatThrownBy(
            () -> trained(made, "training.callbacks=[{type: probe, action: nan, at: 2}]"))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageStartingWith("loss became NaN at epoch 1, step 3")
        .hasMessageEndingWith("; no checkpoint was written and the run folder was removed");
    assertThat(made).doesNotExist();

    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("notes.txt"), "mine");
    assertThatThrownBy(
            () -> trained(mine, "training.callbacks=[{type: probe, action: nan, at: 2}]"))
        .hasMessageEndingWith(
            "; no checkpoint was written, and the run's files were removed from " + mine);
    try (Stream<Path> left = Files.list(mine)) {
      assertThat(left).containsExactly(mine.resolve("notes.txt"));
    }
  }

  @Test
  void divergenceAfterAGoodEpochKeepsItsCheckpoint() throws Exception {
    Path out = tmp.resolve("run");
    assertThatThrownBy(() -> trained(out, "training.callbacks=[{type: probe, action: nan, at: 7}]"))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageEndingWith(
            "; kept the last good checkpoint, "
                + out.resolve("checkpoints/last.safetensors")
                + " (epoch 1)");
    assertThat(Checkpoint.read(out.resolve("checkpoints/last.safetensors")).state().steps())
        .isEqualTo(5);
    assertThat(lines(out.resolve("metrics.jsonl"), "epoch")).isOne();
  }

  @Test
  void aResumedRunThatFailsKeepsEverythingItHad() throws Exception {
    Path cut = tmp.resolve("cut");
    interrupted(cut, 7, "training.callbacks=[{type: probe}]");
    byte[] last = Files.readAllBytes(cut.resolve("checkpoints/last.safetensors"));
    try (TrainingSession s =
        resume(cut, "training.callbacks=[{type: probe, action: throw, at: 9}]")) {
      assertThatThrownBy(() -> train(s, new TrainingListener() {}))
          .hasMessageEndingWith("probe failed at 9");
    }
    assertThat(cut.resolve("checkpoints/last.safetensors")).hasBinaryContent(last);
    assertThat(cut.resolve("config.yaml")).exists();
    assertThat(lines(cut.resolve("metrics.jsonl"), "epoch")).isOne();
  }

  @Test
  void withoutStopOnShutdownNoHookIsRegistered() throws Exception {
    try (TrainingSession s = create(tmp.resolve("run"), "training.epochs=1")) {
      train(s, new TrainingListener() {});
      assertThat(hook(s)).isNull();
    }
  }
}
