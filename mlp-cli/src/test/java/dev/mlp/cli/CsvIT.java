package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlp.data.idx.IdxFile;
import dev.mlp.data.idx.IdxReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's own tables through the real process (issue 13). */
class CsvIT {
  @TempDir Path dir;

  /** MNIST's IDX files written as the common 785-column CSV: label first, then 784 pixels. */
  private static void writeCsv(Path images, Path labels, Path out) throws Exception {
    IdxFile x = IdxReader.read(images);
    IdxFile y = IdxReader.read(labels);
    byte[] px = x.data();
    byte[] lb = y.data();
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      w.write("label");
      for (int i = 0; i < 784; i++) {
        w.write(",px" + i);
      }
      w.write('\n');
      StringBuilder row = new StringBuilder();
      for (int r = 0; r < lb.length; r++) {
        row.setLength(0);
        row.append(lb[r] & 0xff);
        for (int i = 0; i < 784; i++) {
          row.append(',').append(px[r * 784 + i] & 0xff);
        }
        w.write(row.append('\n').toString());
      }
    }
  }

  /**
   * The seed config pointed at MNIST as CSV (normalize: none, divide_by: 255, the file's row order)
   * trains to the same epochs, to the last digit, as the IDX path with the same seed.
   */
  @Test
  void mnistAsCsvTrainsToTheSameNumbersAsTheIdxFiles() throws Exception {
    Path cache =
        Path.of(
            System.getenv()
                .getOrDefault("MLP_HOME", System.getProperty("user.home") + "/.cache/mlp"),
            "mnist");
    MlpProcess.Result idx =
        MlpProcess.trainSeed(2, "--json", "--out", dir.resolve("idx").toString());
    assertThat(idx.exit()).as(idx.err()).isZero();
    Path train = dir.resolve("mnist_train.csv");
    Path test = dir.resolve("mnist_test.csv");
    writeCsv(
        cache.resolve("train-images-idx3-ubyte"), cache.resolve("train-labels-idx1-ubyte"), train);
    writeCsv(
        cache.resolve("t10k-images-idx3-ubyte"), cache.resolve("t10k-labels-idx1-ubyte"), test);
    Path config =
        MlpProcess.editedConfig(
            dir.resolve("mnist-csv.yaml"),
            "mnist-2layer.yaml",
            "  type: mnist\n",
            "  type: csv\n  train: "
                + train
                + "\n  test: "
                + test
                + "\n  label: label\n  normalize: none\n  divide_by: 255\n");
    MlpProcess.Result csv =
        MlpProcess.run(
            java.util.Map.of(),
            600,
            "train",
            "--config",
            config.toString(),
            "--epochs",
            "2",
            "--json",
            "--out",
            dir.resolve("csv").toString());
    assertThat(csv.exit()).as(csv.err()).isZero();
    assertThat(csv.err())
        .contains("mnist_train.csv: 70,000 rows, 784 feature columns")
        .contains("label 'label': 10 classes (0, 1, 2, 3, 4, 5, … (10 in all)), classification");
    List<String> a = measures(idx.out());
    List<String> b = measures(csv.out());
    assertThat(b).hasSize(2).isEqualTo(a);
  }

  /** The epoch lines without their timings. */
  private static List<String> measures(String out) {
    return out.lines()
        .map(
            l -> l.replaceAll(",\"seconds\":[^,}]*", "").replaceAll(",\"eval_seconds\":[^,}]*", ""))
        .toList();
  }

  @Test
  void aBadTableIsOneLineNamingTheFileLineAndColumnWithExitCode2() throws Exception {
    Path table = Files.writeString(dir.resolve("bad.csv"), "a,b,y\n1,2,x\n3,oops,y\n4,5,x\n");
    Path config =
        MlpProcess.editedConfig(
            dir.resolve("bad.yaml"),
            "mnist-2layer.yaml",
            "  type: mnist\n",
            "  type: csv\n  path: " + table + "\n  label: y\n");
    MlpProcess.Result r = MlpProcess.run("train", "--config", config.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + table
                + ":3: column 'b': expected a number, got 'oops'; if the column holds categories,"
                + " list it under data.categorical");
  }
}
