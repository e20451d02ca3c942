package org.jlip.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads every {@code *.png} in a folder (not recursive), sorted by file name, as images in [0, 1]: one gray channel
 * when every image is gray (sample values divided by 2^bits - 1), else three RGB channels (8-bit samples, alpha
 * ignored, gray images repeated). {@link Images#withChannels} turns RGB into gray for a one-channel model with the
 * ITU-R BT.601 luma weights 0.299 R + 0.587 G + 0.114 B. All images must share one size and one scale (255 for
 * 8-bit gray and every color image, 65535 for 16-bit gray).
 */
public final class PngFolderReader {

  private PngFolderReader() {}

  /**
   * The sorted PNG files of dir.
   *
   * @throws MalformedDataException if a *.png entry is not a regular file (a FIFO would block the read)
   */
  public static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataNotFoundException("PNG folder not found: " + dir.toAbsolutePath() + " is not a directory");
    }
    List<Path> png;
    try (Stream<Path> files = Files.list(dir)) {
      png = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
    for (Path p : png) {
      DataFiles.refuseSpecial(p, "a PNG image");
    }
    return png;
  }

  /** Reads the sorted PNG files of dir as (n, h, w, 1) images. */
  public static Images read(Path dir) throws IOException {
    return readScaled(dir).images();
  }

  /** Images in [0, 1] and what their samples were divided by, which {@link DataSpec#raw} multiplies back. */
  record Scaled(Images images, float scale) {}

  /** The most pixels one image may have (4096 x 4096). */
  static final long MAX_PIXELS = 1L << 24;

  static Scaled readScaled(Path dir) throws IOException {
    List<Path> files = list(dir);
    if (files.isEmpty()) {
      throw new DataNotFoundException("no *.png files in " + dir.toAbsolutePath());
    }
    boolean color = false;
    for (Path file : files) {
      color |= checkHeader(file);
    }
    int channels = color ? 3 : 1;
    float[] pixels = null;
    int height = 0;
    int width = 0;
    float scale = 0;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      BufferedImage image;
      try {
        image = ImageIO.read(file.toFile());
      } catch (IOException | RuntimeException e) {
        throw new MalformedDataException(file, "cannot decode the PNG image: " + e.getMessage(), e);
      }
      if (image == null) {
        throw new MalformedDataException(file, "expected a PNG image, found data ImageIO cannot decode");
      }
      if (pixels == null) {
        height = image.getHeight();
        width = image.getWidth();
        scale = scale(image);
        pixels = new float[Math.multiplyExact(files.size(), height * width * channels)];
      } else if (image.getHeight() != height || image.getWidth() != width) {
        throw new MalformedDataException(file, "expected " + height + "x" + width + " (the size of "
            + files.get(0).getFileName() + "), found " + image.getHeight() + "x" + image.getWidth());
      } else if (scale(image) != scale) {
        // One scale per folder: --preprocess none could not give each file's own values otherwise.
        throw new MalformedDataException(file, "expected samples up to " + (int) scale + " (like "
            + files.get(0).getFileName() + "), found samples up to " + (int) scale(image)
            + ": the images of one folder must share one bit depth");
      }
      if (color) {
        toRgb(image, pixels, i * height * width * 3, scale);
      } else if (image.getColorModel().getNumColorComponents() != 1) {
        throw new MalformedDataException(file, "its header declares a gray image, but it decodes to color");
      } else {
        toGray(image, pixels, i * height * width, scale);
      }
    }
    return new Scaled(new Images(pixels, files.size(), height, width, channels), scale);
  }

  /**
   * Refuses an image whose header claims more than {@link #MAX_PIXELS} pixels before decoding it: ImageIO would
   * allocate whatever a (possibly hostile) header claims. Returns whether the header declares a color image.
   */
  private static boolean checkHeader(Path file) throws MalformedDataException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return false;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        long h = reader.getHeight(0);
        long w = reader.getWidth(0);
        if (h * w > MAX_PIXELS) {
          throw new MalformedDataException(file, "its header claims a " + h + "x" + w + " image, over jlip's limit"
              + " of " + MAX_PIXELS + " pixels per image");
        }
        ImageTypeSpecifier type = reader.getRawImageType(0);
        return type != null && type.getColorModel().getNumColorComponents() >= 3;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof MalformedDataException m) {
        throw m;
      }
      throw new MalformedDataException(file, "cannot read the PNG header: " + e.getMessage(), e);
    }
  }

  /** 2^bits - 1 of a gray image's samples; color images are read as 8-bit RGB. */
  private static float scale(BufferedImage image) {
    if (image.getColorModel().getNumColorComponents() == 1) {
      return (1 << image.getColorModel().getComponentSize(0)) - 1;
    }
    return 255f;
  }

  /** 8-bit RGB samples (gray images repeated) divided by scale, interleaved. */
  private static void toRgb(BufferedImage image, float[] out, int offset, float scale) {
    int h = image.getHeight();
    int w = image.getWidth();
    boolean gray = image.getColorModel().getNumColorComponents() == 1;
    Raster raster = image.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int at = offset + 3 * (y * w + x);
        if (gray) {
          float v = raster.getSample(x, y, 0) / scale;
          out[at] = v;
          out[at + 1] = v;
          out[at + 2] = v;
        } else {
          int rgb = image.getRGB(x, y);
          out[at] = ((rgb >> 16) & 0xff) / scale;
          out[at + 1] = ((rgb >> 8) & 0xff) / scale;
          out[at + 2] = (rgb & 0xff) / scale;
        }
      }
    }
  }

  private static void toGray(BufferedImage image, float[] out, int offset, float scale) {
    int w = image.getWidth();
    Raster raster = image.getRaster();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        out[offset + y * w + x] = raster.getSample(x, y, 0) / scale;
      }
    }
  }
}
