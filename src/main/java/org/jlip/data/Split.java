package org.jlip.data;

/** The two partitions of an MNIST-style distribution; {@link #filePrefix()} is the prefix of its IDX files. */
public enum Split {
  TRAIN("train"),
  TEST("t10k");

  private final String filePrefix;

  Split(String filePrefix) {
    this.filePrefix = filePrefix;
  }

  /** "train" or "t10k", as in {@code train-images-idx3-ubyte.gz} / {@code t10k-labels-idx1-ubyte.gz}. */
  public String filePrefix() {
    return filePrefix;
  }

  /** Parses "train" or "test" (also "t10k"), case-insensitively. */
  public static Split parse(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "train":
        return TRAIN;
      case "test":
      case "t10k":
        return TEST;
      default:
        throw new IllegalArgumentException("split must be train or test, got " + name);
    }
  }
}
