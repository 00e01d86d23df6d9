package dev.mlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad data through the real process (issue 13 and beyond its list): for {@code mlp train} and
 * {@code mlp config validate} alike, exit code 2, one line naming the file (and line and column),
 * and no run folder left behind; {@code mlp predict} on a table model the same.
 */
class BadDataIT {
  @TempDir Path dir;
  @TempDir static Path model;
  static Path checkpoint;

  private static final String GOOD =
      "a,b,c,y\n1,10,red,x\n2,20,blue,y\n3,30,red,x\n4,40,blue,y\n"
          + "5,50,red,x\n6,60,blue,y\n7,70,red,x\n8,80,blue,y\n9,90,red,x\n10,100,blue,y\n";

  private static Path config(Path dir, String name, String data) throws Exception {
    return Files.writeString(
        dir.resolve(name + ".yaml"),
        "name: "
            + name
            + "\nseed: 42\ndata:\n"
            + data
            + "model:\n  layers:\n    - {type: linear, units: 8}\n    - {type: relu}\n"
            + "    - {type: linear, units: 2}\n    - {type: softmax_cross_entropy}\n"
            + "optimizer: {type: sgd, lr: 0.1}\ntraining: {epochs: 1, batch_size: 4}\n");
  }

  /** A table model to predict with: trained once. */
  @BeforeAll
  static void trainATableModel() throws Exception {
    Path csv = Files.writeString(model.resolve("good.csv"), GOOD);
    Path c = config(model, "table", "  type: csv\n  path: " + csv + "\n  label: y\n");
    Path run = model.resolve("run");
    MlpProcess.Result r =
        MlpProcess.run("train", "--config", c.toString(), "--out", run.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    checkpoint = run.resolve("checkpoints/last.safetensors");
  }

  /**
   * Both commands that read a config's data fail on it with exit code 2 and exactly {@code line}
   * (as "mlp: error: " + line), leaving no run folder.
   */
  private void refused(Map<String, String> env, String data, String line) throws Exception {
    Path c = config(dir, "bad", data);
    MlpProcess.Result v = MlpProcess.run(env, 60, "config", "validate", c.toString());
    assertThat(v.exit()).as(v.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(v.errLines()).containsExactly("mlp: error: " + line);
    Path out = dir.resolve("run");
    MlpProcess.Result t =
        MlpProcess.run(env, 60, "train", "--config", c.toString(), "--out", out.toString());
    assertThat(t.exit()).as(t.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(t.errLines()).containsExactly("mlp: error: " + line);
    assertThat(out).doesNotExist();
  }

  private void refused(String data, String line) throws Exception {
    refused(Map.of(), data, line);
  }

  private static String csv(Path path) {
    return "  type: csv\n  path: " + path + "\n  label: y\n";
  }

  /** A FIFO as the CSV path was opened and waited on forever; /dev/zero and a folder too. */
  @Test
  void aFifoADeviceAndAFolderAsTheCsvAreRefusedBeforeTheyAreOpened() throws Exception {
    Path fifo = dir.resolve("pipe.csv");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    refused(
        csv(fifo),
        fifo
            + ": is a FIFO (named pipe), not a regular file; expected a CSV file (mlp reads only"
            + " regular files)");
    refused(
        csv(Path.of("/dev/zero")),
        "/dev/zero: is a character device, not a regular file; expected a CSV file (mlp reads only"
            + " regular files)");
    Path folder = Files.createDirectories(dir.resolve("folder.csv"));
    refused(csv(folder), folder + ": is a folder; expected a CSV file");
    Path none = dir.resolve("none.csv");
    refused(csv(none), none + ": no such CSV file");
  }

  /**
   * 10 GB (sparse: no disk, never read) on a 64 MB heap: a table that starts well is refused by its
   * size, one of NULs as a binary file, both before the file is parsed.
   */
  @Test
  void tenGigabytesOnASmallHeapAreRefusedWithoutBeingRead() throws Exception {
    Map<String, String> small = Map.of("MLP_JAVA_OPTS", "-Xmx64m");
    Path table = Files.writeString(dir.resolve("big.csv"), "a,b,y\n1,2,x\n3,4,y\n");
    Path zeros = dir.resolve("zeros.csv");
    for (Path p : List.of(table, zeros)) {
      try (var f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
        f.setLength(10L << 30);
      }
    }
    Path c = config(dir, "big", csv(table));
    MlpProcess.Result r = MlpProcess.run(small, 60, "config", "validate", c.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err())
        .startsWith("mlp: error: " + table + ": 10.0 GB of about ")
        .contains("give Java more with MLP_JAVA_OPTS=-Xmx");
    refused(
        small,
        csv(zeros),
        zeros
            + ":1: a NUL byte: a binary file, not CSV text; expected UTF-8 text, a header line and"
            + " rows of values");
  }

  /** 1e39 read as infinity and trained into a diverged run (exit 3). */
  @Test
  void aNumberPastFloat32IsNamedByLineAndColumn() throws Exception {
    Path t = Files.writeString(dir.resolve("huge.csv"), GOOD.replace("\n3,30,", "\n3e39,30,"));
    refused(
        csv(t),
        t
            + ":4: column 'a': expected a number within float32's range (±3.4e38), got one beyond it");
  }

  @Test
  void aGzipFileOrAnXlsxWorkbookIsNamedForWhatItIs() throws Exception {
    Path gz = dir.resolve("t.csv.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(GOOD.getBytes(StandardCharsets.UTF_8));
    }
    refused(csv(gz), gz + ": a gzip file, not CSV text; decompress it first (gunzip)");
  }

  /**
   * The test file's columns are found by name (as mlp predict finds a row's): another order is the
   * same table; another set is named.
   */
  @Test
  void aTestFileIsReadByColumnNameAndOneWithOtherColumnsIsNamed() throws Exception {
    Path train = Files.writeString(dir.resolve("train.csv"), GOOD);
    Path moved = Files.writeString(dir.resolve("moved.csv"), "y,c,b,a\nx,red,10,1\ny,blue,20,2\n");
    Path c =
        config(
            dir,
            "moved",
            "  type: csv\n  train: " + train + "\n  test: " + moved + "\n  label: y\n");
    MlpProcess.Result ok = MlpProcess.run("config", "validate", c.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    Path other = Files.writeString(dir.resolve("other.csv"), "a,b,colour,y\n1,10,red,x\n");
    refused(
        "  type: csv\n  train: " + train + "\n  test: " + other + "\n  label: y\n",
        other
            + ": its columns a, b, colour, y differ from "
            + train
            + "'s a, b, c, y: it lacks c and has colour; the test file needs the train file's"
            + " columns, in any order");
  }

  /** A config that contradicts itself is named at its line, before the file is read. */
  @Test
  void theLabelExcludedOrAFeatureTwiceIsNamedInTheConfig() throws Exception {
    Path t = Files.writeString(dir.resolve("t.csv"), GOOD);
    Path c = config(dir, "bad", csv(t) + "  exclude: [y]\n");
    MlpProcess.Result r = MlpProcess.run("config", "validate", c.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.errLines())
        .containsExactly(
            "mlp: error: "
                + c
                + ":7:3: data.exclude: exclude lists 'y', the label; the label is never a feature"
                + " anyway");
    refused(
        csv(t) + "  features: [a, b, a]\n",
        dir.resolve("bad.yaml")
            + ":7:3: data.features: features names 'a' twice; name each column once");
  }

  private MlpProcess.Result predict(String name, byte[] rows) throws Exception {
    Path f = Files.write(dir.resolve(name), rows);
    return MlpProcess.run("predict", "--checkpoint", checkpoint.toString(), f.toString());
  }

  private void predictRefused(String name, String rows, String line) throws Exception {
    predictRefused(name, rows.getBytes(StandardCharsets.UTF_8), line);
  }

  private void predictRefused(String name, byte[] rows, String line) throws Exception {
    MlpProcess.Result r = predict(name, rows);
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.errLines()).containsExactly("mlp: error: " + dir.resolve(name) + line);
    assertThat(r.out()).isEmpty();
  }

  /** Rows given to a table model: each problem one line naming the file's line and the column. */
  @Test
  void predictRefusesAHeaderAloneARepeatedColumnNonUtf8AndJavaOnlyNumbers() throws Exception {
    predictRefused("header.csv", "a,b,c\n", ": a header and no rows; expected rows to predict");
    predictRefused("twice.csv", "a,b,c,a\n1,2,red,3\n", ":1: the column name 'a' is there twice");
    predictRefused(
        "latin.csv",
        "a,b,c\n1,2,r\u00e9d\n".getBytes(StandardCharsets.ISO_8859_1),
        ":2:6: not UTF-8 text (byte 0xe9); save the file as UTF-8");
    predictRefused(
        "hex.csv", "a,b,c\n0x1p3,2,red\n", ":2: column 'a': expected a number, got '0x1p3'");
    predictRefused(
        "null.csv",
        "a,b,c\n1,null,red\n",
        ":2: column 'b' has no value ('null'); the model was trained without gaps");
  }

  /** Read as UTF-8 strictly, a file saved with a byte-order mark still names its first column. */
  @Test
  void predictReadsAFileWithAByteOrderMark() throws Exception {
    MlpProcess.Result r =
        predict("bom.csv", "\uFEFFa,b,c\n1,10,red\n".getBytes(StandardCharsets.UTF_8));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(2);
  }

  @Test
  void aNanInAnNpyIsNamedByRowAndColumn() throws Exception {
    java.nio.ByteBuffer data =
        java.nio.ByteBuffer.allocate(4 * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      data.putFloat(i == 5 ? Float.NaN : i);
    }
    Path x = Files.write(dir.resolve("X.npy"), npy("<f4", "4, 2", data.array()));
    java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(4);
    labels.put(new byte[] {0, 1, 0, 1});
    Path y = Files.write(dir.resolve("y.npy"), npy("|u1", "4,", labels.array()));
    refused(
        "  type: npy\n  x: " + x + "\n  y: " + y + "\n",
        x + ": row 2, column 1: expected a finite number, got NaN");
  }

  private static byte[] npy(String descr, String shape, byte[] data) {
    String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    h = h + " ".repeat(63 - (10 + h.length()) % 64) + "\n";
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(10 + h.length() + data.length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) h.length());
    b.put(h.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    return b.array();
  }

  private static void pictures(Path folder, int n) throws Exception {
    Files.createDirectories(folder);
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
      img.setRGB(i % 8, i / 8, 0xffffff);
      ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
    }
  }

  private static String folders(Path root, Path test) {
    return "  type: image_folder\n  root: "
        + root
        + "\n"
        + (test == null ? "" : "  test: " + test + "\n")
        + "  size: [8, 8]\n";
  }

  /**
   * A Mac's or Jupyter's hidden files are not pictures nor classes: a class folder with {@code
   * .DS_Store} and {@code ._0.png}, a root with {@code .ipynb_checkpoints}, train; a test class the
   * root lacks, whose pictures would be left out, is named.
   */
  @Test
  void hiddenFilesAndFoldersAreLeftOutAndATestClassTheRootLacksIsNamed() throws Exception {
    Path root = dir.resolve("photos");
    pictures(root.resolve("cat"), 5);
    pictures(root.resolve("dog"), 5);
    Files.write(root.resolve("cat/.DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
    Files.write(root.resolve("dog/._0.png"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0});
    Files.writeString(root.resolve("dog/README.txt"), "dogs\n");
    Files.createDirectories(root.resolve(".ipynb_checkpoints"));
    MlpProcess.Result ok =
        MlpProcess.run("config", "validate", config(dir, "photos", folders(root, null)).toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.err()).contains("10 pictures of 2 classes (cat, dog)");
    Path test = dir.resolve("test");
    pictures(test.resolve("cat"), 2);
    pictures(test.resolve("dog"), 2);
    pictures(test.resolve("fox"), 2);
    refused(
        folders(root, test),
        test.resolve("fox")
            + ": a class folder that "
            + root
            + " has not (its classes: cat, dog); the test classes must be the training classes");
    Path file = Files.writeString(dir.resolve("photos.txt"), "not a folder\n");
    refused(
        folders(file, null),
        file + ": is a file, not a folder; data.root is a folder of class folders");
  }

  /** FastCSV puts U+FFFD in for a byte that is not UTF-8: "café" in Latin-1 became a class. */
  @Test
  void aCsvThatIsNotUtf8IsNamedByLineAndByte() throws Exception {
    Path t =
        Files.write(
            dir.resolve("latin.csv"),
            "a,y\n1,x\n2,caf\u00e9\n3,x\n4,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    refused(csv(t), t + ":3:6: not UTF-8 text (byte 0xe9); save the file as UTF-8");
  }
}
