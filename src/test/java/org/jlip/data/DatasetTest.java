package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  /** n images of 2x2x1 where every pixel of image i equals i, labels i % 10. */
  static Dataset numbered(int n) {
    float[] images = new float[n * 4];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      Arrays.fill(images, i * 4, i * 4 + 4, i);
      labels[i] = i % 10;
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      names.add("c" + c);
    }
    return new Dataset(images, labels, 2, 2, 1, 10, names);
  }

  /** The original index of each example, read back from its pixels. */
  static int[] ids(Dataset d) {
    int[] ids = new int[d.size()];
    for (int i = 0; i < d.size(); i++) {
      float[] img = d.image(i);
      for (float v : img) {
        assertEquals(img[0], v, "image " + i + " mixed with another");
      }
      ids[i] = (int) img[0];
    }
    return ids;
  }

  @Test
  void permutationIsSeededAndAPermutation() {
    int[] a = Dataset.permutation(1000, 42);
    int[] b = Dataset.permutation(1000, 42);
    int[] c = Dataset.permutation(1000, 43);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    int fixedPoints = 0;
    for (int i = 0; i < a.length; i++) {
      fixedPoints += a[i] == i ? 1 : 0;
    }
    assertTrue(fixedPoints < 20, "a shuffle of 1000 should move almost everything, kept " + fixedPoints);
  }

  @Test
  void shuffleKeepsImagesWithTheirLabels() {
    Dataset d = numbered(100);
    Dataset s = d.shuffle(7);
    int[] ids = ids(s);
    assertArrayEquals(Dataset.permutation(100, 7), ids);
    for (int i = 0; i < s.size(); i++) {
      assertEquals(ids[i] % 10, s.labels()[i]);
    }
    assertArrayEquals(ids, ids(d.shuffle(7)));
  }

  @Test
  void batchSizesWithAndWithoutDropLast() {
    Dataset d = numbered(10);
    List<Integer> kept = new ArrayList<>();
    List<Integer> firstIds = new ArrayList<>();
    for (Batch b : d.batches(4, false)) {
      kept.add(b.size());
      firstIds.add((int) b.images()[0]);
      assertArrayEquals(new long[] {b.size(), 2, 2, 1}, b.shape());
    }
    assertEquals(List.of(4, 4, 2), kept);
    assertEquals(List.of(0, 4, 8), firstIds);
    List<Integer> dropped = new ArrayList<>();
    for (Batch b : d.batches(4, true)) {
      dropped.add(b.size());
    }
    assertEquals(List.of(4, 4), dropped);
    assertEquals(3, d.numBatches(4, false));
    assertEquals(2, d.numBatches(4, true));
    assertEquals(2, d.numBatches(5, true));
    assertThrows(IllegalArgumentException.class, () -> d.batches(0, false));
  }

  @Test
  void splitSizes() {
    Dataset d = numbered(100);
    Partition p = d.split(0.2);
    assertEquals(80, p.train().size());
    assertEquals(20, p.validation().size());
    assertEquals(80, ids(p.validation())[0]);
    Partition seeded = d.split(0.25, 3);
    assertEquals(75, seeded.train().size());
    assertEquals(25, seeded.validation().size());
    int[] all = new int[100];
    System.arraycopy(ids(seeded.train()), 0, all, 0, 75);
    System.arraycopy(ids(seeded.validation()), 0, all, 75, 25);
    assertArrayEquals(Dataset.permutation(100, 3), all);
    assertEquals(0, d.split(0).validation().size());
    assertThrows(IllegalArgumentException.class, () -> d.split(1.0));
  }

  @Test
  void subsetRelabelsByPosition() {
    Dataset s = numbered(30).subset(7, 2);
    assertEquals(6, s.size());
    assertEquals(2, s.numClasses());
    assertEquals(List.of("c7", "c2"), s.classNames());
    assertArrayEquals(new int[] {2, 7, 12, 17, 22, 27}, ids(s));
    assertArrayEquals(new int[] {1, 0, 1, 0, 1, 0}, s.labels());
    assertThrows(IllegalArgumentException.class, () -> numbered(30).subset(3, 3));
    assertThrows(IllegalArgumentException.class, () -> numbered(30).subset(10));
  }

  @Test
  void binaryMakesPositiveClassLabelOne() {
    Dataset b = numbered(40).binary(3, 8);
    assertEquals(8, b.size());
    assertEquals(List.of("c8", "c3"), b.classNames());
    int[] ids = ids(b);
    for (int i = 0; i < b.size(); i++) {
      assertEquals(ids[i] % 10 == 3 ? 1 : 0, b.labels()[i], "example " + ids[i]);
    }
    Batch batch = b.batches(8, false).iterator().next();
    float[] column = batch.binaryLabels();
    for (int i = 0; i < 8; i++) {
      assertEquals(ids[i] % 10 == 3 ? 1f : 0f, column[i]);
    }
  }

  @Test
  void takeAndSlice() {
    Dataset d = numbered(10);
    assertArrayEquals(new int[] {0, 1, 2}, ids(d.take(3)));
    assertEquals(10, d.take(50).size());
    assertArrayEquals(new int[] {4, 5}, ids(d.slice(4, 6)));
    assertThrows(IndexOutOfBoundsException.class, () -> d.slice(5, 11));
  }

  @Test
  void constructorRejectsInconsistentData() {
    assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[3], new int[1], 2, 2, 1, 10, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dataset(new float[4], new int[] {10}, 2, 2, 1, 10, null));
    assertTrue(e.getMessage().contains("got 10"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Dataset(new float[4], new int[1], 2, 2, 1, 10, List.of("a")));
  }
}
