package org.jlip.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads numpy .npy files (format versions 1.0, 2.0, 3.0) holding little-endian float32 ("&lt;f4"), float64
 * ("&lt;f8"), signed 8- to 64-bit or unsigned 8- and 16-bit integer arrays in C order. Layout: magic
 * "\x93NUMPY", major and minor version bytes, a little-endian header length (2 bytes in v1, 4 in v2/v3), an
 * ASCII Python dict literal with keys descr, fortran_order and shape, then the raw elements.
 */
public final class NpyReader {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyReader() {}

  /** Reads the whole array, converting elements to float. */
  public static NpyArray read(Path file) throws IOException {
    return read(file, readAll(file));
  }

  /** The array in {@code bytes}, a .npy file's content; {@code file} names it in errors. */
  static NpyArray read(Path file, byte[] bytes) throws MalformedDataException {
    return read(file, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
  }

  private static NpyArray read(Path file, ByteBuffer buf) throws MalformedDataException {
    Header h = header(file, buf);
    float[] data = new float[h.count()];
    String type = h.descr().substring(1);
    int[] at = cPositions(h);
    for (int i = 0; i < data.length; i++) {
      float v = switch (type) {
        case "f4" -> buf.getFloat();
        case "f8" -> narrowed(file, buf.getDouble(), i);
        default -> integer(buf, type);
      };
      data[at == null ? i : at[i]] = v;
    }
    return new NpyArray(h.shape(), data, h.descr());
  }

  /** A float64 element as float32; a finite one beyond float32's range is refused rather than made infinite. */
  private static float narrowed(Path file, double d, int index) throws MalformedDataException {
    float f = (float) d;
    if (Float.isInfinite(f) && Double.isFinite(d)) {
      throw new MalformedDataException(file, "value " + d + " (element " + index + " in file order) is beyond"
          + " float32's range (" + Float.MAX_VALUE + "), which jlip computes in");
    }
    return f;
  }

  /**
   * Null for a C-ordered file; for a Fortran-ordered one (first axis fastest: numpy writes an array so when it is
   * laid out so in memory, e.g. a transpose or np.asfortranarray), the C-order index of each element in file order.
   */
  private static int[] cPositions(Header h) {
    if (!h.fortran()) {
      return null;
    }
    int[] shape = h.shape();
    int[] stride = new int[shape.length];
    int step = 1;
    for (int a = shape.length - 1; a >= 0; a--) {
      stride[a] = step;
      step *= shape[a];
    }
    int[] at = new int[h.count()];
    int[] index = new int[shape.length];
    for (int i = 0; i < at.length; i++) {
      int c = 0;
      for (int a = 0; a < shape.length; a++) {
        c += index[a] * stride[a];
      }
      at[i] = c;
      for (int a = 0; a < shape.length; a++) {
        if (++index[a] < shape[a]) {
          break;
        }
        index[a] = 0;
      }
    }
    return at;
  }

  /**
   * Reads labels, any shape flattened: integers in [0, 2^31) of any dtype. Integer elements are not read
   * through float, which would round int64 values above 2^24 and report a label too large for an int as
   * 2147483647: the message names the stored value.
   */
  public static int[] readLabels(Path file) throws IOException {
    return readLabels(file, readAll(file)).values();
  }

  /** The labels in {@code bytes}, a .npy file's content; {@code file} names it in errors. */
  static int[] readLabels(Path file, byte[] bytes) throws MalformedDataException {
    return labels(file, bytes).values();
  }

  /**
   * Class indices and the class count the file declares: the width of one-hot rows ([n, classes], classes > 1),
   * which counts classes no label uses; 0 for class indices.
   */
  record Labels(int[] values, int declaredClasses) {}

  /** {@link #readLabels(Path, byte[])} with the class count one-hot rows declare. */
  static Labels labels(Path file, byte[] bytes) throws MalformedDataException {
    return readLabels(file, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
  }

  private static Labels readLabels(Path file, ByteBuffer buf) throws MalformedDataException {
    Header h = header(file, buf);
    int[] values = new int[h.count()];
    String type = h.descr().substring(1);
    int[] at = cPositions(h);
    for (int i = 0; i < values.length; i++) {
      Number v = switch (type) {
        case "f4" -> buf.getFloat();
        case "f8" -> buf.getDouble();
        default -> integer(buf, type);
      };
      double d = v.doubleValue();
      if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
        throw new MalformedDataException(file, "expected non-negative integer labels below 2^31, found " + v
            + " at index " + i);
      }
      values[at == null ? i : at[i]] = v.intValue();
    }
    boolean oneHot = h.shape().length == 2 && h.shape()[1] > 1;
    return oneHot ? new Labels(oneHot(file, values, h.shape()[0], h.shape()[1]), h.shape()[1])
        : new Labels(values, 0);
  }

  /** Keras's one-hot labels (to_categorical), [n, classes] with one 1 per row, as class indices. */
  private static int[] oneHot(Path file, int[] values, int n, int classes) throws MalformedDataException {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int ones = 0;
      for (int k = 0; k < classes; k++) {
        int v = values[i * classes + k];
        if (v > 1) {
          ones = -1;
          break;
        }
        if (v == 1) {
          labels[i] = k;
          ones++;
        }
      }
      if (ones != 1) {
        throw new MalformedDataException(file, "labels of shape [" + n + ", " + classes + "] are read as one-hot"
            + " rows, but row " + i + " is not one 1 among 0s");
      }
    }
    return labels;
  }

