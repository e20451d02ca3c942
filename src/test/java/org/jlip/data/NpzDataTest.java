package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keras.datasets-style .npz archives: both splits, stored or deflated, as train data and as certify's --data. */
class NpzDataTest {
  @TempDir Path dir;

  /** np.savez (stored entries) or np.savez_compressed (deflated) of {@code arrays}: name -> .npy bytes. */
  static Path npz(Path out, boolean deflate, Map<String, byte[]> arrays) throws IOException {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
      for (Map.Entry<String, byte[]> a : arrays.entrySet()) {
        ZipEntry e = new ZipEntry(a.getKey() + ".npy");
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(a.getValue());
          e.setMethod(ZipEntry.STORED);
          e.setSize(a.getValue().length);
          e.setCrc(crc.getValue());
        }
        z.putNextEntry(e);
        z.write(a.getValue());
        z.closeEntry();
      }
    }
    return out;
  }

  private byte[] npy(String name, String descr, int[] shape, byte[] data) throws IOException {
    return Files.readAllBytes(NpyReaderTest.npy(dir.resolve(name + ".npy"), descr, false, shape, data));
  }

  /** Train: 2 images 1x2 of uint8 with labels 0 and 3; test: 1 image with label 1. */
  Map<String, byte[]> mnistLike() throws IOException {
    Map<String, byte[]> a = new LinkedHashMap<>();
    a.put("x_train", npy("x_train", "|u1", new int[] {2, 1, 2}, new byte[] {0, 51, (byte) 255, 102}));
    a.put("y_train", npy("y_train", "|u1", new int[] {2}, new byte[] {0, 3}));
    a.put("x_test", npy("x_test", "|u1", new int[] {1, 1, 2}, new byte[] {(byte) 204, 0}));
    a.put("y_test", npy("y_test", "<i8", new int[] {1}, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}));
    return a;
  }

  @Test
  void bothSplitsOfStoredAndDeflatedArchivesAreRead() throws IOException {
    for (boolean deflate : new boolean[] {false, true}) {
      Path f = npz(dir.resolve("mnist-" + deflate + ".npz"), deflate, mnistLike());
      Dataset train = DataLocator.load(f.toString(), Split.TRAIN);
      assertArrayEquals(new int[] {0, 3}, train.labels());
      assertEquals(4, train.numClasses());
      assertArrayEquals(new float[] {0, 0.2f, 1, 0.4f}, train.images(), 1e-7f);
      assertArrayEquals(new long[] {2, 1, 2, 1}, train.shape());
      DataSpec test = DataSpec.load(f.toString(), null);
      assertArrayEquals(new int[] {1}, test.labels());
      assertEquals(255f, test.scale());
      assertArrayEquals(new float[] {204, 0}, test.raw().pixels(), 1e-4f);
      assertArrayEquals(new int[] {0, 3}, DataSpec.load(f + ":train", null).labels());
    }
  }

  @Test
  void missingArraysAndMismatchedCountsAreNamed() throws IOException {
    Map<String, byte[]> a = mnistLike();
    a.remove("y_test");
    Path f = npz(dir.resolve("no-y.npz"), true, a);
    MalformedDataException missing = assertThrows(MalformedDataException.class,
        () -> DataLocator.load(f.toString(), Split.TEST));
    assertTrue(missing.getMessage().contains(f.toString()) && missing.getMessage().contains("y_test")
        && missing.getMessage().contains("x_test.npy"), missing.getMessage());
    a = mnistLike();
    a.put("y_train", npy("y3", "|u1", new int[] {3}, new byte[] {0, 1, 2}));
    Path g = npz(dir.resolve("counts.npz"), false, a);
    MalformedDataException counts = assertThrows(MalformedDataException.class,
        () -> DataLocator.load(g.toString(), Split.TRAIN));
    assertTrue(counts.getMessage().contains("y_train.npy") && counts.getMessage().contains("expected 2 labels"),
        counts.getMessage());
    Path junk = Files.write(dir.resolve("junk.npz"), new byte[] {1, 2, 3});
    MalformedDataException notZip = assertThrows(MalformedDataException.class,
        () -> DataLocator.load(junk.toString(), Split.TRAIN));
    assertTrue(notZip.getMessage().contains("junk.npz") && notZip.getMessage().contains(".npz"),
        notZip.getMessage());
  }
}
