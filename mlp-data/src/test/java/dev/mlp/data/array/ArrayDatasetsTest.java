package dev.mlp.data.array;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlp.core.data.DataSplits;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npy and npz data types on files written as NumPy writes them. */
class ArrayDatasetsTest {
  @TempDir Path tmp;

  private static byte[] longs(long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  private static final float[] X = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
  private static final long[] Y = {0, 1, 0, 1, 0, 1, 0, 1};

  @Test
  void npyFilesBecomeASeededStratifiedSplitWithNamedClasses() throws Exception {
    Path x =
        Files.write(
            tmp.resolve("x.npy"),
            NpyArrayTest.npy(
                1, "<f4", false, "8, 2", NpyArrayTest.floats(ByteOrder.LITTLE_ENDIAN, X)));
    Path y = Files.write(tmp.resolve("y.npy"), NpyArrayTest.npy(1, "<i8", false, "8,", longs(Y)));
    NpySpec spec =
        new NpySpec(
            x.toString(), y.toString(), null, null, null, List.of("cat", "dog"), 0.25, null);
    DataSplits d = new NpyDatasetFactory().load(spec, line -> {});
    assertThat(d.classes()).containsExactly("cat", "dog");
    assertThat(d.train().count()).isEqualTo(6);
    assertThat(d.test().count()).isEqualTo(2);
    assertThat(d.test().labels()).containsExactlyInAnyOrder(0, 1); // one of each class
    DataSplits again = new NpyDatasetFactory().load(spec, line -> {});
    assertThat(again.test().features()).containsExactly(d.test().features());
  }

  @Test
  void floatTargetsAreARegressionAndMismatchedRowsAreRefused() throws Exception {
    Path x =
        Files.write(
            tmp.resolve("x.npy"),
            NpyArrayTest.npy(
                1, "<f4", false, "8, 2", NpyArrayTest.floats(ByteOrder.LITTLE_ENDIAN, X)));
    Path y =
        Files.write(
            tmp.resolve("y.npy"),
            NpyArrayTest.npy(
                1,
                "<f4",
                false,
                "8,",
                NpyArrayTest.floats(ByteOrder.LITTLE_ENDIAN, 0.5f, 1, 2, 3, 4, 5, 6, 7)));
    DataSplits d =
        new NpyDatasetFactory()
            .load(
                new NpySpec(x.toString(), y.toString(), null, null, null, null, null, null),
                l -> {});
    assertThat(d.train().classification()).isFalse();
    Path y7 =
        Files.write(
            tmp.resolve("y7.npy"),
            NpyArrayTest.npy(1, "<i8", false, "7,", longs(0, 1, 0, 1, 0, 1, 0)));
    assertThatThrownBy(
            () ->
                new NpyDatasetFactory()
                    .load(
                        new NpySpec(
                            x.toString(), y7.toString(), null, null, null, null, null, null),
                        l -> {}))
        .hasMessage(y7 + ": 7 rows, but " + x + " has 8");
  }

  @Test
  void anNpzIsReadStoredOrDeflatedAndAnArrayItLacksIsNamed() throws Exception {
    byte[] xa =
        NpyArrayTest.npy(1, "<f4", false, "8, 2", NpyArrayTest.floats(ByteOrder.LITTLE_ENDIAN, X));
    byte[] ya = NpyArrayTest.npy(1, "<i8", false, "8,", longs(Y));
    for (boolean deflate : new boolean[] {false, true}) {
      Path z =
          Files.write(
              tmp.resolve("d" + deflate + ".npz"),
              NpyArrayTest.npz(deflate, new String[] {"X", "y"}, new byte[][] {xa, ya}));
      DataSplits d =
          new NpzDatasetFactory()
              .load(
                  new NpzSpec(z.toString(), null, null, null, null, null, null, null, null),
                  l -> {});
      assertThat(d.train().count() + d.test().count()).isEqualTo(8);
      assertThatThrownBy(
              () ->
                  new NpzDatasetFactory()
                      .load(
                          new NpzSpec(
                              z.toString(), "features", null, null, null, null, null, null, null),
                          l -> {}))
          .hasMessage(
              z + ": no array 'features'; it holds X, y; name the arrays with data.x and data.y");
    }
    // a deflated entry that inflates past what its header says: stopped at the first extra byte
    byte[] bomb = java.util.Arrays.copyOf(xa, xa.length + 10_000_000);
    Path zb =
        Files.write(
            tmp.resolve("bomb.npz"),
            NpyArrayTest.npz(true, new String[] {"X", "y"}, new byte[][] {bomb, ya}));
    assertThat(Files.size(zb)).isLessThan(100_000);
    assertThatThrownBy(
            () ->
                new NpzDatasetFactory()
                    .load(
                        new NpzSpec(zb.toString(), null, null, null, null, null, null, null, null),
                        l -> {}))
        .hasMessage(zb + ":X: holds more bytes than its shape [8, 2] says");
  }
}
