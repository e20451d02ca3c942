package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngFolderReaderTest {

  @TempDir Path dir;

  static void gray(Path file, int w, int h, int base) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (base + 10 * y + x) & 0xff);
      }
    }
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  /** A 16-bit gray PNG of w x 1 samples. */
  static void gray16(Path file, int... samples) throws IOException {
    BufferedImage img = new BufferedImage(samples.length, 1, BufferedImage.TYPE_USHORT_GRAY);
    for (int x = 0; x < samples.length; x++) {
      img.getRaster().setSample(x, 0, 0, samples[x]);
    }
    assertTrue(ImageIO.write(img, "png", file.toFile()));
  }

  @Test
  void readsGrayImagesSortedByName() throws IOException {
    gray(dir.resolve("b.png"), 3, 2, 100);
    gray(dir.resolve("a.png"), 3, 2, 0);
    gray(dir.resolve("c.PNG"), 3, 2, 200);
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    Images images = PngFolderReader.read(dir);
    assertArrayEquals(new long[] {3, 2, 3, 1}, images.shape());
    assertEquals(0f, images.pixels()[0]);
    assertEquals(12 / 255f, images.pixels()[5]);
    assertEquals(100 / 255f, images.pixels()[6]);
    assertEquals(200 / 255f, images.pixels()[12]);
  }

  /** Color images are read as RGB (a gray one beside them repeated); a one-channel model gets their luma. */
  @Test
  void colorImagesAreRgbAndTheirLumaForAGrayModel() throws IOException {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xff0000);
    img.setRGB(1, 0, 0x336699);
    ImageIO.write(img, "png", dir.resolve("a_rgb.png").toFile());
    BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(0, 0, 0, 51);
    g.getRaster().setSample(1, 0, 0, 255);
    ImageIO.write(g, "png", dir.resolve("b_gray.png").toFile());
    Images images = PngFolderReader.read(dir);
    assertEquals(3, images.channels());
    assertArrayEquals(new float[] {1, 0, 0, 0x33 / 255f, 0x66 / 255f, 0x99 / 255f, 0.2f, 0.2f, 0.2f, 1, 1, 1},
        images.pixels(), 1e-7f);
    Images gray = images.withChannels(1);
    assertEquals(0.299f, gray.pixels()[0], 1e-6f);
    assertEquals((0.299f * 0x33 + 0.587f * 0x66 + 0.114f * 0x99) / 255f, gray.pixels()[1], 1e-6f);
    assertEquals(0.2f, gray.pixels()[2], 1e-6f);
    float[] again = gray.withChannels(3).pixels();
    for (int i = 0; i < again.length; i++) {
      assertEquals(gray.pixels()[i / 3], again[i], "gray repeated, value " + i);
    }
  }

  @Test
  void sizeMismatchAndEmptyFolderAreRejected() throws IOException {
    assertThrows(DataNotFoundException.class, () -> PngFolderReader.read(dir));
    gray(dir.resolve("a.png"), 3, 2, 0);
    gray(dir.resolve("b.png"), 2, 2, 0);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> PngFolderReader.read(dir));
    assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains("expected 2x3"), e.getMessage());
  }

  @Test
  void sixteenBitImagesAreScaledAndShareTheFolderScale() throws IOException {
    gray16(dir.resolve("a.png"), 0, 1000, 65535);
    PngFolderReader.Scaled read = PngFolderReader.readScaled(dir);
    assertEquals(65535f, read.scale());
    assertArrayEquals(new float[] {0f, 1000 / 65535f, 1f}, read.images().pixels());
    gray(dir.resolve("b.png"), 3, 1, 0);
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> PngFolderReader.read(dir));
    assertTrue(e.getMessage().contains("b.png") && e.getMessage().contains("65535")
        && e.getMessage().contains("255"), e.getMessage());
  }

  @Test
  void aFifoNamedAsAPngIsRefused() throws Exception {
    gray(dir.resolve("a.png"), 3, 2, 0);
    Path pipe = IdxReaderTest.fifo(dir.resolve("b.png"));
    IdxReaderTest.assertRefusedAsSpecial(pipe, "FIFO", () -> PngFolderReader.read(dir));
  }

  /** A PNG header may claim any size; ImageIO would allocate it, so it is refused before decoding. */
  @Test
  void anImageWhoseHeaderClaimsTooManyPixelsIsRefusedUnread() throws IOException {
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(40000).putInt(40000)
        .put(new byte[] {8, 0, 0, 0, 0});
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    png.write(new byte[] {0, 0, 0, 13});
    png.write(ihdr.array());
    png.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    Path folder = Files.createDirectories(dir.resolve("huge"));
    Files.write(folder.resolve("a.png"), png.toByteArray());
    var e = assertThrows(MalformedDataException.class, () -> PngFolderReader.read(folder));
    assertTrue(e.getMessage().contains("a.png: its header claims a 40000x40000 image, over jlip's limit"),
        e.getMessage());
  }

  /**
   * A PNG written byte by byte (ImageIO writes 1-bit images as palette PNGs): one row of {@code samples}, color type
   * 0 (gray), 2 (RGB, samples interleaved) or 3 (palette, {@code palette} RGB triples), at {@code bits} per sample.
   */
  static byte[] rawPng(int colorType, int bits, int width, int[] samples, int... palette) throws IOException {
    java.io.ByteArrayOutputStream row = new java.io.ByteArrayOutputStream();
    row.write(0);
    if (bits < 8) {
      int acc = 0;
      int used = 0;
      for (int v : samples) {
        acc = (acc << bits) | v;
        used += bits;
        if (used == 8) {
          row.write(acc);
          acc = 0;
          used = 0;
        }
      }
      if (used > 0) {
        row.write(acc << (8 - used));
      }
    } else {
      for (int v : samples) {
        if (bits == 16) {
          row.write(v >> 8);
        }
        row.write(v & 0xff);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(1).put((byte) bits)
        .put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    if (palette.length > 0) {
      byte[] plte = new byte[palette.length];
      for (int k = 0; k < palette.length; k++) {
        plte[k] = (byte) palette[k];
      }
      chunk(out, "PLTE", plte);
    }
    java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
    try (java.util.zip.DeflaterOutputStream d = new java.util.zip.DeflaterOutputStream(z)) {
      d.write(row.toByteArray());
    }
    chunk(out, "IDAT", z.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /**
   * Gray PNGs of 1, 2 and 4 bits (which ImageIO decodes through a palette) are one gray channel divided by
   * 2^bits - 1; a palette PNG, even of gray entries, stays color.
   */
  @Test
  void lowDepthGrayPngsAreGrayScaledByTheirDepth() throws IOException {
    for (int bits : new int[] {1, 2, 4}) {
      int top = (1 << bits) - 1;
      int[] samples = {0, top, top / 2 + 1, 1, 0, top};
      Path folder = Files.createDirectories(dir.resolve("gray" + bits));
      Files.write(folder.resolve("a.png"), rawPng(0, bits, samples.length, samples));
      PngFolderReader.Scaled s = PngFolderReader.readScaled(folder);
      assertEquals(1, s.images().channels(), bits + " bits");
      assertEquals(top, s.scale(), bits + " bits");
      for (int x = 0; x < samples.length; x++) {
        assertEquals(samples[x] / (float) top, s.images().pixels()[x], 1e-7, bits + " bits, sample " + x);
      }
    }
    Path palette = Files.createDirectories(dir.resolve("palette"));
    Files.write(palette.resolve("a.png"), rawPng(3, 1, 3, new int[] {0, 1, 1}, 0, 0, 0, 255, 255, 255));
    PngFolderReader.Scaled p = PngFolderReader.readScaled(palette);
    assertEquals(3, p.images().channels());
    assertEquals(1f, p.images().pixels()[3]);
  }

  /** 16-bit RGB keeps its 16 bits: samples divided by 65535, not rounded to 8 bits. */
  @Test
  void sixteenBitColorKeepsItsSamples() throws IOException {
    int[] samples = {65535, 257, 1, 0, 40000, 12345};
    Files.write(dir.resolve("a.png"), rawPng(2, 16, 2, samples));
    PngFolderReader.Scaled s = PngFolderReader.readScaled(dir);
    assertEquals(3, s.images().channels());
    assertEquals(65535f, s.scale());
    for (int k = 0; k < samples.length; k++) {
      assertEquals(samples[k] / 65535f, s.images().pixels()[k], 1e-9, "sample " + k);
    }
  }
}
