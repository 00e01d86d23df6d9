package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real data path through the real process: fetch into an empty cache, then self-repair. */
class DataCacheIT {
  @TempDir Path home;

  static String sha256(Path p) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private MlpProcess.Result trainOneEpoch() throws IOException, InterruptedException {
    return MlpProcess.trainSeed(Map.of("MLP_HOME", home.toString()), 1, "--json");
  }

  @Test
  void anEmptyCacheIsFilledAndACorruptCachedFileIsFetchedAgain() throws Exception {
    MlpProcess.Result first = trainOneEpoch();
    assertThat(first.exit()).as(first.err()).isZero();
    Path labels = home.resolve("mnist").resolve("train-labels-idx1-ubyte");
    assertThat(sha256(labels))
        .isEqualTo("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
    assertThat(first.err()).contains("mnist: all files verified in " + home.resolve("mnist"));
    assertThat(MlpProcess.fileNames(home.resolve("mnist")))
        .as("only the four verified files, no temporary leftovers")
        .containsExactlyInAnyOrder(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte");

    byte[] bytes = Files.readAllBytes(labels);
    bytes[100] = (byte) (bytes[100] ^ 0x01); // one label changed: still valid IDX, wrong data
    Files.write(labels, bytes);

    MlpProcess.Result second = trainOneEpoch();
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.err()).contains("mnist: cached " + labels + " does not match its SHA-256");
    assertThat(sha256(labels))
        .isEqualTo("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
    // same data, same seed: the same epoch, bit for bit (only the timings differ)
    assertThat(withoutTimings(second.out())).isEqualTo(withoutTimings(first.out()));
  }

  static String withoutTimings(String jsonLines) {
    return jsonLines.replaceAll("\"(eval_)?seconds\":[0-9.eE+-]+", "\"$1seconds\":_");
  }
}
