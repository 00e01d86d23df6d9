package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxReader;
import dev.mlp.run.Model;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Using a trained model through the real process: {@code mlp eval}, {@code mlp predict} on IDX
 * files and on pictures, the Java {@link Model} API, and numpy reading the checkpoint as
 * safetensors.
 */
class UseModelIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  private static Path run;
  private static Path checkpoint;
  private static Path testImages;
  private static IdxFile labels;

  @BeforeAll
  static void trainTwoEpochs() throws Exception {
    run = dir.resolve("run");
    MlpProcess.Result r = MlpProcess.trainSeed(2, "--out", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    checkpoint = run.resolve("checkpoints/last.safetensors");
    Path cache =
        Path.of(
            System.getenv()
                .getOrDefault("MLP_HOME", System.getProperty("user.home") + "/.cache/mlp"),
            "mnist");
    testImages = cache.resolve("t10k-images-idx3-ubyte");
    labels = IdxReader.read(cache.resolve("t10k-labels-idx1-ubyte"));
  }

  @Test
  void evalPrintsTheTableAndJsonWithTheRunsTestAccuracy() throws Exception {
    JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
    MlpProcess.Result r = MlpProcess.run("eval", "--checkpoint", checkpoint.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode e = JSON.readTree(r.out());
    assertThat(e.get("test").get("accuracy").asDouble())
        .isEqualTo(summary.get("test").get("accuracy").asDouble());
    assertThat(e.get("test").get("count").asInt()).isEqualTo(10000);
    long diagonal = 0;
    long all = 0;
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        long v = e.get("confusion").get(i).get(j).asLong();
        all += v;
        diagonal += i == j ? v : 0;
      }
      // support is the row sum, the true count of the class in the MNIST test set
      assertThat(e.get("per_class").get(i).get("support").asLong())
          .isEqualTo(sum(e.get("confusion").get(i)));
    }
    assertThat(all).isEqualTo(10000);
    assertThat((double) diagonal / all).isEqualTo(e.get("test").get("accuracy").asDouble());

    r = MlpProcess.run("eval", "--checkpoint", checkpoint.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(String.format("accuracy %.4f", e.get("test").get("accuracy").asDouble()))
        .contains("class   precision   recall       f1  support")
        .contains("confusion matrix (rows: true class, columns: predicted)");
  }

  private static long sum(JsonNode row) {
    long s = 0;
    for (JsonNode v : row) {
      s += v.asLong();
    }
    return s;
  }

  @Test
  void aCheckpointThatDoesNotFitTheConfigIsOneLineAndExitCode2() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            "eval", "--checkpoint", checkpoint.toString(), "--config", "configs/mnist-deep.yaml");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + checkpoint
                + ": tensor layers.0.weight has shape [128, 784] but the configured model needs"
                + " [256, 784]");
  }

  @Test
  void predictOnIdxAgreesWithTheJavaApiAndMostlyWithTheLabels() throws Exception {
    MlpProcess.Result r =
        MlpProcess.run(
            "predict",
            "--checkpoint",
            checkpoint.toString(),
            testImages.toString(),
            "--limit",
            "50",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = r.jsonLines();
    assertThat(lines).hasSize(50);
    Model model = Model.load(checkpoint);
    IdxFile images = IdxReader.read(testImages);
    int right = 0;
    for (int i = 0; i < 50; i++) {
      JsonNode l = lines.get(i);
      assertThat(l.get("input").asText()).isEqualTo(testImages + "[" + i + "]");
      assertThat(l.get("top")).hasSize(3);
      Model.Prediction p = model.predict(pixels(images, i));
      assertThat(l.get("label").asInt()).isEqualTo(p.label());
      // this test JVM has no Vector API, so the API ran the scalar kernels: other rounding
      assertThat(l.get("top").get(0).get("probability").floatValue())
          .isCloseTo(p.probability(), org.assertj.core.api.Assertions.within(1e-5f));
      right += p.label() == (labels.data()[i] & 0xFF) ? 1 : 0;
    }
    assertThat(right).isGreaterThanOrEqualTo(40); // the model is ~0.88 accurate after 2 epochs
  }

  @Test
  void predictOnBigDarkOnLightPicturesGivesTheSameClassesAsTheOriginalDigits() throws Exception {
    IdxFile images = IdxReader.read(testImages);
    Model model = Model.load(checkpoint);
    List<String> args =
        new ArrayList<>(
            List.of("predict", "--checkpoint", checkpoint.toString(), "--json", "--top", "1"));
    List<Integer> direct = new ArrayList<>();
    List<Integer> apiOnPicture = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // the MNIST digit as a user would draw it: black ink on white paper, 10 times larger,
      // off-centre in a wider picture; PNG and JPEG alternately
      BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 300; y++) {
        for (int x = 0; x < 400; x++) {
          int sx = (x - 90) / 10;
          int sy = (y - 10) / 10;
          int v =
              x >= 90 && sx < 28 && y >= 10 && sy < 28
                  ? images.data()[i * 784 + sy * 28 + sx] & 0xFF
                  : 0;
          int g = 255 - v;
          img.setRGB(x, y, g << 16 | g << 8 | g);
        }
      }
      String ext = i % 2 == 0 ? "png" : "jpg";
      Path f = dir.resolve("digit" + i + "." + ext);
      assertThat(ImageIO.write(img, ext, f.toFile())).isTrue();
      args.add(f.toString());
      direct.add(model.predict(pixels(images, i)).label());
      // the Java API on the picture itself agrees with the command on the file
      apiOnPicture.add(model.predict(ImageIO.read(f.toFile())).label());
    }
    MlpProcess.Result r = MlpProcess.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    List<JsonNode> lines = r.jsonLines();
    int same = 0;
    for (int i = 0; i < 20; i++) {
      same += lines.get(i).get("label").asInt() == direct.get(i) ? 1 : 0;
      assertThat(apiOnPicture.get(i)).isEqualTo(lines.get(i).get("label").asInt());
    }
    // resampling moves a few pixels, so a borderline digit may flip; most must not
    assertThat(same).isGreaterThanOrEqualTo(17);
  }

  /** A line break in a file name cannot forge a prediction line: names are escaped. */
  @Test
  void aFileNameWithALineBreakIsPrintedEscapedOnItsOwnLine() throws Exception {
    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int y = 8; y < 20; y++) {
      img.setRGB(14, y, 0xFFFFFF);
    }
    Path f = dir.resolve("a.png\n7.png: 0  (0 99.9%)");
    assertThat(ImageIO.write(img, "png", f.toFile())).isTrue();
    MlpProcess.Result r =
        MlpProcess.run("predict", "--checkpoint", checkpoint.toString(), f.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList())
        .singleElement()
        .asString()
        .startsWith(dir + "/a.png\\n7.png: 0  (0 99.9%): ");
  }

  @Test
  void inputsThatAreNotImagesAreOneLineAndExitCode2() throws Exception {
    Path text = dir.resolve("notes.png");
    Files.writeString(text, "not a picture");
    MlpProcess.Result r =
        MlpProcess.run("predict", "--checkpoint", checkpoint.toString(), text.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("mlp: error: " + text + ": not an image");
    r =
        MlpProcess.run(
            "predict", "--checkpoint", run.resolve("config.yaml").toString(), text.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString().contains("config.yaml: not a checkpoint");
  }

  @Test
  void numpyReadsTheCheckpointAsSafetensorsAndGetsTheSamePredictions() throws Exception {
    String python = pythonWithNumpy();
    // a numpy forward pass of the 2-layer net, from the file alone (the safetensors layout by hand,
    // as the safetensors library reads it), on the first 100 test images
    String script =
        String.join(
            "\n",
            "import json, struct, sys, numpy as np",
            "b = open(sys.argv[1], 'rb').read()",
            "n = struct.unpack('<Q', b[:8])[0]",
            "h = json.loads(b[8:8 + n])",
            "t = {k: np.frombuffer(b[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], dtype='<f4').reshape(v['shape'])",
            "     for k, v in h.items() if k != '__metadata__'}",
            "img = open(sys.argv[2], 'rb').read()",
            "x = np.frombuffer(img[16:16 + 100 * 784], dtype=np.uint8).reshape(100, 784).astype(np.float32) / 255",
            "a = 1 / (1 + np.exp(-(x @ t['layers.0.weight'].T + t['layers.0.bias'])))",
            "z = a @ t['layers.2.weight'].T + t['layers.2.bias']",
            "print(json.dumps({'epoch': h['__metadata__']['epoch'], 'pred': z.argmax(axis=1).tolist()}))");
    Path py = dir.resolve("read.py");
    Files.writeString(py, script);
    Process p =
        new ProcessBuilder(python, py.toString(), checkpoint.toString(), testImages.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    JsonNode o = JSON.readTree(out);
    assertThat(o.get("epoch").asText()).isEqualTo("2");
    Model model = Model.load(checkpoint);
    IdxFile images = IdxReader.read(testImages);
    for (int i = 0; i < 100; i++) {
      assertThat(o.get("pred").get(i).asInt())
          .as("image %d", i)
          .isEqualTo(model.predict(pixels(images, i)).label());
    }
  }

  /** The first python3 that has numpy (.ci/run makes sure one does). */
  private static String pythonWithNumpy() throws Exception {
    for (String candidate : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (java.io.IOException e) {
        // not installed: try the next
      }
    }
    throw new AssertionError("no python3 with numpy; .ci/run installs python3-numpy");
  }

  private static float[] pixels(IdxFile images, int i) {
    float[] x = new float[784];
    for (int j = 0; j < 784; j++) {
      x[j] = (images.data()[i * 784 + j] & 0xFF) / 255f;
    }
    return x;
  }
}
