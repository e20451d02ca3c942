package org.jlip.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchTest {

  @Test
  void oneHotRows() {
    Batch b = new Batch(new float[3], new int[] {2, 0, 1}, 1, 1, 1, 3);
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, b.oneHot());
  }

  @Test
  void binaryLabelsColumnOnlyForTwoClasses() {
    Batch b = new Batch(new float[3], new int[] {1, 0, 1}, 1, 1, 1, 2);
    assertArrayEquals(new float[] {1, 0, 1}, b.binaryLabels());
    Batch multi = new Batch(new float[3], new int[] {1, 0, 2}, 1, 1, 1, 3);
    assertThrows(IllegalStateException.class, multi::binaryLabels);
  }
}
