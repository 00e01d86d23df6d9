package dev.mlp.run.image;

import dev.mlp.core.config.DatasetSpec;
import dev.mlp.core.config.Field;
import java.util.List;

/**
 * {@code {type: image_folder, root: photos, size: [32, 32]}}: pictures sorted into one folder per
 * class ({@code root/<class>/*.png|jpg}), the classes being the folders' names in sorted order.
 */
public record ImageFolderSpec(
    @Field(value = "the folder of class folders", fallback = "required") String root,
    @Field(value = "a folder of test pictures, laid out as root", fallback = "none: test_split")
        String test,
    @Field(value = "[height, width] every picture is resized to", fallback = "[28, 28]")
        List<Integer> size,
    @Field(value = "1 (grey) or 3 (red, green, blue)", fallback = "1") Integer channels,
    @Field(value = "the fraction of root's pictures held out as the test set", fallback = "0.2")
        Double testSplit,
    @Field(value = "the seed of the train/test split", fallback = "42") Long splitSeed)
    implements DatasetSpec {

  /** The most inputs a picture may become: 512×512 in colour. */
  public static final int MAX_INPUTS = 512 * 512 * 3;

  public ImageFolderSpec {
    if (root == null) {
      throw new IllegalArgumentException(
          "root is required: the folder holding one folder per class");
    }
    size = size == null ? List.of(28, 28) : List.copyOf(size);
    if (size.size() != 2 || size.get(0) < 1 || size.get(1) < 1) {
      throw new IllegalArgumentException(
          "size must be [height, width] of positive sides, got " + size);
    }
    channels = channels == null ? 1 : channels;
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
    }
    if ((long) size.get(0) * size.get(1) * channels > MAX_INPUTS) {
      throw new IllegalArgumentException(
          "size "
              + size
              + " × "
              + channels
              + " channels is more than "
              + MAX_INPUTS
              + " inputs a picture; a multilayer perceptron needs pictures made small");
    }
    if (testSplit != null && testSplit != 0.0 && test != null) {
      throw new IllegalArgumentException("test_split goes without test");
    }
    testSplit = testSplit == null ? (test == null ? 0.2 : 0.0) : testSplit;
    if (test == null && !(testSplit > 0 && testSplit < 1)) {
      throw new IllegalArgumentException(
          "test_split must be a fraction in (0, 1), got " + testSplit);
    }
    splitSeed = splitSeed == null ? 42L : splitSeed;
  }
}
