package org.jlip.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jlip.io.AtomicFiles;

/**
 * A PNG grid with one row per sample and three columns: the original, its adversarial example, and their
 * difference scaled to the full grey range (mid-grey = 0, black/white = -/+ the largest change of that
 * sample). Captions under the cells give the class names and the perturbation's L2 norm. Images are magnified
 * by an integer factor with nearest-neighbour pixels; one channel is drawn grey, three as RGB.
 */
public final class ImageGrid {
  /** Pixels between cells and around the grid. */
  public static final int PAD = 6;
  /** Height of the caption band under each cell, and of the column-title band. */
  public static final int TEXT = 16;

  private static final String[] TITLES = {"original", "adversarial", "difference"};

  static {
    Headless.ensure();
  }

  private ImageGrid() {}

  /** Width in pixels of a grid of images w pixels wide magnified by scale. */
  public static int pixelWidth(int w, int scale) {
    return 3 * w * scale + 4 * PAD;
  }

  /** Height in pixels of a grid of rows images h pixels high magnified by scale. */
  public static int pixelHeight(int rows, int h, int scale) {
    return PAD + TEXT + rows * (h * scale + TEXT + PAD);
  }

  /**
   * Builds the rows for chosen samples of an attack.
   *
   * @param images and adversarial [n*H*W*C]
   * @param classNames names by label, or null for numbers
   */
  public static List<GridSample> samples(float[] images, float[] adversarial, int imageSize, int[] indices,
      int[] labels, int[] adversarialPredictions, List<String> classNames) {
    List<GridSample> out = new ArrayList<>();
    for (int i : indices) {
      float[] a = java.util.Arrays.copyOfRange(images, i * imageSize, (i + 1) * imageSize);
      float[] b = java.util.Arrays.copyOfRange(adversarial, i * imageSize, (i + 1) * imageSize);
      out.add(new GridSample(a, b, "#" + i + " " + name(classNames, labels[i]),
          "-> " + name(classNames, adversarialPredictions[i])));
    }
    return out;
  }

  /** Draws and atomically writes the grid. */
  public static void write(Path png, List<GridSample> samples, int h, int w, int c, int scale) throws IOException {
    BufferedImage img = render(samples, h, w, c, scale);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(img, "png", bytes)) {
      throw new IOException("no PNG writer available for " + png);
    }
    AtomicFiles.write(png, bytes.toByteArray());
  }

  /** The grid as an RGB image of {@link #pixelWidth} x {@link #pixelHeight}. */
  public static BufferedImage render(List<GridSample> samples, int h, int w, int c, int scale) {
    if (samples.isEmpty() || h < 1 || w < 1 || c < 1 || scale < 1) {
      throw new IllegalArgumentException("need samples and positive sizes, got " + samples.size() + " samples, "
          + h + "x" + w + "x" + c + ", scale " + scale);
    }
    BufferedImage img = new BufferedImage(pixelWidth(w, scale), pixelHeight(samples.size(), h, scale),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setColor(Color.BLACK);
      int cell = w * scale;
      for (int col = 0; col < 3; col++) {
        text(g, TITLES[col], PAD + col * (cell + PAD), PAD, cell);
      }
      for (int r = 0; r < samples.size(); r++) {
        GridSample s = samples.get(r);
        if (s.original().length != h * w * c) {
          throw new IllegalArgumentException("sample " + r + " has " + s.original().length + " values, expected "
              + h * w * c);
        }
        int top = PAD + TEXT + r * (h * scale + TEXT + PAD);
        float[] diff = difference(s);
        float[][] cells = {s.original(), s.adversarial(), diff};
        for (int col = 0; col < 3; col++) {
          drawCell(img, cells[col], h, w, c, scale, PAD + col * (cell + PAD), top);
        }
        int base = top + h * scale;
        text(g, s.originalCaption(), PAD, base, cell);
        text(g, s.adversarialCaption(), PAD + cell + PAD, base, cell);
        text(g, String.format(Locale.ROOT, "L2 = %.3f", s.norm()), PAD + 2 * (cell + PAD), base, cell);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** (adv - orig) / (2 max|adv - orig|) + 0.5: mid-grey is no change; all mid-grey when nothing changed. */
  static float[] difference(GridSample s) {
    float[] d = new float[s.original().length];
    double max = 0;
    for (int i = 0; i < d.length; i++) {
      max = Math.max(max, Math.abs((double) s.adversarial()[i] - s.original()[i]));
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = max == 0 ? 0.5f : (float) (((double) s.adversarial()[i] - s.original()[i]) / (2 * max) + 0.5);
    }
    return d;
  }

  private static void drawCell(BufferedImage img, float[] v, int h, int w, int c, int scale, int left, int top) {
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = (y * w + x) * c;
        int r = grey(v[p]);
        int rgb = c >= 3 ? (r << 16) | (grey(v[p + 1]) << 8) | grey(v[p + 2]) : (r << 16) | (r << 8) | r;
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            img.setRGB(left + x * scale + dx, top + y * scale + dy, rgb);
          }
        }
      }
    }
  }

  private static int grey(float v) {
    return (int) Math.round(Math.min(Math.max(v, 0f), 1f) * 255.0);
  }

  /** Draws text in a band of height TEXT starting at top, cut to the cell width. */
  private static void text(Graphics2D g, String s, int left, int top, int width) {
    FontMetrics m = g.getFontMetrics();
    String t = s == null ? "" : s;
    while (!t.isEmpty() && m.stringWidth(t) > width) {
      t = t.substring(0, t.length() - 1);
    }
    g.drawString(t, left, top + (TEXT + m.getAscent() - m.getDescent()) / 2);
  }

  private static String name(List<String> classNames, int label) {
    return classNames == null || label < 0 || label >= classNames.size() ? Integer.toString(label)
        : classNames.get(label);
  }
}
