package org.jlip.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A labelled split in one of the layouts Python users write: class folders of PNG images ({@code dir/<class>/*.png},
 * as Keras's {@code image_dataset_from_directory} reads them: label k is the k-th class folder in name order, whose
 * name is the class name) or the pair {@code dir/images.npy} and {@code dir/labels.npy} ({@code np.save} of x and
 * y: integer images scaled by 1/255 or 1/65535, labels as integers or one-hot rows).
 */
public final class LabelledFolder {
  static final String IMAGES = "images.npy";
  static final String LABELS = "labels.npy";
  /** More class folders than this is taken for a folder of something else. */
  static final int MAX_CLASSES = 10_000;

  private LabelledFolder() {}

  /** Whether {@code dir} holds images.npy or at least one class folder with PNG images. */
  public static boolean holdsData(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    if (Files.exists(dir.resolve(IMAGES))) {
      return true;
    }
    for (Path c : classFolders(dir)) {
      if (!PngFolderReader.list(c).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * @throws MalformedDataException for a missing or mismatched labels file, images of different sizes or depths,
   *     or an empty class folder (each names the file or folder)
   */
  public static Dataset read(Path dir) throws IOException {
    return readScaled(dir).data();
  }

  /** The data and what its stored samples were divided by (as {@link DataSpec#scale()}). */
  record Scaled(Dataset data, float scale) {}

  static Scaled readScaled(Path dir) throws IOException {
    if (Files.exists(dir.resolve(IMAGES))) {
      return readArrays(dir);
    }
    List<Path> classes = classFolders(dir);
    if (classes.isEmpty()) {
      throw new DataNotFoundException("no data in " + dir.toAbsolutePath() + ": expected " + IMAGES + " and "
          + LABELS + ", or one folder of PNG images per class");
    }
    if (classes.size() > MAX_CLASSES) {
      throw new MalformedDataException(dir, "holds " + classes.size() + " folders; jlip reads at most "
          + MAX_CLASSES + " class folders");
    }
    List<Path> loose = PngFolderReader.list(dir);
    if (!loose.isEmpty()) {
      throw new MalformedDataException(dir, "holds " + loose.size() + " PNG image(s) (" + loose.get(0).getFileName()
          + (loose.size() > 1 ? ", ..." : "") + ") beside its class folders " + classes.stream()
          .map(c -> c.getFileName().toString()).limit(5).toList() + ": it is either a labelled folder or an"
          + " unlabelled one; move the loose images or the class folders");
    }
    List<PngFolderReader.Scaled> parts = new ArrayList<>();
    for (Path c : classes) {
      if (PngFolderReader.list(c).isEmpty()) {
        throw new MalformedDataException(c, "class folder without *.png images: every folder of " + dir
            + " is a class (label = its rank in name order), so an empty one would shift no label but hold none");
      }
      PngFolderReader.Scaled s = PngFolderReader.readScaled(c);
      PngFolderReader.Scaled first = parts.isEmpty() ? s : parts.get(0);
      if (s.images().height() != first.images().height() || s.images().width() != first.images().width()
          || s.scale() != first.scale()) {
        throw new MalformedDataException(c, "holds " + s.images().height() + "x" + s.images().width()
            + " images with samples up to " + (int) s.scale() + "; " + classes.get(0).getFileName() + " holds "
            + first.images().height() + "x" + first.images().width() + " up to " + (int) first.scale()
            + ": all classes must share one size and bit depth");
      }
      parts.add(s);
    }
    return new Scaled(concatenate(parts, classes.stream().map(c -> c.getFileName().toString()).toList()),
        parts.get(0).scale());
  }

  private static Scaled readArrays(Path dir) throws IOException {
    Path imagesFile = dir.resolve(IMAGES);
    Path labelsFile = dir.resolve(LABELS);
    DataFiles.refuseSpecial(imagesFile, "a .npy array");
    DataFiles.refuseSpecial(labelsFile, "a .npy array");
    if (!Files.exists(labelsFile)) {
      throw new DataNotFoundException("no " + LABELS + " beside " + imagesFile.toAbsolutePath()
          + ": training and certification against labels need both");
    }
    return arrays(imagesFile, NpyReader.read(imagesFile), labelsFile, NpyReader.bytesOf(labelsFile));
  }

  /**
   * Images read as {@code array} from {@code imagesFile} with one label each, read from {@code labels}, the .npy
   * bytes of {@code labelsFile}: classes 0 to the largest label, or as many as one-hot rows are wide. Shared by
   * images.npy/labels.npy folders and .npz archives.
   */
  static Scaled arrays(Path imagesFile, NpyArray array, Path labelsFile, byte[] labelBytes)
      throws MalformedDataException {
    Images images = NpyReader.images(imagesFile, array);
    NpyReader.Labels read = NpyReader.labels(labelsFile, labelBytes);
    int[] labels = read.values();
    if (labels.length != images.count()) {
      throw new MalformedDataException(labelsFile, "expected " + images.count() + " labels (one per image of "
          + imagesFile.getFileName() + "), found " + labels.length);
    }
    int classes = Math.max(Arrays.stream(labels).max().orElse(0) + 1, read.declaredClasses());
    return new Scaled(images.withLabels(labels, classes, null), array.imageScale());
  }

  /** The classes' images in label order; a gray class beside a color one is repeated into RGB, as in one folder. */
  private static Dataset concatenate(List<PngFolderReader.Scaled> parts, List<String> names) {
    int channels = parts.stream().mapToInt(p -> p.images().channels()).max().orElse(1);
    Images first = parts.get(0).images().withChannels(channels);
    int count = parts.stream().mapToInt(p -> p.images().count()).sum();
    float[] pixels = new float[Math.multiplyExact(count, first.imageSize())];
    int[] labels = new int[count];
    int at = 0;
    for (int k = 0; k < parts.size(); k++) {
      Images im = parts.get(k).images().withChannels(channels);
      System.arraycopy(im.pixels(), 0, pixels, at * first.imageSize(), im.pixels().length);
      Arrays.fill(labels, at, at + im.count(), k);
      at += im.count();
    }
    return new Images(pixels, count, first.height(), first.width(), first.channels())
        .withLabels(labels, parts.size(), names);
  }

  /**
   * Python's order of strings (Keras sorts class folders with sorted()): by code point, where String.compareTo
   * compares UTF-16 units and puts characters above U+FFFF before U+E000-U+FFFF.
   */
  static int byCodePoints(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    return Arrays.compare(x, y);
  }

  /** The sub-folders of dir in name order (Python's), hidden ones (".ipynb_checkpoints") left out. */
  private static List<Path> classFolders(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted((a, b) -> byCodePoints(a.getFileName().toString(), b.getFileName().toString())).toList();
    }
  }
}
