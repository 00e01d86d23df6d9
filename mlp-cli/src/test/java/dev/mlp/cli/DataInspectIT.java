package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlp data inspect}: what training would make of the data, before training (issue 13). */
class DataInspectIT {
  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Ten animals: an id (each once), a colour (categories), a size with one empty cell, a weight
   * (10.5 to 100.5), and the species (a text label: five a, three b, two c).
   */
  private Path animals() throws Exception {
    Path f = dir.resolve("animals.csv");
    Files.writeString(
        f,
        "id,colour,size,weight,species\n"
            + "1,red,1.0,10.5,a\n"
            + "2,blue,2.0,20.5,a\n"
            + "3,red,,30.5,a\n"
            + "4,green,4.0,40.5,b\n"
            + "5,red,5.0,50.5,a\n"
            + "6,blue,6.0,60.5,c\n"
            + "7,red,7.0,70.5,a\n"
            + "8,blue,8.0,80.5,b\n"
            + "9,red,9.0,90.5,c\n"
            + "10,blue,10.0,100.5,b\n");
    return f;
  }

  private static JsonNode json(MlpProcess.Result r) throws Exception {
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static JsonNode column(JsonNode o, String name) {
    for (JsonNode c : o.get("columns")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no column " + name + " in " + o);
  }

  @Test
  void aCsvFileIsDescribedColumnByColumnWithItsClassesAndTheMajorityToBeat() throws Exception {
    Path f = animals();
    MlpProcess.Result text = MlpProcess.run("data", "inspect", f.toString());
    assertThat(text.exit()).as(text.err()).isZero();
    assertThat(text.out())
        .contains(f + ": 10 rows, 5 columns (names from its header)")
        .contains("label 'species' (the last column; choose another with --label), classification")
        .contains("inferred: the label holds text")
        .containsPattern("colour +feature +categorical +0 +3: red 5, blue 4, green 1")
        .containsPattern("size +feature +numeric +1 +1 +10 +5\\.778")
        .contains("majority class 'a': 50.0 %")
        .contains("1 of 10 rows have an empty cell");
    // the id column holds whole numbers: a numeric feature, not flagged as an id by its values

    JsonNode o = json(MlpProcess.run("data", "inspect", f.toString(), "--json"));
    assertThat(o.get("rows").asInt()).isEqualTo(10);
    assertThat(o.get("task").asText()).isEqualTo("classification");
    assertThat(o.get("classes").toString()).isEqualTo("{\"a\":5,\"b\":3,\"c\":2}");
    assertThat(o.get("majority_share").asDouble()).isCloseTo(0.5, within(1e-6));
    assertThat(o.get("rows_with_missing").asInt()).isEqualTo(1);
    JsonNode size = column(o, "size");
    assertThat(size.get("missing").asInt()).isEqualTo(1);
    // the nine sizes 1, 2, 4..10: mean 52/9, population std as numpy's np.std
    double mean = 52.0 / 9;
    double var = 0;
    for (double v : new double[] {1, 2, 4, 5, 6, 7, 8, 9, 10}) {
      var += (v - mean) * (v - mean) / 9;
    }
    assertThat(size.get("mean").asDouble()).isCloseTo(mean, within(1e-5));
    assertThat(size.get("std").asDouble()).isCloseTo(Math.sqrt(var), within(1e-5));
    assertThat(size.get("min").asDouble()).isEqualTo(1.0);
    assertThat(size.get("max").asDouble()).isEqualTo(10.0);
    JsonNode colour = column(o, "colour");
    assertThat(colour.get("type").asText()).isEqualTo("categorical");
    assertThat(colour.get("distinct").asInt()).isEqualTo(3);
    assertThat(column(o, "species").get("role").asText()).isEqualTo("label");
  }

  @Test
  void aNumericLabelIsARegressionWithTheMeanToBeatUnlessTheTaskIsGiven() throws Exception {
    Path f = animals();
    MlpProcess.Result r = MlpProcess.run("data", "inspect", f.toString(), "--label", "weight");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("label 'weight', regression (inferred: the label holds numbers")
        // weights 10.5..100.5: mean 55.5, population std sqrt(825) = 28.72
        .contains(
            "'weight' from 10.5 to 100.5, mean 55.5, std 28.72: predicting the mean for every row")
        .containsPattern("species +feature +categorical");
    JsonNode o =
        json(
            MlpProcess.run(
                "data",
                "inspect",
                f.toString(),
                "--label",
                "3",
                "--task",
                "classification",
                "--json"));
    assertThat(o.get("label").asText()).isEqualTo("weight");
    assertThat(o.get("task_reason").asText()).isEqualTo("set by data.task");
    assertThat(o.get("classes").size()).isEqualTo(10);
  }

  @Test
  void aConfigIsReadAsTrainingReadsItWithItsExclusionsAndTestFile() throws Exception {
    Path train = animals();
    Path test = dir.resolve("test.csv");
    Files.writeString(test, "id,colour,size,weight,species\n11,red,3.0,35,b\n12,blue,4.0,45,a\n");
    Path config = dir.resolve("animals.yaml");
    Files.writeString(
        config,
        "name: animals\ndata:\n  type: csv\n  train: "
            + train
            + "\n  test: "
            + test
            + "\n  label: species\n  exclude: [id]\n  missing: drop\n"
            + "model:\n  layers:\n    - {type: linear, units: 3}\n"
            + "    - {type: softmax_cross_entropy}\n"
            + "optimizer: {type: sgd, lr: 0.1}\n");
    MlpProcess.Result r = MlpProcess.run("data", "inspect", config.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("; test file " + test + ": 2 rows")
        .contains("label 'species', classification")
        .containsPattern("id +excluded +-\\n")
        .contains("3 feature columns");
    // a config names its label: --label would be a second, conflicting answer
    MlpProcess.Result both =
        MlpProcess.run("data", "inspect", config.toString(), "--label", "weight");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err().strip().lines()).hasSize(1);
    assertThat(both.err()).contains("--label, --delimiter and --task go with a CSV file");
  }

  @Test
  void anNpzFileAndAnyConfigsDataAreDescribedAsLoaded() throws Exception {
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import numpy as np\n"
                    + "X = np.arange(40, dtype=np.float32).reshape(20, 2); X[:, 1] = 7\n"
                    + "y = np.array([0] * 15 + [1] * 5)\n"
                    + "np.savez('d.npz', X=X, y=y)\n")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    JsonNode o = json(MlpProcess.run("data", "inspect", dir.resolve("d.npz").toString(), "--json"));
    assertThat(o.get("type").asText()).isEqualTo("npz");
    assertThat(o.get("train").asInt() + o.get("test").asInt()).isEqualTo(20);
    assertThat(o.get("inputs").asInt()).isEqualTo(2);
    // the second input is 7 everywhere: constant
    assertThat(o.get("inputs_train").get("constant").asInt()).isEqualTo(1);
    JsonNode classes = o.get("classes");
    assertThat(classes.get("0").get("train").asInt() + classes.get("0").get("test").asInt())
        .isEqualTo(15);
    assertThat(classes.get("1").get("train").asInt() + classes.get("1").get("test").asInt())
        .isEqualTo(5);
  }

  /**
   * MNIST's pixels stay bytes: its statistics (the well-known mean 0.1307 and std 0.3081) come from
   * them a chunk of rows at a time, and the seed trains, in 100 MB of heap, where the 188 MB of
   * floats the training images used to become would not fit.
   */
  @Test
  void mnistIsDescribedAndTrainedOnAHundredMegabyteHeap() throws Exception {
    Map<String, String> small = Map.of("MLP_JAVA_OPTS", "-Xmx100m");
    String config = MlpProcess.REPO.resolve("configs/mnist-2layer.yaml").toString();
    MlpProcess.Result r = MlpProcess.run(small, 120, "data", "inspect", config, "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode in = json(r).get("inputs_train");
    assertThat(in.get("min").asDouble()).isEqualTo(0.0);
    assertThat(in.get("max").asDouble()).isEqualTo(1.0);
    assertThat(in.get("mean").asDouble()).isCloseTo(0.1307, within(1e-4));
    assertThat(in.get("std").asDouble()).isCloseTo(0.3081, within(1e-4));
    assertThat(in.get("constant").asInt()).isEqualTo(67);
    MlpProcess.Result trained = MlpProcess.trainSeed(small, 1);
    assertThat(trained.exit()).as(trained.err()).isZero();
  }

  @Test
  void aFifoOrADeviceIsRefusedNotOpened() throws Exception {
    Path fifo = dir.resolve("pipe.csv");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor()).isZero();
    Path config = dir.resolve("pipe.yaml");
    Files.writeString(
        config,
        "name: pipe\ndata: {type: csv, path: "
            + fifo
            + ", label: y}\nmodel:\n  layers:\n    - {type: linear, units: 2}\n"
            + "    - {type: softmax_cross_entropy}\noptimizer: {type: sgd, lr: 0.1}\n");
    for (String target : new String[] {fifo.toString(), "/dev/zero", config.toString()}) {
      // a FIFO nobody writes would block a reader for ever: the time limit is the failure
      MlpProcess.Result r = MlpProcess.run(Map.of(), 60, "data", "inspect", target);
      assertThat(r.exit()).as(target + ": " + r.err()).isEqualTo(2);
      assertThat(r.errLines()).hasSize(1);
      assertThat(r.err()).contains("not a regular file");
    }
  }

  @Test
  void badInputIsOneLineNamingTheFileWithExitTwo() throws Exception {
    Path f = animals();
    Map<String[], String> cases =
        Map.of(
            new String[] {"data", "inspect", f.toString(), "--label", "specis"},
            "did you mean 'species'?",
            new String[] {"data", "inspect", dir.resolve("none.csv").toString()},
            "none.csv",
            new String[] {"data", "inspect", dir.toString() + "/x.npy"},
            "an .npy file holds one array",
            new String[] {"data", "inspect", f.toString(), "--task", "clustering"},
            "task must be classification or regression");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      MlpProcess.Result r = MlpProcess.run(c.getKey());
      assertThat(r.exit()).as(String.join(" ", c.getKey()) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("mlp: error: ").contains(c.getValue());
    }
  }
}
