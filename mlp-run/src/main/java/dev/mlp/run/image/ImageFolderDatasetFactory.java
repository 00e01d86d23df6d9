package dev.mlp.run.image;

import dev.mlp.core.data.DataSplits;
import dev.mlp.core.data.Dataset;
import dev.mlp.core.registry.DatasetFactory;
import dev.mlp.data.files.InputFileException;
import dev.mlp.data.table.Splits;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Loads an {@link ImageFolderSpec}: every picture read as {@code mlp predict} reads one (its size
 * checked before decoding, a cut or damaged file refused, CMYK converted), resized to the spec's
 * size with area averaging, grey or colour, scaled to [0, 1], row-major with the channels last.
 */
public final class ImageFolderDatasetFactory implements DatasetFactory<ImageFolderSpec> {
  private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

  @Override
  public DataSplits load(ImageFolderSpec spec, Consumer<String> log) throws IOException {
    Path root = Path.of(spec.root());
    List<String> classes = classes(root);
    Folder train = read(root, classes, spec);
    Folder test = null;
    if (spec.test() != null) {
      Path testRoot = Path.of(spec.test());
      List<String> testClasses = classFolders(testRoot, "data.test");
      List<String> extra = new ArrayList<>(testClasses);
      extra.removeAll(classes);
      if (!extra.isEmpty()) {
        // its pictures would be left out without a word
        throw new InputFileException(
            testRoot.resolve(extra.get(0))
                + ": a class folder that "
                + root
                + " has not (its classes: "
                + String.join(", ", classes)
                + "); the test classes must be the training classes");
      }
      test = read(testRoot, classes, spec);
    }
    int d = spec.size().get(0) * spec.size().get(1) * spec.channels();
    int k = classes.size();
    Dataset trainSet;
    Dataset testSet;
    String name = root.toAbsolutePath().normalize().getFileName().toString();
    if (test == null) {
      int[] all = new int[train.labels.length];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      int[][] split = Splits.of(all, train.labels, true, spec.testSplit(), spec.splitSeed());
      trainSet = subset(name + "/train", train, split[0], d, k);
      testSet = subset(name + "/test", train, split[1], d, k);
    } else {
      trainSet = new Dataset(name + "/train", train.x, train.labels, d, k);
      testSet = new Dataset(name + "/test", test.x, test.labels, d, k);
    }
    log.accept(
        String.format(
            Locale.ROOT,
            "%s: %,d pictures of %d classes (%s), resized to %d×%d, %s; %,d train / %,d test",
            root,
            train.labels.length + (test == null ? 0 : test.labels.length),
            k,
            String.join(", ", classes.size() > 8 ? classes.subList(0, 8) : classes)
                + (classes.size() > 8 ? ", …" : ""),
            spec.size().get(0),
            spec.size().get(1),
            spec.channels() == 1 ? "grey" : "colour",
            trainSet.count(),
            testSet.count()));
    String checksum = HexFormat.of().formatHex(digest(train, test, spec));
    return new DataSplits(trainSet, testSet, checksum, classes, null);
  }

  /** The class folders of {@code root}, sorted by name. */
  private static List<String> classes(Path root) throws IOException {
    List<String> classes = classFolders(root, "data.root");
    if (classes.isEmpty()) {
      throw new InputFileException(
          root + ": no class folders in it; put each class's pictures in a folder named after it");
    }
    if (classes.size() < 2) {
      throw new InputFileException(
          root
              + ": a single class folder ("
              + classes.get(0)
              + "); a classifier needs at least two");
    }
    return classes;
  }

