package dev.mlp.data.array;

import dev.mlp.data.files.InputFileException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array read into float32 (or int labels): format versions 1 to 3, the dtypes
 * a data set holds ({@code f4 f8 f2 u1 i1 u2 i2 u4 i4 u8 i8 b1}), little- and big-endian, C order.
 * The header is checked before anything is allocated: its shape against the bytes the file holds (a
 * lying shape or a truncated file is one line), Fortran order and object arrays (pickles, which are
 * never unpickled) are refused.
 */
public final class NpyArray {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** The largest header read, in bytes (NumPy's own limit for version 1 is 65535). */
  static final int MAX_HEADER = 1 << 20;

  private final String name;
  private final long[] shape;
  private final float[] values;
  private final boolean integral;

  private NpyArray(String name, long[] shape, float[] values, boolean integral) {
    this.name = name;
    this.shape = shape;
    this.values = values;
    this.integral = integral;
  }

  public String name() {
    return name;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The values as float32, in C order. */
  public float[] values() {
    return values;
  }

  /** Whether the dtype was an integer or boolean type (labels, not values). */
  public boolean integral() {
    return integral;
  }

  /** Rows: the first dimension (1 for a 0-d array). */
  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /**
   * Reads one array from {@code in}, which holds {@code available} bytes (-1: unknown, as in a
   * compressed zip entry: then the declared size is read and nothing past it).
   *
   * @param name what to call it in messages: a file, or {@code data.npz:X.npy}
   * @param maxBytes the most float32 bytes the array may become
   */
  public static NpyArray read(InputStream in, String name, long available, long maxBytes)
      throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] magic = new byte[8];
    try {
      d.readFully(magic);
    } catch (EOFException e) {
      throw bad(name, "too short for an .npy header");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw bad(name, "not an .npy file (it does not start with \\x93NUMPY)");
      }
    }
    int major = magic[6];
    int headerLength;
    long used = 8;
    try {
      if (major == 1) {
        headerLength = Short.toUnsignedInt(Short.reverseBytes(d.readShort()));
        used += 2;
      } else if (major == 2 || major == 3) {
        headerLength = Integer.reverseBytes(d.readInt());
        used += 4;
      } else {
        throw bad(name, "an .npy format version " + major + ", which mlp does not know (1 to 3)");
      }
    } catch (EOFException e) {
      throw bad(name, "cut short in its header");
    }
    if (headerLength < 0 || headerLength > MAX_HEADER) {
      throw bad(name, "its header claims " + Integer.toUnsignedString(headerLength) + " bytes");
    }
    byte[] h = new byte[headerLength];
    try {
      d.readFully(h);
    } catch (EOFException e) {
      throw bad(name, "cut short in its header");
    }
    used += headerLength;
    String header =
        new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeM = SHAPE.matcher(header);
    if (header.matches("(?s).*'descr'\\s*:\\s*\\[.*")) {
      throw bad(
          name,
          "a structured (record) dtype, which mlp does not read; save a plain numeric array"
              + " (numpy.save(f, a.astype('float32')) of its numeric fields)");
    }
    if (!descr.find() || !fortran.find() || !shapeM.find()) {
      throw bad(
          name, "its header is not the dictionary of descr, fortran_order and shape NumPy writes");
    }
    if (fortran.group(1).equals("True")) {
      throw bad(
          name,
          "in Fortran order; save it in C order (numpy.ascontiguousarray(a) before numpy.save)");
    }
    String dtype = descr.group(1);
    Dtype t = Dtype.of(dtype, name);
    List<Long> dims = new ArrayList<>();
    for (String part : shapeM.group(1).split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        long v = Long.parseLong(part.strip());
        if (v < 0) {
          throw new NumberFormatException();
        }
        dims.add(v);
      } catch (NumberFormatException e) {
        throw bad(name, "its shape (" + shapeM.group(1) + ") is not a tuple of sizes");
      }
    }
    long count = 1;
    for (long v : dims) {
      count = v == 0 ? 0 : (count > Long.MAX_VALUE / v ? -1 : count * v);
      if (count < 0) {
        throw bad(name, "its shape " + dims + " holds more values than any file can");
      }
    }
    long bytes = count * t.size;
    if (count > Integer.MAX_VALUE - 8 || 4 * count > maxBytes) {
      throw bad(
          name,
          "its shape "
              + dims
              + " is "
              + String.format("%,d", count)
              + " values, more than mlp reads into memory here ("
              + dev.mlp.data.files.InputFiles.bytes(maxBytes)
              + " as float32); give Java more with MLP_JAVA_OPTS=-Xmx...");
    }
    if (available >= 0 && used + bytes != available) {
      throw bad(
          name,
          "its header says shape "
              + dims
              + " of "
              + dtype
              + " ("
              + String.format("%,d", bytes)
              + " bytes) but the file holds "
              + String.format("%,d", available - used)
              + " after the header"
              + (used + bytes > available ? " (truncated, or the shape lies)" : ""));
    }
    float[] values = new float[(int) count];
    byte[] buf = new byte[1 << 16];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(t.order);
    long done = 0;
    int per = buf.length / t.size;
    while (done < count) {
      int n = (int) Math.min(per, count - done);
      try {
        d.readFully(buf, 0, n * t.size);
      } catch (EOFException e) {
        throw bad(name, "cut short: " + String.format("%,d", done) + " of " + count + " values");
      }
      bb.clear();
      for (int i = 0; i < n; i++) {
        float v = t.read(bb, i * t.size);
        if (!t.integral && !Float.isFinite(v)) {
          throw bad(name, where(dims, done + i) + ": expected a finite number, got " + v);
        }
        values[(int) (done + i)] = v;
      }
      done += n;
    }
    if (available < 0 && d.read() >= 0) {
      throw bad(name, "holds more bytes than its shape " + dims + " says");
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    return new NpyArray(name, shape, values, t.integral);
  }

  /**
   * Where the value at flat index {@code i} is, as a user of the array names it: "row 7, column 2"
   * of a [N, D] array, "row 7" of a [N] one, its index tuple past that.
   */
  static String where(List<Long> dims, long i) {
    if (dims.size() == 1) {
      return "row " + i;
    }
    if (dims.size() == 2) {
      return "row " + i / dims.get(1) + ", column " + i % dims.get(1);
    }
    long[] at = new long[dims.size()];
    long rest = i;
    for (int k = dims.size() - 1; k >= 0; k--) {
      long n = Math.max(1, dims.get(k));
      at[k] = rest % n;
      rest /= n;
    }
    return "value " + java.util.Arrays.toString(at).replace('[', '(').replace(']', ')');
  }

  private static InputFileException bad(String name, String what) {
    return new InputFileException(name + ": " + what);
  }

  /** A NumPy dtype mlp reads. */
  private enum Kind {
    F2,
    F4,
    F8,
    I1,
    U1,
    I2,
    U2,
    I4,
    U4,
    I8,
    U8,
    B1
  }

  private record Dtype(Kind kind, int size, ByteOrder order, boolean integral) {
    static Dtype of(String descr, String name) throws InputFileException {
      if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
        if (descr.startsWith("O") || descr.contains("O")) {
          throw bad(name, "an array of Python objects (a pickle), which mlp never unpickles");
        }
        throw bad(name, "a dtype '" + descr + "' mlp does not read");
      }
      char o = descr.charAt(0);
      ByteOrder order = o == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      String code = descr.substring(1);
      Kind k =
          switch (code) {
            case "f2" -> Kind.F2;
            case "f4" -> Kind.F4;
            case "f8" -> Kind.F8;
            case "i1" -> Kind.I1;
            case "u1" -> Kind.U1;
            case "i2" -> Kind.I2;
            case "u2" -> Kind.U2;
            case "i4" -> Kind.I4;
            case "u4" -> Kind.U4;
            case "i8" -> Kind.I8;
            case "u8" -> Kind.U8;
            case "b1" -> Kind.B1;
            default -> null;
          };
      if (k == null) {
        if (code.startsWith("O")) {
          throw bad(name, "an array of Python objects (a pickle), which mlp never unpickles");
        }
        throw bad(
            name,
            "a dtype '"
                + descr
                + "' mlp does not read (it reads float16/32/64, signed and unsigned integers and"
                + " booleans)");
      }
      int size = Integer.parseInt(code.substring(1));
      return new Dtype(k, size, order, k != Kind.F2 && k != Kind.F4 && k != Kind.F8);
    }

    float read(ByteBuffer b, int at) {
      return switch (kind) {
        case F2 -> half(b.getShort(at));
        case F4 -> b.getFloat(at);
        case F8 -> (float) b.getDouble(at);
        case I1 -> b.get(at);
        case U1, B1 -> b.get(at) & 0xff;
        case I2 -> b.getShort(at);
        case U2 -> b.getShort(at) & 0xffff;
        case I4 -> b.getInt(at);
        case U4 -> b.getInt(at) & 0xffffffffL;
        case I8 -> b.getLong(at);
        case U8 -> b.getLong(at) >>> 1 << 1; // beyond 2⁶³ a label is absurd anyway
      };
    }
  }

  /** An IEEE 754 half-precision number as a float (Java 17 has no Float.float16ToFloat). */
  static float half(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero)
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
