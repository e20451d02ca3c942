package org.jlip.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jlip.attack.AttackReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvesTest {

  @Test
  void drawsProvableAndEmpiricalCurvesOfTwoModels(@TempDir Path dir) throws Exception {
    int[] labels = {0, 1, 1, 0};
    double[] eps = {0, 0.1, 0.2, 0.3};
    AttackReport hkr = AttackReport.of("hkr", labels, labels, new double[] {0.05, 0.15, 0.25, 0.35},
        new double[] {0.3, 0.4, 0.5, 0.6}, List.of(), eps);
    AttackReport baseline = AttackReport.of("baseline", labels, labels, new double[] {0, 0, 0.01, 0.02},
        new double[] {0.05, 0.1, 0.2, 0.15}, List.of(), eps);
    List<Curve> curves = new ArrayList<>(Curve.of("hkr", hkr, 0));
    curves.addAll(Curve.of("baseline", baseline, 1));
    assertEquals(0.5, curves.get(0).accuracy()[2], 1e-12);
    assertTrue(curves.get(1).dashed());
    Path png = dir.resolve("curves.png");
    Curves.write(png, curves);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(Curves.WIDTH, img.getWidth());
    assertEquals(Curves.HEIGHT, img.getHeight());
    assertTrue(ImageGridTest.variance(img) > 100, "variance " + ImageGridTest.variance(img));
    // Each group's colour is on the chart.
    assertTrue(hasColour(img, 0x1f77b4) && hasColour(img, 0xd62728), "series colours missing");
  }

  @Test
  void rejectsMismatchedCurves() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Curve("a", new double[] {0, 1}, new double[] {1}, false, 0));
    assertTrue(e.getMessage().contains("equal length"), e.getMessage());
  }

  private static boolean hasColour(BufferedImage img, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == rgb) {
          return true;
        }
      }
    }
    return false;
  }
}
