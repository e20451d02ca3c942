package org.jlip.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format): a big-endian int magic {@code 0x0000TTDD} (TT = element
 * type, 0x08 = uint8; DD = number of dimensions), DD big-endian int dimensions, then the elements. Files may be
 * gzip-compressed; compression is detected from the gzip magic bytes (1f 8b), not from the file name.
 */
public final class IdxReader {

  /** uint8, 3 dimensions (count, rows, columns). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** uint8, 1 dimension (count). */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Reads an images file, scaling pixels to [0, 1] by /255; one channel. */
  public static Images readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      checkMagic(file, readInt(file, in, "magic number"), IMAGES_MAGIC, "uint8 3-D images");
      int count = readDimension(file, in, "image count");
      int rows = readDimension(file, in, "rows");
      int columns = readDimension(file, in, "columns");
      if (rows == 0 || columns == 0) {
        throw new MalformedDataException(file, "images of " + rows + "x" + columns + " pixels: expected at least"
            + " one row and one column");
      }
      long bytes = (long) count * rows * columns;
      if (bytes > Integer.MAX_VALUE - 8) {
        throw new MalformedDataException(file, "image payload of " + count + "x" + rows + "x" + columns
            + " bytes is too large for one array");
      }
      byte[] raw = readPayload(file, in, (int) bytes, count + " images of " + rows + "x" + columns);
      return new Images(Images.scaleUint8(raw), count, rows, columns, 1);
    }
  }

  /** Reads a labels file; labels are returned as unsigned values 0..255. */
  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      checkMagic(file, readInt(file, in, "magic number"), LABELS_MAGIC, "uint8 1-D labels");
      int count = readDimension(file, in, "label count");
      byte[] raw = readPayload(file, in, count, count + " labels");
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i] & 0xff;
      }
      return labels;
    }
  }

  /**
   * Reads a matching images/labels pair into a dataset.
   *
   * @param numClasses labels must be in [0, numClasses)
   * @param classNames null, or numClasses names indexed by label
   * @throws MalformedDataException if the counts differ or a label is out of range
   */
  public static Dataset read(Path imagesFile, Path labelsFile, int numClasses, List<String> classNames)
      throws IOException {
    return read(imagesFile, labelsFile, labels -> numClasses, classNames);
  }

  /** As {@link #read(Path, Path, int, List)}, with the class count a function of the labels read. */
  static Dataset read(Path imagesFile, Path labelsFile, ToIntFunction<int[]> classesOf,
      List<String> classNames) throws IOException {
    Images images = readImages(imagesFile);
    int[] labels = readLabels(labelsFile);
    if (images.count() != labels.length) {
      throw new MalformedDataException(labelsFile, "expected " + images.count() + " labels (the image count of "
          + imagesFile + "), found " + labels.length);
    }
    int numClasses = classesOf.applyAsInt(labels);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= numClasses) {
        throw new MalformedDataException(labelsFile,
            "expected labels in [0, " + numClasses + "), found " + labels[i] + " at index " + i);
      }
    }
    return images.withLabels(labels, numClasses, classNames);
  }

  private static DataInputStream open(Path file) throws IOException {
    DataFiles.refuseSpecial(file, "an IDX file");
    BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      buffered.mark(2);
      int b0 = buffered.read();
      int b1 = buffered.read();
      buffered.reset();
      InputStream in = buffered;
      if (b0 == 0x1f && b1 == 0x8b) {
        in = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
      }
      return new DataInputStream(in);
    } catch (IOException e) {
      buffered.close();
      throw new MalformedDataException(file, "cannot open as IDX (plain or gzip): " + e.getMessage(), e);
    }
  }

  private static void checkMagic(Path file, int found, int expected, String what) throws IOException {
    if (found != expected) {
      throw new MalformedDataException(file, String.format(
          "expected IDX magic number 0x%08X (%s), found 0x%08X", expected, what, found));
    }
  }

  private static int readDimension(Path file, DataInputStream in, String name) throws IOException {
    int value = readInt(file, in, name);
    if (value < 0) {
      throw new MalformedDataException(file, "expected a non-negative " + name + ", found " + value);
    }
    return value;
  }

  private static int readInt(Path file, DataInputStream in, String name) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException | ZipException e) {
      throw new MalformedDataException(file,
          "truncated header: expected 4 bytes of " + name + ", found end of data", e);
    }
  }

  /** Reads exactly n bytes and checks that nothing follows them. */
  private static byte[] readPayload(Path file, DataInputStream in, int n, String what) throws IOException {
    byte[] raw;
    boolean trailing;
    try {
      raw = in.readNBytes(n);
      trailing = raw.length == n && in.read() != -1;
    } catch (EOFException | ZipException e) {
      throw new MalformedDataException(file, "truncated or corrupt gzip stream while reading " + what, e);
    }
    if (raw.length < n) {
      throw new MalformedDataException(file,
          "truncated: expected " + n + " payload bytes (" + what + "), found " + raw.length);
    }
    if (trailing) {
      throw new MalformedDataException(file,
          "expected exactly " + n + " payload bytes (" + what + "), found trailing data");
    }
    return raw;
  }
}
