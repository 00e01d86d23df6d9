package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxReader;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlp export} through the real process: what it writes passes ONNX's own checker (Debian's
 * python3-onnx, full check) and gives, in ONNX Runtime, the class {@code mlp predict} gives for
 * every MNIST test image; and what it refuses.
 */
class ExportIT {
  @TempDir static Path work;
  static Path checkpoint;

  @BeforeAll
  static void trainTheSeedForAnEpoch() throws Exception {
    MlpProcess.Result r = MlpProcess.trainSeed(1, "--out", work.resolve("run").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    checkpoint = work.resolve("run/checkpoints/last.safetensors");
  }

  @Test
  void theSeedExportPassesOnnxsCheckerAndRunsInOnnxRuntimeAsPredictDoes() throws Exception {
    Path onnx = work.resolve("seed.onnx");
    MlpProcess.Result r =
        MlpProcess.run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "--format",
            "onnx",
            "--out",
            onnx.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .matches(
            "\\Q"
                + onnx
                + "\\E: ONNX opset 17, [0-9.]+ KB; input 'input' \\[N, 784\\] -> output"
                + " 'probabilities' \\[N, 10\\]\\n");
    assertCheckerAccepts(onnx);
    assertOnnxRuntimeAgreesWithPredict(onnx, checkpoint, Map.of());
  }

  @Test
  void withoutOutTheFileGoesBesideTheCheckpoint() throws Exception {
    Path copy = Files.copy(checkpoint, work.resolve("beside.safetensors"));
    MlpProcess.Result r = MlpProcess.run("export", "--checkpoint", copy.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(work.resolve("beside.onnx")).isNotEmptyFile();
  }

  @Test
  void anExistingFileIsKeptUnlessForceIsGiven() throws Exception {
    Path onnx = Files.writeString(work.resolve("mine.onnx"), "the user's own file");
    MlpProcess.Result r =
        MlpProcess.run("export", "--checkpoint", checkpoint.toString(), "--out", onnx.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("mlp: error: " + onnx + ": already exists; give --force to replace it");
    assertThat(Files.readString(onnx)).isEqualTo("the user's own file");
    MlpProcess.Result f =
        MlpProcess.run(
            "export", "--checkpoint", checkpoint.toString(), "--out", onnx.toString(), "--force");
    assertThat(f.exit()).as(f.err()).isZero();
    assertCheckerAccepts(onnx);
  }

  @Test
  void badArgumentsAreOneLineAndExitCode2() throws Exception {
    MlpProcess.Result format =
        MlpProcess.run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "--format",
            "tflite",
            "--out",
            "x.tflite");
    assertThat(format.exit()).isEqualTo(2);
    assertThat(format.errLines())
        .containsExactly("mlp: error: --format: unknown format 'tflite'; expected onnx");
    MlpProcess.Result missing =
        MlpProcess.run("export", "--checkpoint", work.resolve("none.safetensors").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.errLines()).hasSize(1);
    assertThat(missing.err()).contains("none.safetensors");
    MlpProcess.Result folder =
        MlpProcess.run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "--out",
            work.resolve("made/for/it/m.onnx").toString());
    assertThat(folder.exit()).as("a missing folder is made, as train --out makes it").isZero();
    assertThat(work.resolve("made/for/it/m.onnx")).isNotEmptyFile();
  }

  @Test
  void forceNeverReplacesADeviceALinkOrTheCheckpointItself() throws Exception {
    MlpProcess.Result dev =
        MlpProcess.run(
            "export", "--checkpoint", checkpoint.toString(), "--out", "/dev/null", "--force");
    assertThat(dev.exit()).isEqualTo(2);
    assertThat(dev.errLines())
        .containsExactly(
            "mlp: error: /dev/null: is not a regular file (a folder, link, device or pipe); --out names a file to write");
    assertThat(Path.of("/dev/null")).matches(p -> !Files.isRegularFile(p), "still a device");
    Path link = work.resolve("link.onnx");
    Files.createSymbolicLink(link, checkpoint);
    MlpProcess.Result l =
        MlpProcess.run(
            "export", "--checkpoint", checkpoint.toString(), "--out", link.toString(), "--force");
    assertThat(l.exit()).isEqualTo(2);
    byte[] before = Files.readAllBytes(checkpoint);
    MlpProcess.Result self =
        MlpProcess.run(
            "export",
            "--checkpoint",
            checkpoint.toString(),
            "--out",
            checkpoint.toString(),
            "--force");
    assertThat(self.exit()).isEqualTo(2);
    assertThat(self.errLines())
        .containsExactly(
            "mlp: error: "
                + checkpoint
                + ": is the checkpoint itself; write the ONNX file elsewhere");
    assertThat(Files.readAllBytes(checkpoint)).isEqualTo(before);
  }

  @Test
  void aFailureToWriteIsNotExitCode0() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run("export", "--checkpoint", checkpoint.toString(), "--out", "/proc/m.onnx");
    assertThat(r.exit()).isNotZero();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("/proc/m.onnx");
  }

