package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
    Path cache = MlpProcess.mnistFile("");
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

  /**
   * A table model predicts new rows by column name, in any order, from the command and from Java
   * alike; a missing or unknown column is one line.
   */
  @Test
  void aTableModelPredictsRowsByColumnName() throws Exception {
    Path run = dir.resolve("weather");
    MlpProcess.Result train =
        MlpProcess.run(
            java.util.Map.of(),
            600,
            "train",
            "--config",
            "configs/seattle-weather.yaml",
            "--epochs",
            "5",
            "--out",
            run.toString());
    assertThat(train.exit()).as(train.err()).isZero();
    Path ck = run.resolve("checkpoints/last.safetensors");
    Path rows =
        Files.writeString(
            dir.resolve("days.csv"),
            "wind,temp_min,temp_max,precipitation,date\n4.7,5.0,12.8,0.0,2012-01-01\n"
                + "4.5,2.8,10.6,10.9,2012-01-02\n");
    MlpProcess.Result p = MlpProcess.run("predict", "--checkpoint", ck.toString(), rows.toString());
    assertThat(p.exit()).as(p.err()).isZero();
    List<String> lines = p.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("input,weather,p_drizzle,p_fog,p_rain,p_snow,p_sun");
    assertThat(lines).hasSize(3);
    var model = dev.mlp.run.Model.load(ck);
    for (int r = 1; r <= 2; r++) {
      String[] f = lines.get(r).split(",");
      assertThat(f[0]).isEqualTo(rows + ":" + (r + 1));
      double sum = 0;
      for (int k = 2; k < f.length; k++) {
        sum += Double.parseDouble(f[k]);
      }
      assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
      java.util.Map<String, Object> row =
          r == 1
              ? java.util.Map.of(
                  "wind", 4.7, "temp_min", 5.0, "temp_max", 12.8, "precipitation", 0.0)
              : java.util.Map.of(
                  "wind", "4.5", "temp_min", 2.8, "temp_max", 10.6, "precipitation", 10.9);
      assertThat(model.className(model.predict(row).label())).isEqualTo(f[1]);
    }
    Path unknown =
        Files.writeString(dir.resolve("unknown.csv"), "wind,temp_min,temp_max,rain\n1,2,3,4\n");
    MlpProcess.Result u =
        MlpProcess.run("predict", "--checkpoint", ck.toString(), unknown.toString());
    assertThat(u.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(u.errLines())
        .containsExactly(
            "mlp: error: "
                + unknown
                + ":2: unknown column 'rain'; the model reads precipitation, temp_max, temp_min,"
                + " wind (and ignores date)");
    Path missing = Files.writeString(dir.resolve("missing.csv"), "wind,temp_min,temp_max\n1,2,3\n");
    MlpProcess.Result m =
        MlpProcess.run("predict", "--checkpoint", ck.toString(), missing.toString());
    assertThat(m.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(m.errLines())
        .containsExactly(
            "mlp: error: " + missing + ":2: no column 'precipitation', which the model reads");
    MlpProcess.Result eval = MlpProcess.run("eval", "--checkpoint", ck.toString());
    assertThat(eval.exit()).as(eval.err()).isZero();
    assertThat(eval.out())
        .contains("\nrain ")
        .contains("(0 = drizzle, 1 = fog, 2 = rain, 3 = snow, 4 = sun)");
  }

  /** A regressor on a real table: its own epoch table, summary, eval and predicted values. */
  @Test
  void aRegressionOnARealTableIsTrainedMeasuredAndUsed() throws Exception {
    Path run = dir.resolve("temp");
    MlpProcess.Result train =
        MlpProcess.run(
            java.util.Map.of(),
            600,
            "train",
            "--config",
            "configs/seattle-temp.yaml",
            "--epochs",
            "5",
            "--out",
            run.toString());
    assertThat(train.exit()).as(train.err()).isZero();
    assertThat(train.out()).contains("epoch        loss   test_loss   test_mae  test_r2  seconds");
    assertThat(train.err()).contains("label 'temp_max': values, regression (inferred");
    String summary = Files.readString(run.resolve("summary.json"));
    assertThat(summary).contains("\"task\" : \"regression\"").contains("\"rmse\"");
    // every one of the 292 test days is a point of the report's plot, the model's own predictions:
    // their mean absolute error is the summary's MAE
    var s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary);
    var actual = s.get("points").get("actual");
    var predicted = s.get("points").get("predicted");
    assertThat(actual.size()).isEqualTo(s.get("test").get("count").asInt()).isEqualTo(292);
    double abs = 0;
    for (int i = 0; i < actual.size(); i++) {
      abs += Math.abs(actual.get(i).asDouble() - predicted.get(i).asDouble()) / actual.size();
    }
    assertThat(abs).isCloseTo(s.get("test").get("mae").asDouble(), within(1e-4));
    assertThat(run.resolve("predicted.png")).isNotEmptyFile();
    assertThat(Files.readString(run.resolve("report.html"))).contains("Predicted against actual");
    Path ck = run.resolve("checkpoints/last.safetensors");
    MlpProcess.Result eval = MlpProcess.run("eval", "--checkpoint", ck.toString());
    assertThat(eval.exit()).as(eval.err()).isZero();
    assertThat(eval.out())
        .containsPattern("loss \\(mse\\) [0-9.]+   MAE [0-9.]+   RMSE [0-9.]+   R² 0\\.[5-9]");
    Path day =
        Files.writeString(
            dir.resolve("day.csv"), "weather,wind,temp_min,precipitation\nsun,4.7,5.0,0.0\n");
    MlpProcess.Result p = MlpProcess.run("predict", "--checkpoint", ck.toString(), day.toString());
    assertThat(p.exit()).as(p.err()).isZero();
    assertThat(p.out()).startsWith("input,temp_max\n" + day + ":2,");
    double value = Double.parseDouble(p.out().lines().toList().get(1).split(",")[1]);
    assertThat(
            dev.mlp.run.Model.load(ck)
                .value(
                    java.util.Map.of(
                        "weather", "sun", "wind", 4.7, "temp_min", 5.0, "precipitation", 0.0)))
        .isCloseTo((float) value, org.assertj.core.api.Assertions.within(1e-4f));
    Path fog =
        Files.writeString(
            dir.resolve("fog.csv"), "weather,wind,temp_min,precipitation\nhail,4.7,5.0,0.0\n");
    MlpProcess.Result f = MlpProcess.run("predict", "--checkpoint", ck.toString(), fog.toString());
    assertThat(f.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(f.errLines())
        .containsExactly(
            "mlp: error: "
                + fog
                + ":2: column 'weather': the category 'hail' was not in the training rows (drizzle,"
                + " fog, rain, snow, sun)");
  }

  /** huber and l1 train a regressor through the same loop; an l1 loss is the MAE it reports. */
  @Test
  void huberAndL1LossesTrainTheRegressorToo() throws Exception {
    for (String loss : List.of("huber", "l1")) {
      Path run = dir.resolve(loss);
      MlpProcess.Result train =
          MlpProcess.run(
              java.util.Map.of(),
              600,
              "train",
              "--config",
              "configs/seattle-temp.yaml",
              "--set",
              "model.layers[3]={type: " + loss + "}",
              "--epochs",
              "5",
              "--json",
              "--out",
              run.toString());
      assertThat(train.exit()).as(train.err()).isZero();
      var s =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(run.resolve("summary.json").toFile());
      double mae = s.get("test").get("mae").asDouble();
      assertThat(mae).as(loss).isLessThan(7); // predicting the mean is off by 6.2 °C on average
      if (loss.equals("l1")) {
        assertThat(s.get("test").get("loss").asDouble()).isCloseTo(mae, within(1e-5));
      }
      MlpProcess.Result eval =
          MlpProcess.run(
              "eval", "--checkpoint", run.resolve("checkpoints/last.safetensors").toString());
      assertThat(eval.out()).contains("loss (" + loss + ") ");
    }
  }
}
