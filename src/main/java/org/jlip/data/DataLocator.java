package org.jlip.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds MNIST-style IDX data sets by name or directory. A directory must hold
 * {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte} (prefix "train" or "t10k"), each
 * gzip-compressed ({@code .gz}) or plain, and also found under the dotted names some mirrors use
 * ({@code train-images.idx3-ubyte}); when several exist, the first in that order is read, with a warning.
 */
public final class DataLocator {

  private static final Logger LOG = LoggerFactory.getLogger(DataLocator.class);

  /**
   * The least number of classes of an IDX data set: MNIST-style sets have 10, and a split missing its last classes
   * must still match a 10-output model. Labels above 9 (EMNIST) raise it to the largest label + 1.
   */
  private static final int IDX_MIN_CLASSES = 10;

  private DataLocator() {}

  /** The folder names a split may have in a data directory, in the order they are looked for. */
  static final Map<Split, List<String>> SPLIT_FOLDERS = Map.of(Split.TRAIN, List.of("train"),
      Split.TEST, List.of("test", "val", "validation"));

  /**
   * Loads "fashion-mnist" from its installed location, a .npz archive ({@link NpzData}), or any other argument as
   * a directory: with a folder for the split ({@link #SPLIT_FOLDERS}) in a {@link LabelledFolder} layout (class
   * folders of PNG images, or images.npy and labels.npy), else of IDX files (no class names).
   */
  public static Dataset load(String nameOrDir, Split split) throws IOException {
    if (FashionMnist.NAME.equalsIgnoreCase(nameOrDir)) {
      return FashionMnist.load(split);
    }
    Path dir = Path.of(nameOrDir);
    if (NpzData.isNpz(dir)) {
      return NpzData.read(dir, split).data();
    }
    if (!Files.isDirectory(dir)) {
      throw new DataNotFoundException("unknown data set '" + nameOrDir + "': expected '" + FashionMnist.NAME
          + "' (install with `apt-get install dataset-fashion-mnist`), a directory of IDX files or of split"
          + " folders, or a .npz file with x_train, y_train, x_test and y_test, but " + dir.toAbsolutePath()
          + " is neither a directory nor a .npz file");
    }
    Path folder = splitFolder(dir, split);
    if (folder != null) {
      return LabelledFolder.read(folder);
    }
    return loadIdx(dir, split, 0, null, "pass a directory holding " + split.filePrefix()
        + "-images-idx3-ubyte[.gz] and " + split.filePrefix() + "-labels-idx1-ubyte[.gz], or a folder "
        + String.join("/", SPLIT_FOLDERS.get(split)) + " with one folder of PNG images per class or images.npy and"
        + " labels.npy" + (split == Split.TEST ? " (or train with --val-fraction)" : ""));
  }

  /** The first of dir's folders for the split ({@link #SPLIT_FOLDERS}) that holds labelled data, or null. */
  static Path splitFolder(Path dir, Split split) throws IOException {
    for (String name : SPLIT_FOLDERS.get(split)) {
      if (LabelledFolder.holdsData(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    return null;
  }

  /**
   * Finds an IDX file named base (or base + ".gz", or either with its last "-idx" written ".idx") in dir.
   *
   * @throws DataNotFoundException naming the paths tried and the hint
   * @throws MalformedDataException if a candidate exists but is not a regular file
   */
  public static Path find(Path dir, String base, String hint) throws IOException {
    Choice choice = choose(dir, base);
    if (choice.warning() != null) {
      LOG.warn("{}", choice.warning());
    }
    if (choice.file() == null) {
      throw new DataNotFoundException("data file not found: looked for " + choice.tried() + "; " + hint);
    }
    return choice.file();
  }

  /**
   * The file {@link #find} reads.
   *
   * @param file the chosen file, or null when neither candidate exists
   * @param warning null, or why another file was passed over: the two may hold different data, and nothing but
   *     this message would tell which one a run used
   * @param tried the candidates, in the order they are preferred
   */
  record Choice(Path file, String warning, List<Path> tried) {}

  static Choice choose(Path dir, String base) throws MalformedDataException {
    List<Path> tried = new ArrayList<>();
    List<Path> found = new ArrayList<>();
    String dotted = base.replaceFirst("-(idx\\d-ubyte)$", ".$1");
    for (String name : dotted.equals(base) ? List.of(base + ".gz", base)
        : List.of(base + ".gz", base, dotted + ".gz", dotted)) {
      Path candidate = dir.resolve(name);
      DataFiles.refuseSpecial(candidate, "an IDX file");
      if (Files.exists(candidate)) {
        found.add(candidate);
      }
      tried.add(candidate.toAbsolutePath());
    }
    String warning = found.size() < 2 ? null : String.join(" and ", found.stream().map(Path::toString).toList())
        + " exist: using " + found.get(0) + " (gzip before plain, dashed names before dotted); remove the others to"
        + " silence this warning";
    return new Choice(found.isEmpty() ? null : found.get(0), warning, tried);
  }

  /**
   * @param numClasses the classes the labels must lie in, or 0 for at least {@link #IDX_MIN_CLASSES}, more when the
   *     labels go higher
   */
  static Dataset loadIdx(Path dir, Split split, int numClasses, List<String> classNames, String hint)
      throws IOException {
    Path images = find(dir, split.filePrefix() + "-images-idx3-ubyte", hint);
    Path labels = find(dir, split.filePrefix() + "-labels-idx1-ubyte", hint);
    return IdxReader.read(images, labels, read -> numClasses > 0 ? numClasses
        : Math.max(IDX_MIN_CLASSES, Arrays.stream(read).max().orElse(0) + 1), classNames);
  }
}
