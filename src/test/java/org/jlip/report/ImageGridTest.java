package org.jlip.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

  static double variance(BufferedImage img) {
    double s = 0;
    double ss = 0;
    int n = img.getWidth() * img.getHeight();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        double v = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3.0;
        s += v;
        ss += v * v;
      }
    }
    return ss / n - (s / n) * (s / n);
  }

  private static float[] ramp(int n, float offset) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = ((i * 7) % n) / (float) n * 0.8f + offset;
    }
    return v;
  }

  @Test
  void writesAGridOfTheExpectedSizeWithContent(@TempDir Path dir) throws Exception {
    int h = 8;
    int w = 6;
    float[] images = new float[3 * h * w];
    System.arraycopy(ramp(3 * h * w, 0.1f), 0, images, 0, images.length);
    float[] adversarial = images.clone();
    adversarial[5] += 0.1f;
    adversarial[h * w + 7] -= 0.2f;
    List<GridSample> rows = ImageGrid.samples(images, adversarial, h * w, new int[] {0, 1}, new int[] {0, 1, 2},
        new int[] {1, 0, 2}, List.of("T-shirt", "Trouser", "Pullover"));
    assertEquals("#0 T-shirt", rows.get(0).originalCaption());
    assertEquals("-> Trouser", rows.get(0).adversarialCaption());
    assertEquals(0.1, rows.get(0).norm(), 1e-6);
    Path png = dir.resolve("grid.png");
    ImageGrid.write(png, rows, h, w, 1, 4);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(3 * 6 * 4 + 4 * ImageGrid.PAD, img.getWidth());
    assertEquals(ImageGrid.pixelWidth(w, 4), img.getWidth());
    assertEquals(ImageGrid.PAD + ImageGrid.TEXT + 2 * (8 * 4 + ImageGrid.TEXT + ImageGrid.PAD), img.getHeight());
    assertTrue(variance(img) > 100, "variance " + variance(img));
    // The single changed pixel of row 0 is white in the difference cell, its neighbours mid-grey.
    int left = ImageGrid.PAD + 2 * (w * 4 + ImageGrid.PAD);
    int top = ImageGrid.PAD + ImageGrid.TEXT;
    assertEquals(255, img.getRGB(left + 5 * 4 + 1, top + 1) & 255);
    assertEquals(128, img.getRGB(left + 4 * 4 + 1, top + 1) & 255, 1);
    assertTrue(Files.list(dir).allMatch(p -> p.getFileName().toString().equals("grid.png")), "temp file left");
  }

  @Test
  void differenceIsMidGreyWhenNothingChangedAndRgbIsDrawn() {
    float[] a = ramp(4 * 4 * 3, 0f);
    BufferedImage img = ImageGrid.render(List.of(new GridSample(a, a.clone(), "x", "y")), 4, 4, 3, 2);
    int left = ImageGrid.PAD + 2 * (4 * 2 + ImageGrid.PAD);
    int top = ImageGrid.PAD + ImageGrid.TEXT;
    assertEquals(0x808080, img.getRGB(left, top) & 0xffffff);
    int rgb = img.getRGB(ImageGrid.PAD, top);
    assertEquals(Math.round(a[0] * 255), rgb >> 16 & 255);
    assertEquals(Math.round(a[1] * 255), rgb >> 8 & 255);
    assertEquals(Math.round(a[2] * 255), rgb & 255);
    assertThrows(IllegalArgumentException.class, () -> ImageGrid.render(List.of(), 4, 4, 1, 1));
  }
}
