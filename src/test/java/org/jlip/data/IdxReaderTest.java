package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

  @TempDir Path dir;

  /** IDX bytes: magic, dimensions, then payload (which may be shorter or longer than the dimensions say). */
  static byte[] idx(int magic, int[] dims, byte[] payload) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(payload);
    }
    return bytes.toByteArray();
  }

  static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    if (!gzip) {
      return Files.write(file, content);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    }
    return Files.write(file, bytes.toByteArray());
  }

  /** A named pipe at file: reading it blocks until a writer comes, which none does. */
  static Path fifo(Path file) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
    } catch (IOException e) {
      p = null;
    }
    assumeTrue(p != null && p.waitFor() == 0, "mkfifo is not available");
    return file;
  }

  /** Refused with a message naming the file and what it is; a preemptive timeout so that a FIFO cannot hang. */
  static void assertRefusedAsSpecial(Path file, String kind, Executable read) {
    MalformedDataException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(MalformedDataException.class, read));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("regular file")
        && e.getMessage().contains(kind), e.getMessage());
  }

  static byte[] ramp(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 37);
    }
    return b;
  }

  @Test
  void readsRealFashionMnistTrain() throws IOException {
    Dataset train = FashionMnist.load(Split.TRAIN);
    assertEquals(60000, train.size());
    assertArrayEquals(new long[] {60000, 28, 28, 1}, train.shape());
    assertEquals(9, train.labels()[0]);
    int[] expected = new int[10];
    Arrays.fill(expected, 6000);
    assertArrayEquals(expected, train.labelHistogram());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : train.images()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
    assertEquals("Ankle boot", train.className(train.labels()[0]));
  }

  @Test
  void readsRealFashionMnistTest() throws IOException {
    Dataset test = FashionMnist.load(Split.TEST);
    assertEquals(10000, test.size());
    assertEquals(28, test.height());
    assertEquals(28, test.width());
    int[] expected = new int[10];
    Arrays.fill(expected, 1000);
    assertArrayEquals(expected, test.labelHistogram());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsCraftedFilesExactly(boolean gzip) throws IOException {
    byte[] pixels = ramp(3 * 2 * 4);
    Path images = write(dir.resolve("img.bin"), idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 4}, pixels), gzip);
    Path labels = write(dir.resolve("lab.bin"), idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {2, 0, 1}),
        gzip);
    Dataset d = IdxReader.read(images, labels, 3, null);
    assertArrayEquals(new long[] {3, 2, 4, 1}, d.shape());
    assertArrayEquals(new int[] {2, 0, 1}, d.labels());
    for (int i = 0; i < pixels.length; i++) {
      assertEquals((pixels[i] & 0xff) / 255f, d.images()[i], 0f, "pixel " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void wrongMagicNamesFileAndBothNumbers(boolean gzip) throws IOException {
    Path labels = write(dir.resolve("labels"), idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[2]), gzip);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(labels));
    assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("0x00000803") && e.getMessage().contains("0x00000801"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void truncatedPayloadIsRejected(boolean gzip) throws IOException {
    Path images = write(dir.resolve("short"), idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 3}, ramp(17)), gzip);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(images));
    assertTrue(e.getMessage().contains("expected 18") && e.getMessage().contains("found 17"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void truncatedHeaderIsRejected(boolean gzip) throws IOException {
    byte[] full = idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 3}, ramp(18));
    Path images = write(dir.resolve("hdr"), Arrays.copyOf(full, 10), gzip);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(images));
    assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
  }

  @Test
  void cutGzipStreamIsRejected() throws IOException {
    Path gz = write(dir.resolve("cut.gz"), idx(IdxReader.IMAGES_MAGIC, new int[] {4, 8, 8}, ramp(256)), true);
    byte[] bytes = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(bytes, bytes.length - 12));
    assertThrows(MalformedDataException.class, () -> IdxReader.readImages(gz));
  }

  @Test
  void trailingDataIsRejected() throws IOException {
    Path labels = write(dir.resolve("long"), idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[3]), false);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readLabels(labels));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void labelCountDifferentFromImageCountIsRejected(boolean gzip) throws IOException {
    Path images = write(dir.resolve("i"), idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, ramp(12)), gzip);
    Path labels = write(dir.resolve("l"), idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[2]), gzip);
    MalformedDataException e =
        assertThrows(MalformedDataException.class, () -> IdxReader.read(images, labels, 10, null));
    assertTrue(e.getMessage().contains("expected 3 labels") && e.getMessage().contains("found 2"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsRejected() throws IOException {
    Path images = write(dir.resolve("i"), idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 1}, new byte[1]), false);
    Path labels = write(dir.resolve("l"), idx(IdxReader.LABELS_MAGIC, new int[] {1}, new byte[] {10}), false);
    assertThrows(MalformedDataException.class, () -> IdxReader.read(images, labels, 10, null));
  }

  /** A FIFO would block forever, /dev/zero never ends and a directory fails obscurely: all refused up front. */
  @Test
  void nonRegularFilesAreRefused() throws Exception {
    Path pipe = fifo(dir.resolve("pipe-idx3-ubyte"));
    assertRefusedAsSpecial(pipe, "FIFO", () -> IdxReader.readImages(pipe));
    assertRefusedAsSpecial(pipe, "FIFO", () -> IdxReader.readLabels(pipe));
    Path folder = Files.createDirectory(dir.resolve("folder"));
    assertRefusedAsSpecial(folder, "a directory", () -> IdxReader.readLabels(folder));
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero), "no /dev/zero");
    assertRefusedAsSpecial(zero, "device", () -> IdxReader.readImages(zero));
  }

  /** Images of zero rows or columns are named as such, with the file. */
  @Test
  void imagesWithoutPixelsAreRejected() throws IOException {
    Path images = write(dir.resolve("images"), idx(IdxReader.IMAGES_MAGIC, new int[] {2, 0, 28}, new byte[0]), false);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(images));
    assertTrue(e.getMessage().contains(images.toString()) && e.getMessage().contains("0x28"), e.getMessage());
  }
}
