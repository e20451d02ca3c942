package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocatorTest {

  @TempDir Path dir;

  @Test
  void loadsInstalledFashionMnistByName() throws IOException {
    Dataset test = DataLocator.load("fashion-mnist", Split.TEST);
    assertEquals(10000, test.size());
    assertEquals(FashionMnist.CLASS_NAMES, test.classNames());
  }

  @Test
  void loadsPlainAndGzipFilesFromADirectory() throws IOException {
    byte[] images = IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {2, 1, 3}, IdxReaderTest.ramp(6));
    byte[] labels = IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {4, 9});
    IdxReaderTest.write(dir.resolve("t10k-images-idx3-ubyte"), images, false);
    IdxReaderTest.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), labels, true);
    Dataset d = DataLocator.load(dir.toString(), Split.TEST);
    assertArrayEquals(new int[] {4, 9}, d.labels());
    assertArrayEquals(new long[] {2, 1, 3, 1}, d.shape());
    assertNull(d.classNames());
    assertEquals("Bag", FashionMnist.load(dir, Split.TEST).className(8));
  }

  @Test
  void missingFilesSayWhereAndHowToInstall() {
    DataNotFoundException e = assertThrows(DataNotFoundException.class, () -> FashionMnist.load(dir, Split.TRAIN));
    String m = e.getMessage();
    assertTrue(m.contains(dir.resolve("train-images-idx3-ubyte.gz").toString()), m);
    assertTrue(m.contains("apt-get install dataset-fashion-mnist"), m);
    DataNotFoundException unknown =
        assertThrows(DataNotFoundException.class, () -> DataLocator.load(dir.resolve("nope").toString(), Split.TEST));
    assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
  }

  /** Both a plain and a gzip file: the gzip one is read, and the warning names both and the one used. */
  @Test
  void plainAndGzipTogetherAreNamedInAWarning() throws IOException {
    byte[] images = IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {2, 1, 3}, IdxReaderTest.ramp(6));
    IdxReaderTest.write(dir.resolve("t10k-images-idx3-ubyte"), images, false);
    IdxReaderTest.write(dir.resolve("t10k-labels-idx1-ubyte"),
        IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}), false);
    assertNull(DataLocator.choose(dir, "t10k-labels-idx1-ubyte").warning());
    IdxReaderTest.write(dir.resolve("t10k-labels-idx1-ubyte.gz"),
        IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {4, 9}), true);
    DataLocator.Choice c = DataLocator.choose(dir, "t10k-labels-idx1-ubyte");
    Path gz = dir.resolve("t10k-labels-idx1-ubyte.gz");
    assertEquals(gz, c.file());
    String w = c.warning();
    assertTrue(w != null && w.contains(gz.toString()) && w.contains(dir.resolve("t10k-labels-idx1-ubyte").toString())
        && w.contains("using " + gz), w);
    assertArrayEquals(new int[] {4, 9}, DataLocator.load(dir.toString(), Split.TEST).labels());
  }

  /** Some mirrors (Kaggle's MNIST) write train-images.idx3-ubyte; EMNIST's labels go past 9. */
  @Test
  void dottedNamesAndLabelsAboveNineAreRead() throws IOException {
    IdxReaderTest.write(dir.resolve("t10k-images.idx3-ubyte"),
        IdxReaderTest.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 1, 2}, IdxReaderTest.ramp(6)), false);
    IdxReaderTest.write(dir.resolve("t10k-labels.idx1-ubyte.gz"),
        IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {0, 46, 3}), true);
    Dataset d = DataLocator.load(dir.toString(), Split.TEST);
    assertArrayEquals(new int[] {0, 46, 3}, d.labels());
    assertEquals(47, d.numClasses());
    assertEquals(74f / 255, d.images()[2], 1e-7);
    assertThrows(MalformedDataException.class, () -> FashionMnist.load(dir, Split.TEST),
        "Fashion-MNIST's 10 classes stay fixed");

    IdxReaderTest.write(dir.resolve("t10k-labels-idx1-ubyte"),
        IdxReaderTest.idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3}), false);
    DataLocator.Choice c = DataLocator.choose(dir, "t10k-labels-idx1-ubyte");
    assertEquals(dir.resolve("t10k-labels-idx1-ubyte"), c.file());
    assertTrue(c.warning().contains(dir.resolve("t10k-labels.idx1-ubyte.gz").toString()), c.warning());
    Dataset dashed = DataLocator.load(dir.toString(), Split.TEST);
    assertArrayEquals(new int[] {1, 2, 3}, dashed.labels());
    assertEquals(10, dashed.numClasses(), "labels below 10 keep the 10 classes of MNIST-style sets");
  }

  @Test
  void aFifoNamedAsAnIdxFileIsRefused() throws Exception {
    Path pipe = IdxReaderTest.fifo(dir.resolve("t10k-images-idx3-ubyte.gz"));
    IdxReaderTest.assertRefusedAsSpecial(pipe, "FIFO", () -> DataLocator.load(dir.toString(), Split.TEST));
    Files.delete(pipe);
    Path folder = Files.createDirectory(dir.resolve("t10k-images-idx3-ubyte"));
    IdxReaderTest.assertRefusedAsSpecial(folder, "a directory", () -> DataLocator.load(dir.toString(), Split.TEST));
  }
}