  /** Reads a (n, d), (n, h, w) or (n, h, w, c) array as images, as {@link NpyArray#toImages} makes them. */
  public static Images readImages(Path file) throws IOException {
    return images(file, read(file));
  }

  /** {@code array}, read from {@code file}, as images ({@link NpyArray#toImages}). */
  static Images images(Path file, NpyArray array) throws MalformedDataException {
    Images images;
    try {
      images = array.toImages();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new MalformedDataException(file, e.getMessage(), e);
    }
    float[] p = images.pixels();
    for (int i = 0; i < p.length; i++) {
      if (!Float.isFinite(p[i])) {
        throw new MalformedDataException(file, "value " + p[i] + " at image " + i / images.imageSize()
            + ", position " + i % images.imageSize() + ": images must be finite");
      }
    }
    return images;
  }

  private static long integer(ByteBuffer buf, String type) {
    return switch (type) {
      case "i8" -> buf.getLong();
      case "i4" -> buf.getInt();
      case "i2" -> buf.getShort();
      case "u2" -> buf.getShort() & 0xffff;
      case "i1" -> buf.get();
      default -> buf.get() & 0xff;
    };
  }

  /** The bytes of a .npy file (not a device or a pipe). */
  static byte[] bytesOf(Path file) throws IOException {
    DataFiles.refuseSpecial(file, "a .npy array");
    return Files.readAllBytes(file);
  }

  private static ByteBuffer readAll(Path file) throws IOException {
    DataFiles.refuseSpecial(file, "a .npy array");
    return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The parsed header of a .npy file; count elements of descr follow it, exactly. */
  private record Header(String descr, int[] shape, int count, boolean fortran) {}

  /** Parses the preamble and header, leaving buf at the first element, and checks the data's length. */
  private static Header header(Path file, ByteBuffer buf) throws MalformedDataException {
    if (buf.remaining() < MAGIC.length + 4) {
      throw new MalformedDataException(file, "truncated: expected a .npy preamble of at least "
          + (MAGIC.length + 4) + " bytes, found " + buf.remaining());
    }
    byte[] magic = new byte[MAGIC.length];
    buf.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new MalformedDataException(file, "expected .npy magic \\x93NUMPY, found " + Arrays.toString(magic));
    }
    int major = buf.get() & 0xff;
    buf.get();
    long headerLength;
    if (major == 1) {
      headerLength = buf.getShort() & 0xffff;
    } else if (major == 2 || major == 3) {
      if (buf.remaining() < 4) {
        throw new MalformedDataException(file, "truncated: expected a 4-byte header length");
      }
      headerLength = buf.getInt() & 0xffffffffL;
    } else {
      throw new MalformedDataException(file, "expected .npy format version 1, 2 or 3, found " + major);
    }
    if (headerLength > buf.remaining()) {
      throw new MalformedDataException(file,
          "truncated: expected a header of " + headerLength + " bytes, found " + buf.remaining());
    }
    byte[] headerBytes = new byte[(int) headerLength];
    buf.get(headerBytes);
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

    String descr = group(file, header, DESCR, "descr");
    boolean fortran = group(file, header, FORTRAN, "fortran_order").equals("True");
    int[] shape = parseShape(file, group(file, header, SHAPE, "shape"));
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    int itemSize = itemSize(file, descr);
    if (count * itemSize > buf.remaining()) {
      throw new MalformedDataException(file, "truncated: expected " + count * itemSize + " data bytes for shape "
          + Arrays.toString(shape) + " " + descr + ", found " + buf.remaining());
    }
    if (count * itemSize < buf.remaining()) {
      throw new MalformedDataException(file, "expected " + count * itemSize + " data bytes for shape "
          + Arrays.toString(shape) + " " + descr + ", found " + buf.remaining() + " (trailing data)");
    }
    return new Header(descr, shape, (int) count, fortran);
  }

  private static int itemSize(Path file, String descr) throws MalformedDataException {
    // Integer arrays are labels, mostly: numpy's default integer is int64.
    return switch (descr) {
      case "<f8", "<i8" -> 8;
      case "<f4", "<i4" -> 4;
      case "<i2", "<u2" -> 2;
      case "|u1", "<u1", "|i1" -> 1;
      default -> throw new MalformedDataException(file, "unsupported dtype: expected little-endian float32,"
          + " float64, int8-64 or uint8-16 ('<f4', '<f8', '<i8', '<i4', '<i2', '|i1', '<u2', '|u1'), found '"
          + descr + "'");
    };
  }

  private static String group(Path file, String header, Pattern pattern, String key)
      throws MalformedDataException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      if (key.equals("descr") && header.matches("(?s).*'descr'\\s*:\\s*\\[.*")) {
        throw new MalformedDataException(file, "holds a structured array (fields " + header.trim() + "); jlip reads"
            + " arrays of one numeric dtype");
      }
      throw new MalformedDataException(file, "expected key '" + key + "' in .npy header, found " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(Path file, String text) throws MalformedDataException {
    String[] parts = text.split(",");
    int n = 0;
    int[] shape = new int[parts.length];
    long count = 1;
    for (String part : parts) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      try {
        shape[n] = Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
      } catch (NumberFormatException e) {
        throw new MalformedDataException(file, "expected integer dimensions in shape, found (" + text + ")", e);
      }
      if (shape[n] < 0) {
        throw new MalformedDataException(file, "expected non-negative dimensions, found (" + text + ")");
      }
      count *= shape[n++];
      if (count > Integer.MAX_VALUE - 8) {
        throw new MalformedDataException(file, "shape (" + text + ") has too many elements for one array");
      }
    }
    return Arrays.copyOf(shape, n);
  }
}