  /** Debian's python3-onnx: onnx.checker.check_model(full_check=True) on the file. */
  static void assertCheckerAccepts(Path onnx) throws Exception {
    Process p =
        new ProcessBuilder(
                pythonWithOnnx(),
                "-c",
                "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]),"
                    + " full_check=True); print('ok')",
                onnx.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).isEqualTo("ok\n");
  }

  static String pythonWithOnnx() throws Exception {
    for (String py : List.of("/usr/bin/python3", "python3")) {
      try {
        Process p = new ProcessBuilder(py, "-c", "import onnx").start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return py;
        }
      } catch (java.io.IOException e) {
        // not this one
      }
    }
    throw new AssertionError("no python3 with the onnx module: apt-get install python3-onnx");
  }

  /**
   * ONNX Runtime on all 10,000 MNIST test images gives the class {@code mlp predict} gives each,
   * and its probability within 1e-5.
   */
  static void assertOnnxRuntimeAgreesWithPredict(
      Path onnx, Path checkpoint, Map<String, String> env) throws Exception {
    Path images = MlpProcess.mnistFile("t10k-images-idx3-ubyte");
    MlpProcess.Result p =
        MlpProcess.run(
            env,
            300,
            "predict",
            "--checkpoint",
            checkpoint.toString(),
            "--json",
            "--top",
            "1",
            "--limit",
            "0",
            images.toString());
    assertThat(p.exit()).as(p.err()).isZero();
    List<JsonNode> predicted = p.jsonLines();
    assertThat(predicted).hasSize(10_000);
    IdxFile idx = IdxReader.read(images);
    byte[] px = idx.data();
    float[] x = new float[px.length];
    for (int i = 0; i < px.length; i++) {
      x[i] = (px[i] & 0xFF) / 255f;
    }
    OrtEnvironment env0 = OrtEnvironment.getEnvironment();
    try (OrtSession s = env0.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor t =
            OnnxTensor.createTensor(env0, FloatBuffer.wrap(x), new long[] {10_000, 784});
        OrtSession.Result r = s.run(Map.of("input", t))) {
      float[][] probabilities = (float[][]) r.get("probabilities").orElseThrow().getValue();
      int same = 0;
      double worst = 0;
      for (int i = 0; i < 10_000; i++) {
        int label = 0;
        for (int j = 1; j < 10; j++) {
          if (probabilities[i][j] > probabilities[i][label]) {
            label = j;
          }
        }
        JsonNode ours = predicted.get(i);
        if (label == ours.get("label").asInt()) {
          same++;
        }
        worst =
            Math.max(
                worst,
                Math.abs(
                    probabilities[i][label]
                        - ours.get("top").get(0).get("probability").asDouble()));
      }
      assertThat(same).as("images given predict's class").isEqualTo(10_000);
      assertThat(worst).as("largest difference of the top probability").isLessThanOrEqualTo(1e-5);
    }
  }
}
