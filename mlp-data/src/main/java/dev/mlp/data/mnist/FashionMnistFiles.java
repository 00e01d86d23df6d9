package dev.mlp.data.mnist;

import dev.mlp.data.fetch.DataFile;
import java.util.List;

/** The four files of Fashion-MNIST (Xiao et al. 2017), by their uncompressed SHA-256 and size. */
public final class FashionMnistFiles {
  public static final List<DataFile> ALL =
      List.of(
          new DataFile(
              "train-images-idx3-ubyte",
              "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
              47_040_016),
          new DataFile(
              "train-labels-idx1-ubyte",
              "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
              60_008),
          new DataFile(
              "t10k-images-idx3-ubyte",
              "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
              7_840_016),
          new DataFile(
              "t10k-labels-idx1-ubyte",
              "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
              10_008));

  /** Where Debian's package dataset-fashion-mnist installs the four .gz files. */
  public static final String DEBIAN_FOLDER = "/usr/share/datasets/fashion-mnist";

  private FashionMnistFiles() {}
}
