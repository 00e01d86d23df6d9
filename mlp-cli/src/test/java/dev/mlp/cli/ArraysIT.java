package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NumPy arrays handed over as a Python user would: written by numpy itself, trained on through the
 * real process (issue 13).
 */
class ArraysIT {
  @TempDir Path dir;

  private void python(String code) throws Exception {
    Process p =
        new ProcessBuilder("python3", "-c", code)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("python.log").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("python.log"))).isZero();
  }

  private Path config(String data) throws Exception {
    Path c = dir.resolve("c" + Math.abs(data.hashCode()) + ".yaml");
    Files.writeString(
        c,
        "name: arrays\nseed: 42\ndata: "
            + data
            + "\nmodel:\n  layers:\n    - {type: linear, units: 16}\n    - {type: relu}\n"
            + "    - {type: linear, units: 3}\n    - {type: softmax_cross_entropy}\n"
            + "optimizer: {type: sgd, lr: 0.1}\ntraining: {epochs: 3, batch_size: 16}\n");
    return c;
  }

  private static List<String> epochs(MlpProcess.Result r) {
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out().lines().map(l -> l.replaceAll(",\"(eval_)?seconds\":[^,}]*", "")).toList();
  }

  @Test
  void npyNpzAndBigEndianFloat64GiveTheSameTrainingAndAPickleIsRefused() throws Exception {
    python(
        "import numpy as np\n"
            + "rng = np.random.default_rng(0)\n"
            + "X = rng.normal(size=(600, 5)).astype(np.float32)\n"
            + "y = (X[:, 0] > 0.3).astype(np.int64) + (X[:, 1] > 0.5)\n"
            + "np.save('X.npy', X); np.save('y.npy', y)\n"
            + "np.save('Xbe.npy', X.astype('>f8'))\n"
            + "np.savez_compressed('data.npz', X=X, y=y)\n"
            + "np.save('obj.npy', np.array([{'a': 1}], dtype=object), allow_pickle=True)\n");
    List<String> npy =
        epochs(
            MlpProcess.run(
                Map.of(),
                300,
                "train",
                "--json",
                "--out",
                dir.resolve("r1").toString(),
                "--config",
                config(
                        "{type: npy, x: "
                            + dir.resolve("X.npy")
                            + ", y: "
                            + dir.resolve("y.npy")
                            + "}")
                    .toString()));
    List<String> npz =
        epochs(
            MlpProcess.run(
                Map.of(),
                300,
                "train",
                "--json",
                "--out",
                dir.resolve("r2").toString(),
                "--config",
                config("{type: npz, path: " + dir.resolve("data.npz") + "}").toString()));
    List<String> be =
        epochs(
            MlpProcess.run(
                Map.of(),
                300,
                "train",
                "--json",
                "--out",
                dir.resolve("r3").toString(),
                "--config",
                config(
                        "{type: npy, x: "
                            + dir.resolve("Xbe.npy")
                            + ", y: "
                            + dir.resolve("y.npy")
                            + "}")
                    .toString()));
    assertThat(npy).hasSize(3);
    assertThat(npz).isEqualTo(npy);
    assertThat(be).isEqualTo(npy);
    MlpProcess.Result pickle =
        MlpProcess.run(
            "train",
            "--config",
            config(
                    "{type: npy, x: "
                        + dir.resolve("obj.npy")
                        + ", y: "
                        + dir.resolve("y.npy")
                        + "}")
                .toString());
    assertThat(pickle.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(pickle.errLines())
        .containsExactly(
            "mlp: error: "
                + dir.resolve("obj.npy")
                + ": an array of Python objects (a pickle), which mlp never unpickles");
  }
}
