package org.jlip.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * An in-memory labelled image set. Images are floats (usually in [0, 1]) laid out row-major NHWC with shape
 * (size, height, width, channels); labels are ints in [0, numClasses). classNames is null or has exactly
 * numClasses entries, indexed by label. Every operation returns a new Dataset and copies the data it keeps,
 * so datasets never share mutable arrays with each other.
 */
public record Dataset(
    float[] images, int[] labels, int height, int width, int channels, int numClasses, List<String> classNames) {

  public Dataset {
    if (images == null || labels == null) {
      throw new IllegalArgumentException("images and labels must not be null");
    }
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException(
          "height, width, channels must be > 0, got " + height + "x" + width + "x" + channels);
    }
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    long expected = (long) labels.length * height * width * channels;
    if (images.length != expected) {
      throw new IllegalArgumentException("images.length must be labels.length*height*width*channels = "
          + expected + ", got " + images.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "labels must be in [0, " + numClasses + "), got " + labels[i] + " at index " + i);
      }
    }
    if (classNames != null) {
      if (classNames.size() != numClasses) {
        throw new IllegalArgumentException(
            "classNames must have numClasses = " + numClasses + " entries, got " + classNames.size());
      }
      classNames = List.copyOf(classNames);
    }
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** Floats per image: height * width * channels. */
  public int imageSize() {
    return height * width * channels;
  }

  /** (size, height, width, channels). */
  public long[] shape() {
    return new long[] {size(), height, width, channels};
  }

  /** A copy of image i. */
  public float[] image(int i) {
    return Arrays.copyOfRange(images, i * imageSize(), (i + 1) * imageSize());
  }

  /** The name of a label, or the label as text when there are no class names. */
  public String className(int label) {
    return classNames == null ? Integer.toString(label) : classNames.get(label);
  }

  /** Examples per class, indexed by label. */
  public int[] labelHistogram() {
    int[] counts = new int[numClasses];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates on SplittableRandom): same seed, same order. */
  public static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The examples in the order of {@link #permutation(int, long)}. */
  /** This data with {@code wanted} channels per pixel, as {@link Images#withChannels} converts them. */
  public Dataset withChannels(int wanted) {
    Images im = new Images(images, labels.length, height, width, channels).withChannels(wanted);
    return im.channels() == channels ? this : im.withLabels(labels.clone(), numClasses, classNames);
  }

  public Dataset shuffle(long seed) {
    return select(permutation(size(), seed));
  }

  /** The examples at the given indices, in that order (repetitions allowed). */
  public Dataset select(int[] indices) {
    int d = imageSize();
    float[] outImages = new float[indices.length * d];
    int[] outLabels = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      if (i < 0 || i >= size()) {
        throw new IndexOutOfBoundsException("index " + i + " out of range [0, " + size() + ")");
      }
      System.arraycopy(images, i * d, outImages, k * d, d);
      outLabels[k] = labels[i];
    }
    return new Dataset(outImages, outLabels, height, width, channels, numClasses, classNames);
  }

  /** Examples from (inclusive) to to (exclusive). */
  public Dataset slice(int from, int to) {
    if (from < 0 || to > size() || from > to) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") out of range [0, " + size() + "]");
    }
    int d = imageSize();
    return new Dataset(Arrays.copyOfRange(images, from * d, to * d), Arrays.copyOfRange(labels, from, to),
        height, width, channels, numClasses, classNames);
  }

  /** The first min(n, size) examples, for small runs. */
  public Dataset take(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    return slice(0, Math.min(n, size()));
  }

  /**
   * Holds out the last round(size * validationFraction) examples as the validation set.
   *
   * @param validationFraction in [0, 1)
   */
  public Partition split(double validationFraction) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
    }
    int nValidation = (int) Math.round(size() * validationFraction);
    int nTrain = size() - nValidation;
    return new Partition(slice(0, nTrain), slice(nTrain, size()));
  }

  /** Shuffles with the seed, then holds out the last fraction: a seeded random split. */
  public Partition split(double validationFraction, long seed) {
    return shuffle(seed).split(validationFraction);
  }

  /**
   * Keeps only the given classes and relabels them by their position in {@code classes}: example with label
   * classes[k] gets label k; numClasses becomes classes.length. Order of examples is preserved.
   */
  public Dataset subset(int... classes) {
    if (classes.length == 0) {
      throw new IllegalArgumentException("classes must not be empty");
    }
    int[] newLabel = new int[numClasses];
    Arrays.fill(newLabel, -1);
    List<String> names = classNames == null ? null : new ArrayList<>();
    for (int k = 0; k < classes.length; k++) {
      int c = classes[k];
      if (c < 0 || c >= numClasses) {
        throw new IllegalArgumentException("classes must be in [0, " + numClasses + "), got " + c);
      }
      if (newLabel[c] >= 0) {
        throw new IllegalArgumentException("classes must be distinct, got " + c + " twice");
      }
      newLabel[c] = k;
      if (names != null) {
        names.add(classNames.get(c));
      }
    }
    int count = 0;
    for (int label : labels) {
      if (newLabel[label] >= 0) {
        count++;
      }
    }
    int[] kept = new int[count];
    for (int i = 0, k = 0; i < size(); i++) {
      if (newLabel[labels[i]] >= 0) {
        kept[k++] = i;
      }
    }
    Dataset selected = select(kept);
    int[] relabelled = new int[count];
    for (int k = 0; k < count; k++) {
      relabelled[k] = newLabel[selected.labels[k]];
    }
    return new Dataset(selected.images, relabelled, height, width, channels, classes.length, names);
  }

  /**
   * A two-class subset for binary classifiers (CLI {@code --classes positive,negative}): class
   * {@code positive} gets label 1, class {@code negative} label 0, so classNames becomes [negative, positive].
   */
  public Dataset binary(int positive, int negative) {
    return subset(negative, positive);
  }

  /** Number of batches {@link #batches} yields. */
  public int numBatches(int batchSize, boolean dropLast) {
    checkBatchSize(batchSize);
    return dropLast ? size() / batchSize : (size() + batchSize - 1) / batchSize;
  }

  /**
   * Consecutive batches of batchSize examples in the current order (shuffle first for random batches). The
   * last, partial batch is dropped when dropLast is true, kept (smaller) otherwise.
   */
  public Iterable<Batch> batches(int batchSize, boolean dropLast) {
    int count = numBatches(batchSize, dropLast);
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int from = next * batchSize;
        int to = Math.min(from + batchSize, size());
        next++;
        int d = imageSize();
        return new Batch(Arrays.copyOfRange(images, from * d, to * d), Arrays.copyOfRange(labels, from, to),
            height, width, channels, numClasses);
      }
    };
  }

  private static void checkBatchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
  }
}
