package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.jlip.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labelled data in the layouts Python users write (class folders of PNG images, images.npy + labels.npy), found
 * by DataLocator under train/ and test/ (or val/) and by DataSpec in the folder itself.
 */
class LabelledFolderTest {

  @Test
  void classFoldersGiveLabelsInNameOrderAndTheirNames(@TempDir Path dir) throws IOException {
    TestImages.grayPng(dir.resolve("train/dog/b.png"), 100);
    TestImages.grayPng(dir.resolve("train/cat/z.png"), 10);
    TestImages.grayPng(dir.resolve("train/cat/a.png"), 20);
    Files.createDirectories(dir.resolve("train/.ipynb_checkpoints"));
    Dataset d = DataLocator.load(dir.toString(), Split.TRAIN);
    assertEquals(List.of("cat", "dog"), d.classNames());
    assertArrayEquals(new int[] {0, 0, 1}, d.labels());
    assertArrayEquals(new long[] {3, 4, 3, 1}, d.shape());
    // cat/a.png first (file order within a class), then cat/z.png, then dog/b.png.
    assertEquals(20 / 255f, d.images()[0], 1e-7);
    assertEquals(10 / 255f, d.images()[12], 1e-7);
    assertEquals((100 + 4 * 3 + 2) / 255f, d.images()[2 * 12 + 11], 1e-7);
  }

  @Test
  void arraysPairIsReadWithOneHotLabelsAndTheValSplitIsTheTestSplit(@TempDir Path dir) throws IOException {
    Path val = Files.createDirectories(dir.resolve("val"));
    float[] x = new float[3 * 2 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = i / 12f;
    }
    NpyWriter.write(val.resolve("images.npy"), x, new long[] {3, 2, 2, 1});
    NpyWriter.write(val.resolve("labels.npy"), new float[] {0, 1, 1, 0, 0, 1}, new long[] {3, 2});
    Dataset d = DataLocator.load(dir.toString(), Split.TEST);
    assertArrayEquals(new int[] {1, 0, 1}, d.labels());
    assertEquals(2, d.numClasses());
    assertNull(d.classNames());
    assertArrayEquals(x, d.images());
    DataSpec spec = DataSpec.load(val.toString(), null);
    assertArrayEquals(new int[] {1, 0, 1}, spec.labels());
    assertEquals(1f, spec.scale());
  }

  @Test
  void certifyingAFolderOfClassFoldersKeepsTheirLabelsAndScale(@TempDir Path dir) throws IOException {
    TestImages.grayPng(dir.resolve("a/0.png"), 1);
    TestImages.grayPng(dir.resolve("b/0.png"), 2);
    DataSpec spec = DataSpec.load(dir.toString(), null);
    assertArrayEquals(new int[] {0, 1}, spec.labels());
    assertEquals(List.of("a", "b"), spec.classNames());
    assertEquals(255f, spec.scale());
    assertEquals(2f, spec.raw().pixels()[12], 0);
  }

