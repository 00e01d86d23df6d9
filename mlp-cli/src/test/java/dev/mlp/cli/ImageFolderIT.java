package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxReader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures in class folders, as a user lays them out, trained on through the real process. */
class ImageFolderIT {
  @TempDir Path dir;

  /**
   * Digits 0, 1 and 7 of MNIST's test set written as 56×56 dark-on-light pictures (PNG and JPEG)
   * into one folder per class named in words.
   */
  private Path writeFolders(int perClass) throws Exception {
    Path cache =
        Path.of(
            System.getenv()
                .getOrDefault("MLP_HOME", System.getProperty("user.home") + "/.cache/mlp"),
            "mnist");
    IdxFile images = IdxReader.read(cache.resolve("t10k-images-idx3-ubyte"));
    IdxFile labels = IdxReader.read(cache.resolve("t10k-labels-idx1-ubyte"));
    Path root = Files.createDirectories(dir.resolve("digits"));
    String[] names = {"zero", "one", "seven"};
    int[] digits = {0, 1, 7};
    int[] count = new int[3];
    byte[] px = images.data();
    byte[] lb = labels.data();
    for (int i = 0; i < lb.length; i++) {
      for (int c = 0; c < 3; c++) {
        if ((lb[i] & 0xff) == digits[c] && count[c] < perClass) {
          BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
              int v = 255 - (px[i * 784 + (y / 2) * 28 + x / 2] & 0xff);
              img.setRGB(x, y, v << 16 | v << 8 | v);
            }
          }
          Path folder = Files.createDirectories(root.resolve(names[c]));
          String format = count[c] % 2 == 0 ? "png" : "jpg";
          ImageIO.write(img, format, folder.resolve(i + "." + format).toFile());
          count[c]++;
        }
      }
    }
    return root;
  }

  private Path config(Path root) throws Exception {
    return Files.writeString(
        dir.resolve("folders.yaml"),
        "name: folders\nseed: 42\ndata: {type: image_folder, root: "
            + root
            + ", size: [28, 28]}\nmodel:\n  layers:\n    - {type: linear, units: 64}\n"
            + "    - {type: relu}\n    - {type: linear, units: 3}\n"
            + "    - {type: softmax_cross_entropy}\noptimizer: {type: sgd, lr: 0.01}\n"
            + "training: {epochs: 10, batch_size: 16}\n");
  }

  @Test
  void picturesInClassFoldersAreLearnedAndTheClassesNamed() throws Exception {
    Path root = writeFolders(100);
    Path run = dir.resolve("run");
    MlpProcess.Result r =
        MlpProcess.run(
            Map.of(), 600, "train", "--config", config(root).toString(), "--out", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("data: digits (240 train, 60 test)");
    assertThat(r.err())
        .contains(
            root
                + ": 300 pictures of 3 classes (one, seven, zero), resized to 28×28, grey; 240 train / 60 test");
    String summary = Files.readString(run.resolve("summary.json"));
    assertThat(summary).contains("\"classes\" : [ \"one\", \"seven\", \"zero\" ]");
    double accuracy =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(summary)
            .path("test")
            .path("accuracy")
            .asDouble();
    assertThat(accuracy).isGreaterThan(0.9);
    // pictures of the folder's kind are predicted by class name, as they were prepared in training
    List<String> sevens;
    try (var s = Files.list(root.resolve("seven"))) {
      sevens = s.map(Path::toString).filter(n -> n.endsWith(".png")).sorted().limit(10).toList();
    }
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "predict", "--checkpoint", run.resolve("checkpoints/last.safetensors").toString()));
    args.addAll(sevens);
    MlpProcess.Result p = MlpProcess.run(args.toArray(String[]::new));
    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.out().lines())
        .hasSize(10)
        .allMatch(l -> l.matches(".*: (one|seven|zero)  \\(.*%\\)"));
    assertThat(p.out().lines().filter(l -> l.contains(": seven  (seven ")))
        .hasSizeGreaterThanOrEqualTo(8);
  }

  /**
   * Two classes whose pictures differ only in hue: noisy red and noisy green of the same brightness
   * (0.299r + 0.587g + 0.114b, the grey mlp reads), so only colour tells them apart.
   */
  private Path writeColours(int perClass) throws Exception {
    Path root = Files.createDirectories(dir.resolve("colours"));
    java.util.Random rng = new java.util.Random(7);
    int[][] base = {{180, 60, 60}, {60, 121, 60}}; // both of grey level 95.9
    String[] names = {"green", "red"};
    for (int c = 0; c < 2; c++) {
      Path folder = Files.createDirectories(root.resolve(names[c]));
      int[] rgb = base[1 - c];
      for (int n = 0; n < perClass; n++) {
        double f = 0.6 + 0.8 * rng.nextDouble();
        BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 24; y++) {
          for (int x = 0; x < 24; x++) {
            double g = f * (0.7 + 0.6 * rng.nextDouble());
            int r = (int) Math.round(rgb[0] * g);
            int gr = (int) Math.round(rgb[1] * g);
            int b = (int) Math.round(rgb[2] * g);
            img.setRGB(x, y, r << 16 | gr << 8 | b);
          }
        }
        ImageIO.write(img, "png", folder.resolve(n + ".png").toFile());
      }
    }
    return root;
  }

  /** Hue alone separates the classes: learned in colour, not in grey; predicted in colour. */
  @Test
  void channels3SeesColourThatGreyCannot() throws Exception {
    Path root = writeColours(100);
    double[] accuracy = new double[2];
    for (int channels : new int[] {1, 3}) {
      Path config =
          Files.writeString(
              dir.resolve("colours" + channels + ".yaml"),
              "name: colours\nseed: 42\ndata: {type: image_folder, root: "
                  + root
                  + ", size: [12, 12], channels: "
                  + channels
                  + "}\nmodel:\n  layers:\n    - {type: linear, units: 32}\n"
                  + "    - {type: relu}\n    - {type: linear, units: 2}\n"
                  + "    - {type: softmax_cross_entropy}\noptimizer: {type: adam, lr: 0.003}\n"
                  + "training: {epochs: 15, batch_size: 16}\n");
      Path run = dir.resolve("run" + channels);
      MlpProcess.Result r =
          MlpProcess.run(
              Map.of(), 600, "train", "--config", config.toString(), "--out", run.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err())
          .contains(
              "200 pictures of 2 classes (green, red), resized to 12×12, "
                  + (channels == 1 ? "grey" : "colour"));
      accuracy[channels == 1 ? 0 : 1] =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(run.resolve("summary.json").toFile())
              .path("test")
              .path("accuracy")
              .asDouble();
    }
    assertThat(accuracy[1]).as("colour").isGreaterThanOrEqualTo(0.95);
    assertThat(accuracy[0]).as("grey").isLessThan(0.8);
    MlpProcess.Result p =
        MlpProcess.run(
            "predict",
            "--checkpoint",
            dir.resolve("run3/checkpoints/last.safetensors").toString(),
            root.resolve("red/3.png").toString(),
            root.resolve("green/3.png").toString());
    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.out().lines().toList())
        .satisfiesExactly(
            l -> assertThat(l).contains("red/3.png: red  (red "),
            l -> assertThat(l).contains("green/3.png: green  (green "));
  }

  @Test
  void anEmptyClassAndACutPictureAreNamed() throws Exception {
    Path root = writeFolders(4);
    Files.createDirectories(root.resolve("eight"));
    MlpProcess.Result empty = MlpProcess.run("train", "--config", config(root).toString());
    assertThat(empty.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(empty.errLines())
        .containsExactly(
            "mlp: error: "
                + root.resolve("eight")
                + ": an empty class: no .png, .jpg, .gif or .bmp picture in it");
    Files.delete(root.resolve("eight"));
    Path some;
    try (var s = Files.list(root.resolve("one"))) {
      some = s.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
    }
    byte[] b = Files.readAllBytes(some);
    Files.write(some, java.util.Arrays.copyOf(b, b.length / 2));
    MlpProcess.Result cut = MlpProcess.run("train", "--config", config(root).toString());
    assertThat(cut.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(cut.errLines()).singleElement().asString().startsWith("mlp: error: " + some);
  }
}
