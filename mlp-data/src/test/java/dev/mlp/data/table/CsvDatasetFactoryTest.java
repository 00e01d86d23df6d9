package dev.mlp.data.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlp.core.data.DataSplits;
import dev.mlp.data.files.InputFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The csv data type on small real files: what a user's table becomes, and every refusal. */
class CsvDatasetFactoryTest {
  @TempDir Path tmp;
  private final List<String> log = new ArrayList<>();

  private Path file(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
  }

  /** A spec with the given fields; the rest left out. */
  private static CsvSpec spec(
      String path,
      String train,
      String test,
      Object label,
      String missing,
      String normalize,
      Double testSplit,
      String task) {
    return new CsvSpec(
        path, train, test, label, null, null, null, null, null, task, missing, normalize, null,
        testSplit, null, null, null, null);
  }

  private DataSplits load(CsvSpec spec) throws Exception {
    return new CsvDatasetFactory(tmp.resolve("cache")).load(spec, log::add);
  }

  private static final String WEATHER =
      "date,precipitation,temp,wind,sky,weather\n"
          + "2012-01-01,0.0,12.0,4.0,clear,sun\n"
          + "2012-01-02,10.0,10.0,2.0,cloudy,rain\n"
          + "2012-01-03,0.0,14.0,6.0,clear,sun\n"
          + "2012-01-04,20.0,8.0,4.0,cloudy,rain\n";

