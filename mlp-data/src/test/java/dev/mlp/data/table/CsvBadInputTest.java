package dev.mlp.data.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.data.DataSplits;
import dev.mlp.data.files.InputFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables a user may hand over by mistake, beyond issue 13's list: each refused with one line naming
 * the file (and the line and column where there is one), or read as the user meant.
 */
class CsvBadInputTest {
  @TempDir Path tmp;

  private Path file(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
  }

  private Path bytes(String name, byte[] b) throws Exception {
    return Files.write(tmp.resolve(name), b);
  }

  private static CsvSpec spec(
      String path,
      String train,
      String test,
      Object label,
      List<String> features,
      List<String> exclude) {
    return new CsvSpec(
        path, train, test, label, features, exclude, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  private static CsvSpec path(String path, Object label) {
    return spec(path, null, null, label, null, null);
  }

  private DataSplits load(CsvSpec spec) throws Exception {
    return new CsvDatasetFactory(tmp.resolve("cache")).load(spec, l -> {});
  }

  private static final String TRAIN = "a,b,c,y\n1,10,red,x\n2,20,blue,y\n3,30,red,x\n4,40,blue,y\n";

  /** The test file's columns are found by name: the same rows in another order read the same. */
  @Test
  void aTestFileWithTheTrainFilesColumnsInAnotherOrderIsReadByName() throws Exception {
    Path train = file("train.csv", TRAIN);
    Path same = file("same.csv", "a,b,c,y\n5,50,blue,y\n6,60,red,x\n");
    Path moved = file("moved.csv", "y,c,b,a\ny,blue,50,5\nx,red,60,6\n");
    DataSplits inOrder = load(spec(null, train.toString(), same.toString(), "y", null, null));
    DataSplits byName = load(spec(null, train.toString(), moved.toString(), "y", null, null));
    assertThat(byName.test().features()).containsExactly(inOrder.test().features());
    assertThat(byName.test().labels()).containsExactly(inOrder.test().labels());
    // all numeric columns too (the in-place path)
    Path numTrain = file("n.csv", "a,b,y\n1,10,0\n2,20,1\n3,30,0\n4,40,1\n");
    Path numSame = file("ns.csv", "a,b,y\n5,50,1\n6,60,0\n");
    Path numMoved = file("nm.csv", "b,y,a\n50,1,5\n60,0,6\n");
    assertThat(
            load(spec(null, numTrain.toString(), numMoved.toString(), "y", null, null))
                .test()
                .features())
        .containsExactly(
            load(spec(null, numTrain.toString(), numSame.toString(), "y", null, null))
                .test()
                .features());
  }

  @Test
  void aTestFileLackingAColumnOrHoldingAnotherIsNamedWithBoth() throws Exception {
    Path train = file("train.csv", TRAIN);
    Path other = file("other.csv", "a,b,colour,y\n5,50,blue,y\n");
    assertThatThrownBy(() -> load(spec(null, train.toString(), other.toString(), "y", null, null)))
        .hasMessage(
            other
                + ": its columns a, b, colour, y differ from "
                + train
                + "'s a, b, c, y: it lacks c and has colour; the test file needs the train file's"
                + " columns, in any order");
    Path twice = file("twice.csv", "a,b,c,y,y\n5,50,blue,y,y\n");
    assertThatThrownBy(() -> load(spec(null, train.toString(), twice.toString(), "y", null, null)))
        .hasMessage(twice + ":1: the column name 'y' is there twice");
  }

  /** 1e39 is past float32: it would read as infinity and make training diverge. */
  @Test
  void aNumberPastFloat32IsNamedByLineAndColumnInTheTrainAndTestFiles() throws Exception {
    Path big = file("big.csv", "a,b,y\n1,2,x\n3,1e39,y\n5,6,x\n7,8,y\n");
    assertThatThrownBy(() -> load(path(big.toString(), "y")))
        .isInstanceOf(InputFileException.class)
        .hasMessage(
            big
                + ":3: column 'b': expected a number within float32's range (±3.4e38), got one"
                + " beyond it");
    Path train = file("train.csv", "a,b,y\n1,2,x\n3,4,y\n");
    Path test = file("test.csv", "a,b,y\n1,2,x\n-4e40,4,y\n");
    assertThatThrownBy(() -> load(spec(null, train.toString(), test.toString(), "y", null, null)))
        .hasMessageStartingWith(test + ":3: column 'a': expected a number within float32's range");
    Path label = file("label.csv", "a,y\n1,2.5\n2,3.5\n3,1e39\n4,1.5\n");
    assertThatThrownBy(() -> load(path(label.toString(), "y")))
        .hasMessageStartingWith(label + ":4: column 'y': expected a number within float32's range");
  }

  @Test
  void aFeatureNamedTwiceTheLabelExcludedAndAFeatureExcludedAreRefused() throws Exception {
    assertThatThrownBy(() -> spec("t.csv", null, null, "y", List.of("a", "b", "a"), null))
        .hasMessage("features names 'a' twice; name each column once");
    assertThatThrownBy(() -> spec("t.csv", null, null, "y", null, List.of("c", "y")))
        .hasMessage("exclude lists 'y', the label; the label is never a feature anyway");
    assertThatThrownBy(() -> spec("t.csv", null, null, "y", List.of("a", "b"), List.of("b")))
        .hasMessage("'b' is both in features and in exclude; give features, or exclude, not both");
    Path t = file("t.csv", TRAIN);
    assertThatThrownBy(() -> load(spec(t.toString(), null, null, 3, null, List.of("y"))))
        .hasMessage(t + ": data.exclude lists 'y', the label; the label is never a feature");
  }

  @Test
  void gzipZipAndBinaryFilesAreNamedForWhatTheyAre() throws Exception {
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(TRAIN.getBytes(StandardCharsets.UTF_8));
    }
    Path g = bytes("t.csv.gz", gz.toByteArray());
    assertThatThrownBy(() -> load(path(g.toString(), "y")))
        .hasMessage(g + ": a gzip file, not CSV text; decompress it first (gunzip)");
    java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.ZipOutputStream(zip)) {
      out.putNextEntry(new java.util.zip.ZipEntry("xl/workbook.xml"));
      out.write("<workbook/>".getBytes(StandardCharsets.UTF_8));
    }
    Path x = bytes("book.xlsx", zip.toByteArray());
    assertThatThrownBy(() -> load(path(x.toString(), "y")))
        .hasMessageStartingWith(x + ": a zip archive (an .xlsx workbook is one), not CSV text");
    Path nul = bytes("nul.csv", "a,b,y\n1,2,x\n3,\0,y\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> load(path(nul.toString(), "y")))
        .hasMessageStartingWith(nul + ":3: a NUL byte: a binary file, not CSV text");
  }

  @Test
  void didYouMeanNeverSuggestsANameThatSharesNothing() throws Exception {
    Path t = file("t.csv", "a,b,z\n1,2,x\n3,4,y\n");
    assertThatThrownBy(() -> load(path(t.toString(), "y")))
        .hasMessage(t + ": data.label: no column 'y'; the columns are a, b, z");
    Path w = file("w.csv", "a,b,label\n1,2,x\n3,4,y\n");
    assertThatThrownBy(() -> load(path(w.toString(), "lable")))
        .hasMessageEndingWith("; did you mean 'label'?");
  }

  /** The csv reader decodes with U+FFFD where a byte is not UTF-8: "café" in Latin-1 is a class. */
  @Test
  void aFileThatIsNotUtf8IsNamedByLineAndByte() throws Exception {
    Path latin = bytes("latin.csv", "a,b,y\n1,2,x\n3,4,caf\u00e9\n".getBytes("ISO-8859-1"));
    assertThatThrownBy(() -> load(path(latin.toString(), "y")))
        .hasMessage(latin + ":3:8: not UTF-8 text (byte 0xe9); save the file as UTF-8");
  }

  /** FastCSV's own reason is under its "Exception when reading first record". */
  @Test
  void aRecordOfTooManyFieldsSaysSo() throws Exception {
    StringBuilder wide = new StringBuilder("y");
    for (int i = 0; i < 20_000; i++) {
      wide.append(",c").append(i);
    }
    Path w = file("wide.csv", wide + "\n");
    assertThatThrownBy(() -> load(path(w.toString(), "y")))
        .hasMessageContaining("maximum limit of 16384 fields");
  }
}
