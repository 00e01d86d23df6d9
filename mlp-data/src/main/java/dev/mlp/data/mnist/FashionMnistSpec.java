package dev.mlp.data.mnist;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.Field;
import java.util.List;

/** {@code {type: fashion_mnist}}: Zalando's Fashion-MNIST, same layout as MNIST. */
public record FashionMnistSpec(
    @Field(
            value = "local folders holding the four files (raw or .gz), tried first",
            fallback = "Debian's " + FashionMnistFiles.DEBIAN_FOLDER)
        List<String> folders,
    @Field(
            value = "web folders holding the four .gz files, tried next",
            fallback = "the official mirror")
        List<String> mirrors)
    implements DatasetSpec {
  public static final List<String> DEFAULT_MIRRORS =
      List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

  public FashionMnistSpec {
    folders = folders == null ? List.of(FashionMnistFiles.DEBIAN_FOLDER) : List.copyOf(folders);
    mirrors = mirrors == null ? DEFAULT_MIRRORS : List.copyOf(mirrors);
    MnistSpec.checkUrls(mirrors);
  }

  public FashionMnistSpec() {
    this(null, null);
  }
}
