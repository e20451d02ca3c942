package org.jlip.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
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
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * Reads every {@code *.png} in a folder (not recursive), sorted by file name, as images in [0, 1]: one gray channel
 * when every image is gray (sample values divided by 2^bits - 1, 1 to 16 bits), else three RGB channels (8-bit
 * samples, or 16-bit ones for 16-bit RGB; alpha ignored, gray images repeated). {@link Images#withChannels} turns
 * RGB into gray for a one-channel model with the ITU-R BT.601 luma weights 0.299 R + 0.587 G + 0.114 B. All images
 * must share one size and one scale (2^bits - 1: 255 for 8-bit gray, 8-bit and palette color, 65535 for 16-bit).
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
    boolean[] grayPng = new boolean[files.size()];
    for (int i = 0; i < files.size(); i++) {
      Header h = checkHeader(files.get(i));
      color |= h.color();
      grayPng[i] = h.grayPng();
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
        scale = scale(image, grayPng[i]);
        pixels = new float[Math.multiplyExact(files.size(), height * width * channels)];
      } else if (image.getHeight() != height || image.getWidth() != width) {
        throw new MalformedDataException(file, "expected " + height + "x" + width + " (the size of "
            + files.get(0).getFileName() + "), found " + image.getHeight() + "x" + image.getWidth());
      } else if (scale(image, grayPng[i]) != scale) {
        // One scale per folder: --preprocess none could not give each file's own values otherwise.
        throw new MalformedDataException(file, "expected samples up to " + (int) scale + " (like "
            + files.get(0).getFileName() + "), found samples up to " + (int) scale(image, grayPng[i])
            + ": the images of one folder must share one bit depth");
      }
      if (color) {
        toRgb(image, grayPng[i], pixels, i * height * width * 3, scale);
      } else if (!gray(image, grayPng[i])) {
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
  private static Header checkHeader(Path file) throws MalformedDataException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return new Header(false, false);
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
        String pngType = pngColorType(reader);
        if (pngType != null) {
          return new Header(!pngType.startsWith("Gray"), pngType.startsWith("Gray"));
        }
        ImageTypeSpecifier type = reader.getRawImageType(0);
        return new Header(type != null && type.getColorModel().getNumColorComponents() >= 3, false);
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

  /**
   * The PNG header's color type ("Grayscale", "GrayAlpha", "RGB", "RGBAlpha", "Palette"), or null for a file
   * ImageIO does not read as a PNG.
   */
  private static String pngColorType(ImageReader reader) throws IOException {
    IIOMetadata meta = reader.getImageMetadata(0);
    if (meta == null || !java.util.Arrays.asList(meta.getMetadataFormatNames()).contains(PNG_METADATA)) {
      return null;
    }
    for (Node n = meta.getAsTree(PNG_METADATA).getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals("IHDR") && n.getAttributes().getNamedItem("colorType") != null) {
        return n.getAttributes().getNamedItem("colorType").getNodeValue();
      }
    }
    return null;
  }

  private static final String PNG_METADATA = "javax_imageio_png_1.0";

  /**
   * What a file's header says: {@code color}, whether it declares a color image; {@code grayPng}, whether it is a
   * PNG whose header declares gray (of any bit depth).
   */
  private record Header(boolean color, boolean grayPng) {}

  /**
   * Whether ImageIO decoded a gray PNG ({@code grayPng}) of 1, 2 or 4 bits: it gives those an index color model
   * whose palette is the gray ramp, so their raster samples are the gray values. A palette PNG stays a color one.
   */
  private static boolean lowDepthGray(BufferedImage image, boolean grayPng) {
    if (!grayPng || !(image.getColorModel() instanceof IndexColorModel cm) || cm.getPixelSize() >= 8) {
      return false;
    }
    int top = (1 << cm.getPixelSize()) - 1;
    for (int i = 0; i < cm.getMapSize(); i++) {
      int level = Math.round(i * 255f / top);
      if (cm.getRed(i) != level || cm.getGreen(i) != level || cm.getBlue(i) != level) {
        return false;
      }
    }
    return true;
  }

  /** Whether the decoded image has one gray channel (a gray PNG, of any bit depth). */
  private static boolean gray(BufferedImage image, boolean grayPng) {
    return image.getColorModel().getNumColorComponents() == 1 || lowDepthGray(image, grayPng);
  }

  /** Whether the decoded image is 16-bit RGB(A): its samples, not the 8-bit getRGB, keep every bit. */
  private static boolean deepColor(BufferedImage image) {
    return image.getColorModel().getNumColorComponents() >= 3 && !(image.getColorModel() instanceof IndexColorModel)
        && image.getColorModel().getComponentSize(0) == 16;
  }

  /** 2^bits - 1 of a gray or 16-bit RGB image's samples; other color images are read as 8-bit RGB. */
  private static float scale(BufferedImage image, boolean grayPng) {
    if (lowDepthGray(image, grayPng)) {
      return (1 << image.getColorModel().getPixelSize()) - 1;
    }
    if (image.getColorModel().getNumColorComponents() == 1 || deepColor(image)) {
      return (1 << image.getColorModel().getComponentSize(0)) - 1;
    }
    return 255f;
  }

  /** 8-bit RGB samples (gray images repeated) divided by scale, interleaved. */
  private static void toRgb(BufferedImage image, boolean grayPng, float[] out, int offset, float scale) {
    int h = image.getHeight();
    int w = image.getWidth();
    boolean gray = gray(image, grayPng);
    boolean deep = deepColor(image);
    Raster raster = image.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int at = offset + 3 * (y * w + x);
        if (gray) {
          float v = raster.getSample(x, y, 0) / scale;
          out[at] = v;
          out[at + 1] = v;
          out[at + 2] = v;
        } else if (deep) {
          for (int band = 0; band < 3; band++) {
            out[at + band] = raster.getSample(x, y, band) / scale;
          }
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
