package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DataSpec#load} on each kind of source: how images are scaled, what raw() gives back, what is refused. */
class DataSpecTest {

  @TempDir Path dir;

  private static void assertScaled(DataSpec d, float scale, float... stored) {
    assertEquals(scale, d.scale());
    assertArrayEquals(stored, d.raw().pixels(), "raw");
    for (int i = 0; i < stored.length; i++) {
      assertEquals(stored[i] / scale, d.images().pixels()[i], "pixel " + i);
    }
  }

  @Test
  void uint8AndUint16ArraysAreScaledAndRawGivesTheStoredValues() throws IOException {
    Path u8 = NpyReaderTest.npy(dir.resolve("u8.npy"), "|u1", false, new int[] {1, 1, 3}, new byte[] {0, 7, -1});
    assertScaled(DataSpec.load(u8.toString(), null), 255f, 0, 7, 255);
    ByteBuffer b = ByteBuffer.allocate(3 * 2).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) 0).putShort((short) 1000).putShort((short) 65535);
    Path u16 = NpyReaderTest.npy(dir.resolve("u16.npy"), "<u2", false, new int[] {1, 1, 3}, b.array());
    assertScaled(DataSpec.load(u16.toString(), null), 65535f, 0, 1000, 65535);
  }

  @Test
  void floatArraysAreTakenAsStored() throws IOException {
    Path f = NpyReaderTest.npy(dir.resolve("f.npy"), "<f4", false, new int[] {1, 1, 3},
        NpyReaderTest.floats(0.25f, 0.5f, 1f));
    assertScaled(DataSpec.load(f.toString(), null), 1f, 0.25f, 0.5f, 1f);
  }

  @Test
  void int8ArraysAreRefused() throws IOException {
    Path f = NpyReaderTest.npy(dir.resolve("i8.npy"), "|i1", false, new int[] {1, 1, 2}, new byte[] {1, -1});
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> DataSpec.load(f.toString(), null));
    assertTrue(e.getMessage().contains("int8") && e.getMessage().contains("uint8"), e.getMessage());
  }

  @Test
  void pngFoldersAndIdxFilesGiveTheirSamplesBack() throws IOException {
    Path png16 = Files.createDirectory(dir.resolve("png16"));
    PngFolderReaderTest.gray16(png16.resolve("a.png"), 0, 1000, 65535);
    assertScaled(DataSpec.load(png16.toString(), null), 65535f, 0, 1000, 65535);
    Path png8 = Files.createDirectory(dir.resolve("png8"));
    PngFolderReaderTest.gray(png8.resolve("a.png"), 3, 1, 250);
    assertScaled(DataSpec.load(png8.toString(), null), 255f, 250, 251, 252);
    Path idx = IdxReaderTest.write(dir.resolve("images"),
        IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 3}, new byte[] {0, 9, -1}), false);
    assertScaled(DataSpec.load(idx.toString(), null), 255f, 0, 9, 255);
  }

  /** DIR:train and DIR:test pick a directory's split, like fashion-mnist:train; a real name with a colon wins. */
  @Test
  void aDirectorysSplitIsNamedAfterAColon() throws IOException {
    for (String prefix : new String[] {"train", "t10k"}) {
      byte first = (byte) (prefix.equals("train") ? 10 : 20);
      IdxReaderTest.write(dir.resolve(prefix + "-images-idx3-ubyte"),
          IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 2}, new byte[] {first, 0}), false);
      IdxReaderTest.write(dir.resolve(prefix + "-labels-idx1-ubyte"),
          IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {1}, new byte[] {first == 10 ? (byte) 1 : 2}), false);
    }
    assertScaled(DataSpec.load(dir + ":train", null), 255f, 10, 0);
    assertArrayEquals(new int[] {1}, DataSpec.load(dir + ":TRAIN", null).labels());
    assertScaled(DataSpec.load(dir + ":test", null), 255f, 20, 0);
    assertScaled(DataSpec.load(dir.toString(), null), 255f, 20, 0);
    Path colon = Files.createDirectory(dir.resolve("x:train"));
    NpyReaderTest.npy(colon.resolve("images.npy"), "<f4", false, new int[] {1, 1, 1}, NpyReaderTest.floats(0.5f));
    NpyReaderTest.npy(colon.resolve("labels.npy"), "|u1", false, new int[] {1}, new byte[] {0});
    assertScaled(DataSpec.load(colon.toString(), null), 1f, 0.5f);
    DataNotFoundException e = assertThrows(DataNotFoundException.class,
        () -> DataSpec.load(dir.resolve("absent") + ":test", null));
    assertTrue(e.getMessage().contains("DIR:train"), e.getMessage());
  }

  @Test
  void aLabelAbove2To31IsNamedAsStored() throws IOException {
    Path images = NpyReaderTest.npy(dir.resolve("x.npy"), "<f4", false, new int[] {2, 1, 1},
        NpyReaderTest.floats(0, 1));
    ByteBuffer b = ByteBuffer.allocate(2 * 8).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(4_294_967_296L);
    Path labels = NpyReaderTest.npy(dir.resolve("y.npy"), "<i8", false, new int[] {2}, b.array());
    MalformedDataException e = assertThrows(MalformedDataException.class,
        () -> DataSpec.load(images.toString(), labels));
    assertTrue(e.getMessage().contains("4294967296") && !e.getMessage().contains("2147483647"), e.getMessage());
  }

  @Test
  void aFifoOrFolderAsLabelsIsRefused() throws Exception {
    Path images = NpyReaderTest.npy(dir.resolve("x.npy"), "<f4", false, new int[] {1, 1, 1},
        NpyReaderTest.floats(0));
    Path pipe = IdxReaderTest.fifo(dir.resolve("labels"));
    IdxReaderTest.assertRefusedAsSpecial(pipe, "FIFO", () -> DataSpec.load(images.toString(), pipe));
    Path folder = Files.createDirectory(dir.resolve("labels.npy"));
    IdxReaderTest.assertRefusedAsSpecial(folder, "a directory", () -> DataSpec.load(images.toString(), folder));
    Path pipeImages = IdxReaderTest.fifo(dir.resolve("images.npy"));
    IdxReaderTest.assertRefusedAsSpecial(pipeImages, "FIFO", () -> DataSpec.load(pipeImages.toString(), null));
  }
}