  @Test
  void aTableBecomesScaledFeaturesOneHotCategoriesAndNamedClasses() throws Exception {
    Path train = file("train.csv", WEATHER);
    Path test =
        file(
            "test.csv",
            "date,precipitation,temp,wind,sky,weather\n" + "2013-01-01,5.0,11.0,4.0,cloudy,rain\n");
    CsvSpec spec =
        new CsvSpec(
            null,
            train.toString(),
            test.toString(),
            "weather",
            null,
            List.of("date"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    DataSplits d = load(spec);
    assertThat(d.classes()).containsExactly("rain", "sun");
    assertThat(d.train().labels()).containsExactly(1, 0, 1, 0);
    assertThat(d.test().labels()).containsExactly(0);
    // precipitation, temp, wind scaled by the training rows' mean and (population) deviation;
    // sky one-hot: clear, cloudy
    assertThat(d.featureSize()).isEqualTo(5);
    float[] x = d.train().features();
    assertThat(x[0]).isCloseTo((0f - 7.5f) / 8.2915619f, within(1e-5f));
    assertThat(x[1]).isCloseTo((12f - 11f) / 2.2360680f, within(1e-5f));
    assertThat(x[2]).isCloseTo(0f, within(1e-6f)); // wind 4 is its mean
    assertThat(new float[] {x[3], x[4]}).containsExactly(1f, 0f);
    assertThat(new float[] {x[8], x[9]}).containsExactly(0f, 1f);
    // the test row uses the training rows' constants, not its own
    float[] t = d.test().features();
    assertThat(t[0]).isCloseTo((5f - 7.5f) / 8.2915619f, within(1e-5f));
    assertThat(d.preprocessing())
        .contains("\"label\":\"weather\"")
        .contains("\"classes\":[\"rain\",\"sun\"]")
        .contains(
            "{\"name\":\"sky\",\"kind\":\"categorical\",\"categories\":[\"clear\",\"cloudy\"]");
    assertThat(log)
        .anyMatch(l -> l.contains("label 'weather': 2 classes (rain, sun), classification"));
  }

  @Test
  void theLabelMayBeAnIndexAndAHeaderlessFileNamesColumnsByNumber() throws Exception {
    Path f = file("plain.csv", "1.0,2.0,0\n3.0,4.0,1\n5.0,6.0,0\n7.0,8.0,1\n9.0,1.0,1\n");
    DataSplits d = load(spec(f.toString(), null, null, 2, null, "none", 0.4, null));
    assertThat(d.classes()).containsExactly("0", "1");
    assertThat(d.train().count() + d.test().count()).isEqualTo(5);
    assertThat(d.preprocessing()).contains("{\"name\":\"0\",\"kind\":\"numeric\"");
  }

  @Test
  void anUnknownLabelIsNamedWithTheNearestColumn() throws Exception {
    Path f = file("w.csv", WEATHER);
    assertThatThrownBy(() -> load(spec(f.toString(), null, null, "wether", null, null, null, null)))
        .isInstanceOf(InputFileException.class)
        .hasMessage(
            f
                + ": data.label: no column 'wether'; the columns are date, precipitation, temp,"
                + " wind, sky, weather; did you mean 'weather'?");
  }

  @Test
  void raggedRowsBadCellsAndInfinitiesAreNamedByLineAndColumn() throws Exception {
    Path ragged = file("ragged.csv", "a,b,y\n1,2,0\n3,4\n5,6,1\n");
    assertThatThrownBy(() -> load(spec(ragged.toString(), null, null, "y", null, null, null, null)))
        .hasMessage(
            ragged
                + ":3: 2 fields but the header has 3 (a row with a missing or extra separator?)");
    Path word = file("word.csv", "a,b,y\n1,2,0\n3,x3,1\n5,6,1\n");
    assertThatThrownBy(() -> load(spec(word.toString(), null, null, "y", null, null, null, null)))
        .hasMessage(
            word
                + ":3: column 'b': expected a number, got 'x3'; if the column holds categories,"
                + " list it under data.categorical");
    Path inf = file("inf.csv", "a,b,y\n1,2,0\n3,-Infinity,1\n5,6,1\n");
    assertThatThrownBy(() -> load(spec(inf.toString(), null, null, "y", null, null, null, null)))
        .hasMessage(inf + ":3: column 'b': -Infinity is not a finite number");
  }

  @Test
  void emptyFilesHeadersAloneAndASingleClassAreRefused() throws Exception {
    Path empty = file("empty.csv", "");
    assertThatThrownBy(() -> load(spec(empty.toString(), null, null, "y", null, null, null, null)))
        .hasMessage(empty + ": empty; expected a header line and rows of values");
    Path header = file("header.csv", "a,b,y\n");
    assertThatThrownBy(() -> load(spec(header.toString(), null, null, "y", null, null, null, null)))
        .hasMessage(header + ": a header and no rows; expected rows of values");
    Path one = file("one.csv", "a,b,y\n1,2,cat\n3,4,cat\n5,6,cat\n");
    assertThatThrownBy(() -> load(spec(one.toString(), null, null, "y", null, null, null, null)))
        .hasMessage(
            one + ": the label 'y' holds a single class (cat); a classifier needs at least two");
  }

  @Test
  void missingCellsAreAnErrorByDefaultOrDroppedOrFilledWithTheTrainingMean() throws Exception {
    String text = "a,b,y\n1,2,0\n3,,1\n5,NaN,1\n7,8,0\n9,10,1\n";
    Path f = file("gaps.csv", text);
    assertThatThrownBy(() -> load(spec(f.toString(), null, null, "y", null, null, null, null)))
        .hasMessage(
            f
                + ":3: column 'b': no value (an empty, NA or NaN cell); set data.missing to drop (leave such rows out) or"
                + " mean (fill in the training rows' mean)");
    Path test = file("gaps-test.csv", "a,b,y\n1,2,0\n");
    CsvSpec drop =
        new CsvSpec(
            null,
            f.toString(),
            test.toString(),
            "y",
            null,
            null,
            null,
            null,
            null,
            null,
            "drop",
            "none",
            null,
            null,
            null,
            null,
            null,
            null);
    assertThat(load(drop).train().count()).isEqualTo(3);
    CsvSpec mean =
        new CsvSpec(
            null,
            f.toString(),
            test.toString(),
            "y",
            null,
            null,
            null,
            null,
            null,
            null,
            "mean",
            "none",
            null,
            null,
            null,
            null,
            null,
            null);
    DataSplits d = load(mean);
    assertThat(d.train().count()).isEqualTo(5);
    // b's training mean over the three rows that have it: (2 + 8 + 10) / 3
    assertThat(d.train().features()[3]).isCloseTo(20f / 3, within(1e-5f));
  }

  @Test
  void aTestFileWithAnotherHeaderOrAnUnseenCategoryIsRefused() throws Exception {
    Path train = file("train.csv", WEATHER);
    Path other =
        file("other.csv", "date,rain_mm,temp,wind,sky,weather\n2013-01-01,1,2,3,clear,sun\n");
    CsvSpec s =
        new CsvSpec(
            null,
            train.toString(),
            other.toString(),
            "weather",
            null,
            List.of("date"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> load(s))
        .hasMessageStartingWith(
            other + ": its columns date, rain_mm, temp, wind, sky, weather differ from");
    Path fog =
        file("fog.csv", "date,precipitation,temp,wind,sky,weather\n2013-01-01,1,2,3,foggy,sun\n");
    CsvSpec f =
        new CsvSpec(
            null,
            train.toString(),
            fog.toString(),
            "weather",
            null,
            List.of("date"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> load(f))
        .hasMessage(
            fog
                + ":2: column 'sky': the category 'foggy' is not among the training rows' clear, cloudy");
  }

  @Test
  void quotesSeparatorsInsideQuotesCrlfAndAByteOrderMarkAreRead() throws Exception {
    Path f = tmp.resolve("excel.csv");
    Files.write(
        f,
        ("\uFEFF\"name, full\",x,y\r\n\"Smith, J\",1.5,a\r\n\"O\"\"Brien\",2.5,b\r\n"
                + "\"Lee\",3.5,a\r\n\"Kim\",4.5,b\r\n")
            .getBytes(StandardCharsets.UTF_8));
    CsvSpec s =
        new CsvSpec(
            f.toString(),
            null,
            null,
            "y",
            null,
            List.of("name, full"),
            null,
            null,
            null,
            null,
            null,
            "none",
            null,
            0.5,
            null,
            null,
            null,
            null);
    DataSplits d = load(s);
    assertThat(d.featureSize()).isEqualTo(1);
    assertThat(d.classes()).containsExactly("a", "b");
    assertThat(d.train().count() + d.test().count()).isEqualTo(4);
  }

  @Test
  void theSplitIsSeededAndStratified() throws Exception {
    StringBuilder b = new StringBuilder("x,y\n");
    for (int i = 0; i < 100; i++) {
      b.append(i).append(',').append(i < 80 ? "common" : "rare").append('\n');
    }
    Path f = file("many.csv", b.toString());
    DataSplits a = load(spec(f.toString(), null, null, "y", null, "none", 0.25, null));
    DataSplits again = load(spec(f.toString(), null, null, "y", null, "none", 0.25, null));
    assertThat(again.test().features()).containsExactly(a.test().features());
    long rare = java.util.Arrays.stream(a.test().labels()).filter(l -> l == 1).count();
    assertThat(a.test().count()).isEqualTo(25);
    assertThat(rare).isEqualTo(5); // a quarter of each class
    CsvSpec other =
        new CsvSpec(
            f.toString(),
            null,
            null,
            "y",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "none",
            null,
            0.25,
            7L,
            null,
            null,
            null);
    assertThat(load(other).test().features()).isNotEqualTo(a.test().features());
  }

  @Test
  void theTaskIsInferredAndCanBeChosen() throws Exception {
    Path reg = file("reg.csv", "x,y\n1,0.5\n2,1.5\n3,2.25\n4,3.0\n5,4.75\n");
    DataSplits r = load(spec(reg.toString(), null, null, "y", null, null, 0.4, null));
    assertThat(r.train().classification()).isFalse();
    assertThat(log)
        .anyMatch(l -> l.contains("values, regression (inferred; set data.task to choose)"));
    Path ints = file("ints.csv", "x,y\n1,3\n2,5\n3,3\n4,5\n5,3\n6,5\n");
    DataSplits c = load(spec(ints.toString(), null, null, "y", null, null, 0.5, null));
    assertThat(c.classes()).containsExactly("3", "5");
    DataSplits forced = load(spec(ints.toString(), null, null, "y", null, null, 0.5, "regression"));
    assertThat(forced.train().classification()).isFalse();
  }

  @Test
  void withNormalizeNoneAndDivideByTheFeaturesAreExactlyTheDivision() throws Exception {
    Path f = file("px.csv", "label,p0,p1\n3,0,255\n7,128,17\n");
    Path t = file("px-test.csv", "label,p0,p1\n3,1,2\n");
    CsvSpec s =
        new CsvSpec(
            null,
            f.toString(),
            t.toString(),
            "label",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "none",
            255.0,
            null,
            null,
            null,
            null,
            null);
    float[] x = load(s).train().features();
    assertThat(x).containsExactly(0f / 255f, 255f / 255f, 128f / 255f, 17f / 255f);
  }

  @Test
  void numbersAreReadAsFloatParseFloatReadsThem() {
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 200_000; i++) {
      String s =
          switch (i % 4) {
            case 0 -> String.format(java.util.Locale.ROOT, "%.6f", r.nextDouble() * 1000 - 500);
            case 1 -> Float.toString(Float.intBitsToFloat(r.nextInt()));
            case 2 -> Integer.toString(r.nextInt(1_000_000) - 500_000);
            default -> (r.nextBoolean() ? "-" : "") + r.nextInt(1000) + "e" + (r.nextInt(30) - 15);
          };
      char[] c = s.toCharArray();
      float expected;
      try {
        expected = Float.parseFloat(s);
      } catch (NumberFormatException e) {
        continue;
      }
      if (Float.isNaN(expected) || Float.isInfinite(expected)) {
        continue;
      }
      assertThat(Float.floatToIntBits(Numbers.parse(c, 0, c.length)))
          .as(s)
          .isEqualTo(Float.floatToIntBits(expected));
    }
    for (String word : new String[] {"", "abc", "1.2.3", "--1", "1e", "e5", "."}) {
      char[] c = word.toCharArray();
      assertThat(Numbers.parse(c, 0, c.length)).as(word).isNaN();
    }
  }

  /** A 10 GB table (sparse: no disk used) is refused by its size before a byte of it is parsed. */
  @Test
  void aTableLargerThanTheHeapIsRefusedWithTheSizeItWouldNeed() throws Exception {
    Path big = file("big.csv", "a,b,c,y\n1.5,2.5,3.5,0\n4.5,5.5,6.5,1\n");
    try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(10L << 30);
    }
    assertThatThrownBy(() -> load(spec(big.toString(), null, null, "y", null, null, null, null)))
        .isInstanceOf(InputFileException.class)
        .hasMessageStartingWith(big + ": 10.0 GB of about ")
        .hasMessageContaining("rows of 3 numeric columns would need about ")
        .hasMessageContaining("give Java more with MLP_JAVA_OPTS=-Xmx");
  }
}
