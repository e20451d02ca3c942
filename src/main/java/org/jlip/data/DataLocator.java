package org.jlip.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds MNIST-style IDX data sets by name or directory. A directory must hold
 * {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte} (prefix "train" or "t10k"), each
 * gzip-compressed ({@code .gz}) or plain; the gzip file is preferred when both exist.
 */
public final class DataLocator {

  private static final int IDX_MAX_CLASSES = 10;

  private DataLocator() {}

  /**
   * Loads "fashion-mnist" from its installed location, or any other argument as a directory of IDX files
   * (with 10 classes and no class names).
   */
  public static Dataset load(String nameOrDir, Split split) throws IOException {
    if (FashionMnist.NAME.equalsIgnoreCase(nameOrDir)) {
      return FashionMnist.load(split);
    }
    Path dir = Path.of(nameOrDir);
    if (!Files.isDirectory(dir)) {
      throw new DataNotFoundException("unknown data set '" + nameOrDir + "': expected '" + FashionMnist.NAME
          + "' (install with `apt-get install dataset-fashion-mnist`) or a directory of IDX files, but "
          + dir.toAbsolutePath() + " is not a directory");
    }
    return loadIdx(dir, split, IDX_MAX_CLASSES, null, "pass a directory holding " + split.filePrefix()
        + "-images-idx3-ubyte[.gz] and " + split.filePrefix() + "-labels-idx1-ubyte[.gz]");
  }

  /**
   * Finds an IDX file named base (or base + ".gz") in dir.
   *
   * @throws DataNotFoundException naming the paths tried and the hint
   * @throws MalformedDataException if a candidate exists but is not a regular file
   */
  public static Path find(Path dir, String base, String hint) throws IOException {
    List<Path> tried = new ArrayList<>();
    for (String name : new String[] {base + ".gz", base}) {
      Path candidate = dir.resolve(name);
      DataFiles.refuseSpecial(candidate, "an IDX file");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      tried.add(candidate.toAbsolutePath());
    }
    throw new DataNotFoundException("data file not found: looked for " + tried + "; " + hint);
  }

  static Dataset loadIdx(Path dir, Split split, int numClasses, List<String> classNames, String hint)
      throws IOException {
    Path images = find(dir, split.filePrefix() + "-images-idx3-ubyte", hint);
    Path labels = find(dir, split.filePrefix() + "-labels-idx1-ubyte", hint);
    return IdxReader.read(images, labels, numClasses, classNames);
  }
}
