package org.jlip.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small image files for data-reader and CLI tests. */
public final class TestImages {
  private TestImages() {}

  /** A 3-wide, 4-high 8-bit gray PNG whose pixel (y, x) is base + 4 * y + x; parent folders are created. */
  public static void grayPng(Path file, int base) throws IOException {
    BufferedImage im = new BufferedImage(3, 4, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 3; x++) {
        im.getRaster().setSample(x, y, 0, base + 4 * y + x);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(im, "png", file.toFile());
  }
}