  /** Color class folders are RGB; a one-channel model gets their luma, a three-channel one gray data repeated. */
  @Test
  void colorFoldersAreRgbAndFitTheModelsChannels(@TempDir Path dir) throws IOException {
    BufferedImage im = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    im.setRGB(0, 0, 0x336699);
    Files.createDirectories(dir.resolve("a"));
    ImageIO.write(im, "png", dir.resolve("a/0.png").toFile());
    Dataset rgb = LabelledFolder.read(dir);
    assertEquals(3, rgb.channels());
    float luma = (0.299f * 0x33 + 0.587f * 0x66 + 0.114f * 0x99) / 255f;
    assertEquals(luma, rgb.withChannels(1).images()[0], 1e-6);
    DataSpec spec = DataSpec.load(dir.toString(), null);
    assertEquals(luma, spec.forInput(new long[] {1, 1, 1}).images().pixels()[0], 1e-6);
    assertEquals(3, spec.forInput(new long[] {3}).images().channels(), "a vector input takes the data as it is");
    Dataset gray = rgb.withChannels(1);
    assertArrayEquals(new float[] {luma, luma, luma}, gray.withChannels(3).images(), 1e-7f);
    assertArrayEquals(gray.labels(), gray.withChannels(3).labels());
    // A gray class beside the color one is repeated into RGB: one channel count for the whole set.
    BufferedImage g = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(0, 0, 0, 51);
    Files.createDirectories(dir.resolve("b"));
    ImageIO.write(g, "png", dir.resolve("b/0.png").toFile());
    Dataset mixed = LabelledFolder.read(dir);
    assertEquals(3, mixed.channels());
    assertArrayEquals(new int[] {0, 1}, mixed.labels());
    assertEquals(0x33 / 255f, mixed.images()[0], 1e-7);
    assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f}, Arrays.copyOfRange(mixed.images(), 3, 6), 1e-7f);
  }

  @Test
  void badLayoutsAreClearErrorsNamingTheFile(@TempDir Path dir) throws IOException {
    Path split = Files.createDirectories(dir.resolve("train"));
    NpyWriter.write(split.resolve("images.npy"), new float[8], new long[] {2, 2, 2, 1});
    var noLabels = assertThrows(DataNotFoundException.class, () -> DataLocator.load(dir.toString(), Split.TRAIN));
    assertTrue(noLabels.getMessage().contains("no labels.npy beside"), noLabels.getMessage());
    NpyWriter.write(split.resolve("labels.npy"), new float[] {0, 1, 1}, new long[] {3});
    var count = assertThrows(MalformedDataException.class, () -> DataLocator.load(dir.toString(), Split.TRAIN));
    assertTrue(count.getMessage().contains("labels.npy") && count.getMessage().contains("expected 2 labels"),
        count.getMessage());

    Path other = dir.resolve("other");
    TestImages.grayPng(other.resolve("test/a/0.png"), 0);
    BufferedImage big = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY);
    Files.createDirectories(other.resolve("test/b"));
    ImageIO.write(big, "png", other.resolve("test/b/0.png").toFile());
    var size = assertThrows(MalformedDataException.class, () -> DataLocator.load(other.toString(), Split.TEST));
    assertTrue(size.getMessage().contains("test/b") && size.getMessage().contains("one size"), size.getMessage());

    Path empty = dir.resolve("empty");
    TestImages.grayPng(empty.resolve("train/a/0.png"), 0);
    Files.createDirectories(empty.resolve("train/b"));
    var hole = assertThrows(MalformedDataException.class, () -> DataLocator.load(empty.toString(), Split.TRAIN));
    assertTrue(hole.getMessage().contains("class folder without *.png images"), hole.getMessage());
    var noTest = assertThrows(DataNotFoundException.class, () -> DataLocator.load(empty.toString(), Split.TEST));
    assertTrue(noTest.getMessage().contains("--val-fraction"), noTest.getMessage());
  }

  /** One-hot rows declare their class count, classes no label uses included (Keras's to_categorical(y, 10)). */
  @Test
  void oneHotLabelsCountTheClassesTheirRowsHold(@TempDir Path dir) throws IOException {
    Path train = Files.createDirectories(dir.resolve("train"));
    NpyWriter.write(train.resolve("images.npy"), new float[8], new long[] {2, 2, 2, 1});
    float[] oneHot = new float[2 * 10];
    oneHot[1] = 1;
    oneHot[10 + 3] = 1;
    NpyWriter.write(train.resolve("labels.npy"), oneHot, new long[] {2, 10});
    Dataset d = DataLocator.load(dir.toString(), Split.TRAIN);
    assertArrayEquals(new int[] {1, 3}, d.labels());
    assertEquals(10, d.numClasses());
  }

  /**
   * PNG images beside class folders leave it open whether the folder is labelled; a test/ of class folders beside
   * nothing else is the test split.
   */
  @Test
  void loosePngsBesideClassFoldersAreRefusedAndATestSplitAloneIsRead(@TempDir Path dir) throws IOException {
    TestImages.grayPng(dir.resolve("test/a/0.png"), 0);
    TestImages.grayPng(dir.resolve("test/b/0.png"), 10);
    DataSpec split = DataSpec.load(dir.toString(), null);
    assertArrayEquals(new int[] {0, 1}, split.labels());
    assertEquals(List.of("a", "b"), split.classNames());
    TestImages.grayPng(dir.resolve("test/preview.png"), 0);
    for (String spec : new String[] {dir.toString(), dir.resolve("test").toString()}) {
      var e = assertThrows(MalformedDataException.class, () -> DataSpec.load(spec, null));
      assertTrue(e.getMessage().contains("preview.png") && e.getMessage().contains("class folders"), e.getMessage());
    }
  }

  /** Keras sorts class folders with Python's sorted(): by code point, not by UTF-16 unit. */
  @Test
  void classNamesSortByCodePointAsPythonDoes() {
    String fullwidth = "\uff5a";
    String emoji = new String(Character.toChars(0x1F600));
    assertTrue(fullwidth.compareTo(emoji) > 0, "UTF-16 order puts the surrogate pair first");
    assertTrue(LabelledFolder.byCodePoints(fullwidth, emoji) < 0);
    assertTrue(LabelledFolder.byCodePoints("a", "ab") < 0);
    assertEquals(0, LabelledFolder.byCodePoints(emoji, emoji));
  }
}
