package org.jlip.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images to certify or attack, named on the command line: {@code fashion-mnist:test} (or {@code :train}), a
 * directory of IDX files or of split folders (its test split, or {@code DIR:train}), a .npz archive (x_test and
 * y_test, or {@code FILE.npz:train}), a {@link LabelledFolder} (class folders of PNG images, or images.npy and
 * labels.npy), an IDX images file, a folder of PNG images, or a {@code .npy} array; labels come with the IDX
 * sources, archives and labelled folders or from a separate file (IDX labels or {@code .npy}).
 *
 * @param labels true labels, or null when the source has none
 * @param classNames class names, or null
 * @param scale what the source's values were divided by to give {@link #images}: 255 for 8-bit sources (IDX, 8-bit
 *     or color PNG, uint8 .npy), 65535 for 16-bit ones (16-bit gray PNG, uint16 .npy), 2^bits - 1 for gray PNGs of
 *     fewer bits, 1 for float .npy arrays (taken as stored)
 */
public record DataSpec(String spec, Images images, int[] labels, List<String> classNames, float scale) {

  private static final Logger LOG = LoggerFactory.getLogger(DataSpec.class);
  /** DIR:train or DIR:test (also t10k), read only when no file or directory has the whole name. */
  private static final Pattern SPLIT_SUFFIX =
      Pattern.compile("(.+):(train|test|t10k)", Pattern.CASE_INSENSITIVE);

  /**
   * The images as stored in the source: 8-bit values back in 0..255, 16-bit ones in 0..65535 (exactly: for every
   * v up to 65535, v / 65535f * 65535f == v, and likewise for 255).
   */
  public Images raw() {
    if (scale == 1) {
      return images;
    }
    float[] p = images.pixels().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] *= scale;
    }
    return new Images(p, images.count(), images.height(), images.width(), images.channels());
  }

  /**
   * This data for a model whose input has {@code inputShape} (without the batch axis): an image input of 1 or 3
   * channels gets gray or RGB images ({@link Images#withChannels}); any other input, the data as it is.
   */
  public DataSpec forInput(long[] inputShape) {
    if (inputShape.length != 3 || inputShape[2] == images.channels()) {
      return this;
    }
    Images fitted = images.withChannels((int) inputShape[2]);
    if (fitted != images) {
      LOG.info("{}: {}-channel images converted to the model's {} channel(s)", spec, images.channels(),
          inputShape[2]);
    }
    return new DataSpec(spec, fitted, labels, classNames, scale);
  }

  public static DataSpec load(String spec, Path labelsFile) throws IOException {
    DataSpec d = loadImages(spec);
    checkValues(spec, d.images());
    if (labelsFile == null) {
      return d;
    }
    int[] labels = readLabels(labelsFile);
    if (labels.length != d.images().count()) {
      throw new MalformedDataException(labelsFile, "expected " + d.images().count() + " labels (one per image of "
          + spec + "), found " + labels.length);
    }
    return new DataSpec(spec, d.images(), labels, d.classNames(), d.scale());
  }

  /**
   * No images is bad input: certificates and attacks would report numbers for nothing (NaN and infinite values are
   * refused where they can occur, by the .npy reader). Values outside [0, 1] are only warned about: a model may
   * expect them, but the attacks clip to [0, 1].
   */
  private static void checkValues(String spec, Images images) throws MalformedDataException {
    if (images.count() == 0) {
      throw new MalformedDataException(Path.of(spec), "holds no images");
    }
    float[] p = images.pixels();
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < p.length; i++) {
      min = Math.min(min, p[i]);
      max = Math.max(max, p[i]);
    }
    if (min < 0 || max > 1) {
      LOG.warn("{}: values range over [{}, {}], outside [0, 1]: attacks clip to [0, 1], and integer images are"
          + " expected as uint8 or uint16 (scaled by 1/255 or 1/65535)", spec, min, max);
    }
  }

  private static DataSpec loadImages(String spec) throws IOException {
    String lower = spec.toLowerCase(Locale.ROOT);
    if (lower.startsWith(FashionMnist.NAME)) {
      String split = lower.contains(":") ? lower.substring(lower.indexOf(':') + 1) : "test";
      return of(spec, FashionMnist.load(Split.parse(split)));
    }
    Path p = Path.of(spec);
    Matcher split = SPLIT_SUFFIX.matcher(spec);
    if (!Files.exists(p) && split.matches() && (Files.isDirectory(Path.of(split.group(1)))
        || NpzData.isNpz(Path.of(split.group(1))))) {
      return split(spec, Path.of(split.group(1)), Split.parse(split.group(2)));
    }
    if (!Files.exists(p)) {
      throw new DataNotFoundException("no data at " + p.toAbsolutePath() + " (expected fashion-mnist:test, a"
          + " directory of IDX files, PNG images, class folders or images.npy + labels.npy, a .npz file with x_test"
          + " and y_test, DIR:train or FILE.npz:train for the train split, an IDX images file or a .npy file)");
    }
    if (Files.isDirectory(p)) {
      // A test/ that holds labelled data itself (class folders, images.npy) is a split; a test/ of PNGs is a class.
      if (DataLocator.splitFolder(p, Split.TEST) != null) {
        return split(spec, p, Split.TEST);
      }
      if (LabelledFolder.holdsData(p)) {
        return labelled(spec, p);
      }
      if (!PngFolderReader.list(p).isEmpty()) {
        PngFolderReader.Scaled png = PngFolderReader.readScaled(p);
        return new DataSpec(spec, png.images(), null, null, png.scale());
      }
      return split(spec, p, Split.TEST);
    }
    if (NpzData.isNpz(p)) {
      return split(spec, p, Split.TEST);
    }
    if (lower.endsWith(".npy")) {
      NpyArray array = NpyReader.read(p);
      Images images = NpyReader.images(p, array);
      return new DataSpec(spec, images, null, null, array.imageScale());
    }
    return new DataSpec(spec, IdxReader.readImages(p), null, null, 255f);
  }

  /**
   * A .npz archive's split, or a directory's: its split folder (class folders or images.npy + labels.npy), else its
   * IDX files.
   */
  private static DataSpec split(String spec, Path dir, Split split) throws IOException {
    if (NpzData.isNpz(dir)) {
      return of(spec, NpzData.read(dir, split));
    }
    Path folder = DataLocator.splitFolder(dir, split);
    return folder != null ? labelled(spec, folder) : of(spec, DataLocator.load(dir.toString(), split));
  }

  private static DataSpec labelled(String spec, Path folder) throws IOException {
    return of(spec, LabelledFolder.readScaled(folder));
  }

  /** IDX data: 8-bit values scaled by 1/255. */
  private static DataSpec of(String spec, Dataset d) {
    return of(spec, new LabelledFolder.Scaled(d, 255f));
  }

  private static DataSpec of(String spec, LabelledFolder.Scaled s) {
    Dataset d = s.data();
    return new DataSpec(spec, new Images(d.images(), d.size(), d.height(), d.width(), d.channels()), d.labels(),
        d.classNames(), s.scale());
  }

  private static int[] readLabels(Path file) throws IOException {
    if (file.toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      return NpyReader.readLabels(file);
    }
    return IdxReader.readLabels(file);
  }
}
