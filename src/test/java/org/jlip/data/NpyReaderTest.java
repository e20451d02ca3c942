package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

  @TempDir Path dir;

  /** A minimal .npy v1.0 writer: header padded with spaces so the data starts at a multiple of 64, as numpy does. */
  static Path npy(Path file, String descr, boolean fortran, int[] shape, byte[] data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
        + (shape.length == 1 ? shape[0] + "," : dims.toString().replaceAll(", $", "")) + "), }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    buf.putShort((short) header.length());
    buf.put(header.getBytes(StandardCharsets.US_ASCII));
    buf.put(data);
    return Files.write(file, buf.array());
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  static byte[] doubles(double... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  @Test
  void float32RoundTrip() throws IOException {
    float[] values = {0f, -1.5f, 3.25f, Float.MIN_VALUE, 1e30f, 0.1f};
    NpyArray a = NpyReader.read(npy(dir.resolve("a.npy"), "<f4", false, new int[] {2, 3}, floats(values)));
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(values, a.data());
    assertEquals("<f4", a.dtype());
  }

  @Test
  void float64RoundTripAsImages() throws IOException {
    double[] values = {0.125, 0.5, 0.75, 1.0, 0.0, 0.3, 0.6, 0.9};
    Images images = NpyReader.readImages(npy(dir.resolve("b.npy"), "<f8", false, new int[] {2, 2, 2}, doubles(values)));
    assertArrayEquals(new long[] {2, 2, 2, 1}, images.shape());
    for (int i = 0; i < values.length; i++) {
      assertEquals((float) values[i], images.pixels()[i]);
    }
  }

  @Test
  void uint8ImagesAreScaled() throws IOException {
    byte[] raw = {0, (byte) 255, (byte) 128, 51};
    Images images = NpyReader.readImages(npy(dir.resolve("c.npy"), "|u1", false, new int[] {1, 1, 2, 2}, raw));
    assertArrayEquals(new long[] {1, 1, 2, 2}, images.shape());
    assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 0.2f}, images.pixels());
    NpyArray a = NpyReader.read(dir.resolve("c.npy"));
    assertArrayEquals(new float[] {0, 255, 128, 51}, a.data());
  }

  @Test
  void oneDimensionalShape() throws IOException {
    NpyArray a = NpyReader.read(npy(dir.resolve("d.npy"), "<f4", false, new int[] {3}, floats(1, 2, 3)));
    assertArrayEquals(new int[] {3}, a.shape());
    assertThrows(MalformedDataException.class, () -> NpyReader.readImages(dir.resolve("d.npy")));
  }

  /** Flat samples (n, d) are read as (n, 1, d, 1): the row-major order of a flattened image. */
  @Test
  void flatSamplesAreOneRowImages() throws IOException {
    Images images = NpyReader.readImages(npy(dir.resolve("flat.npy"), "<f4", false, new int[] {2, 3},
        floats(1, 2, 3, 4, 5, 6)));
    assertEquals(2, images.count());
    assertEquals(3, images.imageSize());
    assertArrayEquals(new long[] {2, 1, 3, 1}, images.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, images.pixels());
  }

  /** No images, or a NaN or infinite value, is bad data for certify and attack. */
  @Test
  void emptyOrNonFiniteImagesAreRefused() throws IOException {
    Path empty = npy(dir.resolve("empty.npy"), "<f4", false, new int[] {0, 2, 2}, new byte[0]);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> DataSpec.load(empty.toString(), null));
    assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
    Path nan = npy(dir.resolve("nan.npy"), "<f4", false, new int[] {2, 1, 2}, floats(0, 1, Float.NaN, 0));
    e = assertThrows(MalformedDataException.class, () -> DataSpec.load(nan.toString(), null));
    assertTrue(e.getMessage().contains("NaN at image 1, position 0"), e.getMessage());
    // The training path reads the same check: the error names the file, not the learning rate.
    Path train = Files.createDirectories(dir.resolve("data/train"));
    npy(train.resolve("images.npy"), "<f4", false, new int[] {2, 1, 2}, floats(0, 1, Float.NaN, 0));
    npy(train.resolve("labels.npy"), "<f4", false, new int[] {2}, floats(0, 1));
    e = assertThrows(MalformedDataException.class, () -> DataLocator.load(dir.resolve("data").toString(),
        Split.TRAIN));
    assertTrue(e.getMessage().contains("images.npy") && e.getMessage().contains("NaN at image 1"), e.getMessage());
    Path huge = npy(dir.resolve("huge.npy"), "<f8", false, new int[] {1, 1, 2}, doubles(0, 1e300));
    e = assertThrows(MalformedDataException.class, () -> DataSpec.load(huge.toString(), null));
    assertTrue(e.getMessage().contains("1.0E300") && e.getMessage().contains("float32"), e.getMessage());
    Path zero = npy(dir.resolve("zero.npy"), "<f4", false, new int[] {3, 0, 2}, new byte[0]);
    e = assertThrows(MalformedDataException.class, () -> DataSpec.load(zero.toString(), null));
    assertTrue(e.getMessage().contains("zero.npy"), e.getMessage());
  }

  /** A structured array (several named fields per element) is named as such. */
  @Test
  void structuredArraysAreRefusedAsSuch() throws IOException {
    String dict = "{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (1,), }";
    String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
    buf.put(header.getBytes(StandardCharsets.US_ASCII));
    Path f = Files.write(dir.resolve("fields.npy"), buf.array());
    var e = assertThrows(MalformedDataException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains("structured array"), e.getMessage());
  }

  /**
   * numpy writes a Fortran-ordered array (a transpose, np.asfortranarray) first axis fastest; it reads as the same
   * array. Values v[i, j, k] = 100 i + 10 j + k, written in Fortran order, must come back in C order; one-hot labels
   * too.
   */
  @Test
  void fortranOrderIsReadAsTheSameArray() throws IOException {
    int[] shape = {2, 3, 4};
    float[] fortran = new float[24];
    float[] c = new float[24];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 4; k++) {
          fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
          c[(i * 3 + j) * 4 + k] = 100 * i + 10 * j + k;
        }
      }
    }
    NpyArray a = NpyReader.read(npy(dir.resolve("f.npy"), "<f4", true, shape, floats(fortran)));
    assertArrayEquals(shape, a.shape());
    assertArrayEquals(c, a.data());
    // One-hot rows [[0, 1, 0], [1, 0, 0]] in Fortran order: column by column.
    Path labels = npy(dir.resolve("l.npy"), "|u1", true, new int[] {2, 3}, new byte[] {0, 1, 1, 0, 0, 0});
    assertArrayEquals(new int[] {1, 0}, NpyReader.readLabels(labels));
  }

  @Test
  void unsupportedDtypeIsRejected() throws IOException {
    Path c = npy(dir.resolve("c.npy"), "<c8", false, new int[] {1}, new byte[8]);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> NpyReader.read(c));
    assertTrue(e.getMessage().contains("'<c8'"), e.getMessage());
    Path big = npy(dir.resolve("big.npy"), ">f4", false, new int[] {1}, new byte[4]);
    assertThrows(MalformedDataException.class, () -> NpyReader.read(big));
  }

  /** numpy's default integer is int64: label files come in every integer width, signed or not. */
  @Test
  void integerArraysAreReadExactly() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(3 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(9).putLong(-3);
    assertArrayEquals(new float[] {0, 9, -3}, NpyReader.read(npy(dir.resolve("l.npy"), "<i8", false,
        new int[] {3}, b.array())).data());
    b = ByteBuffer.allocate(2 * 4).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(123456);
    assertArrayEquals(new float[] {7, 123456}, NpyReader.read(npy(dir.resolve("i.npy"), "<i4", false,
        new int[] {2}, b.array())).data());
    b = ByteBuffer.allocate(2 * 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -2).putShort((short) 40000);
    assertArrayEquals(new float[] {-2, 40000 - 65536}, NpyReader.read(npy(dir.resolve("s.npy"), "<i2", false,
        new int[] {2}, b.array())).data());
    assertArrayEquals(new float[] {-2 + 65536, 40000}, NpyReader.read(npy(dir.resolve("u.npy"), "<u2", false,
        new int[] {2}, b.array())).data());
    assertArrayEquals(new float[] {-1, 5}, NpyReader.read(npy(dir.resolve("b.npy"), "|i1", false,
        new int[] {2}, new byte[] {-1, 5})).data());
  }

  @Test
  void truncatedDataIsRejected() throws IOException {
    Path f = npy(dir.resolve("t.npy"), "<f4", false, new int[] {2, 2}, floats(1, 2, 3));
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains("expected 16") && e.getMessage().contains("found 12"), e.getMessage());
  }

  @Test
  void truncatedHeaderAndBadMagicAreRejected() throws IOException {
    Path f = npy(dir.resolve("h.npy"), "<f4", false, new int[] {1}, floats(1));
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(bytes, 30));
    assertThrows(MalformedDataException.class, () -> NpyReader.read(f));
    bytes[1] = 'X';
    Files.write(f, bytes);
    assertThrows(MalformedDataException.class, () -> NpyReader.read(f));
  }

  @Test
  void headerWithoutShapeIsRejected() throws IOException {
    Path f = npy(dir.resolve("s.npy"), "<f4", false, new int[] {1}, floats(1));
    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).replace("'shape'", "'shope'");
    Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> NpyReader.read(f));
    assertTrue(e.getMessage().contains("'shape'"), e.getMessage());
  }

  @Test
  void nonRegularFilesAreRefused() throws Exception {
    Path pipe = IdxReaderTest.fifo(dir.resolve("pipe.npy"));
    IdxReaderTest.assertRefusedAsSpecial(pipe, "FIFO", () -> NpyReader.read(pipe));
    IdxReaderTest.assertRefusedAsSpecial(pipe, "FIFO", () -> NpyReader.readLabels(pipe));
    Path folder = Files.createDirectory(dir.resolve("folder.npy"));
    IdxReaderTest.assertRefusedAsSpecial(folder, "a directory", () -> NpyReader.readImages(folder));
  }

  /** uint16 images come to [0, 1] by /65535, as 16-bit PNGs do. */
  @Test
  void uint16ImagesAreScaled() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * 2).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) 0).putShort((short) 65535).putShort((short) 1000).putShort((short) 32768);
    Images images = NpyReader.readImages(npy(dir.resolve("u16.npy"), "<u2", false, new int[] {1, 2, 2},
        b.array()));
    assertArrayEquals(new float[] {0f, 1f, 1000 / 65535f, 32768 / 65535f}, images.pixels());
  }

  /** Signed 8-bit images have no standard scale: refused, naming the dtype and what to convert to. */
  @Test
  void int8ImagesAreRefused() throws IOException {
    Path f = npy(dir.resolve("i8.npy"), "|i1", false, new int[] {1, 2, 2}, new byte[] {0, 127, -128, 5});
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> NpyReader.readImages(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'|i1'")
        && e.getMessage().contains("uint8") && e.getMessage().contains("float32"), e.getMessage());
  }

  @Test
  void oneHotLabelsAreReadAsClassIndices() throws IOException {
    Path f = npy(dir.resolve("onehot.npy"), "<f4", false, new int[] {3, 4}, floats(0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0,
        1));
    assertArrayEquals(new int[] {2, 0, 3}, NpyReader.readLabels(f));
    Path twice = npy(dir.resolve("two.npy"), "<f4", false, new int[] {2, 3}, floats(0, 1, 0, 1, 1, 0));
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> NpyReader.readLabels(twice));
    assertTrue(e.getMessage().contains("row 1 is not one 1 among 0s") && e.getMessage().contains("[2, 3]"),
        e.getMessage());
  }

  /** Labels are read exactly (2^24 + 1 would round through float) and a too-large one is named as stored. */
  @Test
  void int64LabelsAreExactAndTooLargeOnesNamedAsStored() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(2 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(16_777_217L);
    assertArrayEquals(new int[] {3, 16_777_217}, NpyReader.readLabels(npy(dir.resolve("ok.npy"), "<i8", false,
        new int[] {2}, b.array())));
    for (long big : new long[] {3_000_000_001L, 1L << 31, Long.MAX_VALUE}) {
      b = ByteBuffer.allocate(2 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(big);
      Path f = npy(dir.resolve("big.npy"), "<i8", false, new int[] {2}, b.array());
      MalformedDataException e = assertThrows(MalformedDataException.class, () -> NpyReader.readLabels(f));
      assertTrue(e.getMessage().contains("found " + big + " at index 1"), e.getMessage());
    }
    Path negative = npy(dir.resolve("neg.npy"), "<i4", false, new int[] {1},
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(-2).array());
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> NpyReader.readLabels(negative));
    assertTrue(e.getMessage().contains("found -2 at index 0"), e.getMessage());
    Path fraction = npy(dir.resolve("half.npy"), "<f4", false, new int[] {2}, floats(1, 1.5f));
    e = assertThrows(MalformedDataException.class, () -> NpyReader.readLabels(fraction));
    assertTrue(e.getMessage().contains("found 1.5 at index 1"), e.getMessage());
  }
}