  /**
   * The folders in {@code root}, sorted by name, leaving out hidden ones ({@code .git}, {@code
   * .ipynb_checkpoints}): a class is never named with a dot first.
   */
  private static List<String> classFolders(Path root, String field) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new InputFileException(
          root
              + (Files.exists(root) ? ": is a file, not a folder" : ": no such folder")
              + "; "
              + field
              + " is a folder of class folders");
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> !hidden(p))
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      IOException io = e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
      throw new InputFileException(
          root + ": cannot list the folder: " + dev.mlp.data.files.InputFiles.reason(io), io);
    }
  }

  /** A name with a dot first: .DS_Store, a Mac's ._photo.png beside each picture, .git. */
  private static boolean hidden(Path p) {
    return p.getFileName().toString().startsWith(".");
  }

  private record Folder(float[] x, int[] labels, List<Path> files) {}

  private static Folder read(Path root, List<String> classes, ImageFolderSpec spec)
      throws IOException {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Path dir = root.resolve(classes.get(c));
      if (!Files.isDirectory(dir)) {
        throw new InputFileException(
            root + ": no folder '" + classes.get(c) + "', a class of " + spec.root());
      }
      List<Path> pictures;
      try (Stream<Path> s = Files.list(dir)) {
        pictures =
            s.filter(p -> !hidden(p))
                .filter(
                    p ->
                        EXTENSIONS.stream()
                            .anyMatch(
                                e ->
                                    p.getFileName()
                                        .toString()
                                        .toLowerCase(Locale.ROOT)
                                        .endsWith(e)))
                .sorted()
                .toList();
      } catch (IOException | java.io.UncheckedIOException e) {
        IOException io =
            e instanceof java.io.UncheckedIOException u ? u.getCause() : (IOException) e;
        throw new InputFileException(
            dir + ": cannot list the folder: " + dev.mlp.data.files.InputFiles.reason(io), io);
      }
      if (pictures.isEmpty()) {
        throw new InputFileException(
            dir + ": an empty class: no .png, .jpg, .gif or .bmp picture in it");
      }
      for (Path p : pictures) {
        files.add(p);
        labels.add(c);
      }
    }
    int h = spec.size().get(0);
    int w = spec.size().get(1);
    int ch = spec.channels();
    int d = h * w * ch;
    long need = 4L * files.size() * d;
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (need > free / 2) {
      throw new InputFileException(
          root
              + ": "
              + files.size()
              + " pictures of "
              + d
              + " inputs need "
              + dev.mlp.data.files.InputFiles.bytes(need)
              + " but Java may use only "
              + dev.mlp.data.files.InputFiles.bytes(free)
              + " more; give Java more with MLP_JAVA_OPTS=-Xmx..., or make size smaller");
    }
    float[] x = new float[(int) Math.min(Integer.MAX_VALUE - 8, (long) files.size() * d)];
    for (int i = 0; i < files.size(); i++) {
      BufferedImage img;
      try {
        img = MnistImages.read(files.get(i));
      } catch (IllegalArgumentException e) {
        throw new InputFileException(files.get(i) + ": " + e.getMessage());
      }
      pixels(img, h, w, ch, x, i * d);
    }
    return new Folder(x, labels.stream().mapToInt(Integer::intValue).toArray(), files);
  }

  /** {@code img} resized to h×w (area averaging when shrinking), as floats in [0, 1]. */
  public static void pixels(BufferedImage img, int h, int w, int channels, float[] out, int at) {
    BufferedImage rgb =
        new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g0 = rgb.createGraphics();
    g0.setColor(java.awt.Color.WHITE);
    g0.fillRect(0, 0, img.getWidth(), img.getHeight()); // transparency over white
    g0.drawImage(img, 0, 0, null);
    g0.dispose();
    java.awt.Image scaled = rgb.getScaledInstance(w, h, java.awt.Image.SCALE_AREA_AVERAGING);
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = small.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(scaled, 0, 0, null);
    g.dispose();
    int o = at;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = small.getRGB(x, y);
        int r = (p >> 16) & 0xff;
        int gr = (p >> 8) & 0xff;
        int b = p & 0xff;
        if (channels == 1) {
          out[o++] = (0.299f * r + 0.587f * gr + 0.114f * b) / 255f;
        } else {
          out[o++] = r / 255f;
          out[o++] = gr / 255f;
          out[o++] = b / 255f;
        }
      }
    }
  }

  private static Dataset subset(String name, Folder f, int[] rows, int d, int k) {
    float[] x = new float[rows.length * d];
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(f.x, rows[i] * d, x, i * d, d);
      y[i] = f.labels[rows[i]];
    }
    return new Dataset(name, x, y, d, k);
  }

  private static byte[] digest(Folder train, Folder test, ImageFolderSpec spec) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Folder f : test == null ? List.of(train) : List.of(train, test)) {
        for (int i = 0; i < f.files.size(); i++) {
          sha.update(
              f.files.get(i).getParent().getFileName().toString().getBytes(StandardCharsets.UTF_8));
          sha.update(Files.readAllBytes(f.files.get(i)));
        }
      }
      sha.update(
          (spec.size() + "/" + spec.channels() + "/" + spec.testSplit() + "/" + spec.splitSeed())
              .getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
