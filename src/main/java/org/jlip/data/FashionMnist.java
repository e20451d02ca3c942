package org.jlip.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Fashion-MNIST (Zalando): 28x28 grayscale, 10 classes, 60000 train / 10000 test images. */
public final class FashionMnist {

  /** Name accepted by {@link DataLocator#load(String, Split)}. */
  public static final String NAME = "fashion-mnist";
  /** Where Debian's {@code dataset-fashion-mnist} package installs the IDX files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  public static final int NUM_CLASSES = 10;
  /** Class names indexed by label. */
  public static final List<String> CLASS_NAMES = List.of(
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private FashionMnist() {}

  /** Loads a split from {@link #DEFAULT_DIR}. */
  public static Dataset load(Split split) throws IOException {
    return load(DEFAULT_DIR, split);
  }

  /** Loads a split from a directory holding the four IDX files (gzip or plain). */
  public static Dataset load(Path dir, Split split) throws IOException {
    return DataLocator.loadIdx(dir, split, NUM_CLASSES, CLASS_NAMES,
        "install it with `apt-get install dataset-fashion-mnist` (files go to " + DEFAULT_DIR
            + ") or pass a directory holding " + split.filePrefix() + "-images-idx3-ubyte[.gz] and "
            + split.filePrefix() + "-labels-idx1-ubyte[.gz]");
  }
}
