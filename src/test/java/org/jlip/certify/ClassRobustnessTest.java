package org.jlip.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassRobustnessTest {

  /** Rows per true class, counted by hand: class 1 has no samples and no row; names only when all are given. */
  @Test
  void perClassAccuracyAndProvableRobustAccuracyAreThoseOfItsSamples() {
    int[] labels = {0, 2, 0, 2, 2, 0};
    float[] radius = {0.3f, -0.1f, 0.05f, 0.6f, 0.2f, 0f};
    double[] eps = {0.1, 0.25};
    List<ClassRobustness> rows = ClassRobustness.of(labels, radius, eps, List.of("a", "b", "c"));
    assertEquals(2, rows.size());
    ClassRobustness zero = rows.get(0);
    assertEquals(0, zero.label());
    assertEquals("a", zero.name());
    assertEquals(3, zero.samples());
    // Radii 0.3, 0.05, 0 (a tie is not certified): 2 of 3 correct, 1 of 3 beyond 0.1 and beyond 0.25.
    assertEquals(2 / 3.0, zero.summary().accuracy(), 1e-12);
    assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0}, zero.summary().provableRobustAccuracy(), 1e-12);
    assertEquals((0.3 + 0.05) / 3, zero.summary().provableAverageRobustness(), 1e-7);
    ClassRobustness two = rows.get(1);
    assertEquals(2, two.label());
    // Radii -0.1, 0.6, 0.2: 2 of 3 correct, 2 beyond 0.1, 1 beyond 0.25.
    assertEquals(2 / 3.0, two.summary().accuracy(), 1e-12);
    assertArrayEquals(new double[] {2 / 3.0, 1 / 3.0}, two.summary().provableRobustAccuracy(), 1e-12);
    assertNull(ClassRobustness.of(labels, radius, eps, List.of("a")).get(0).name());
  }
}
