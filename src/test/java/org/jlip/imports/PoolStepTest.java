package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlip.layers.LayerBound;
import org.jlip.testing.GraphEval;
import org.junit.jupiter.api.Test;

/** A pooling step's bound and lower estimate around the true norm of its operator, built with TensorFlow. */
class PoolStepTest {

  @Test
  void averagePoolEstimateAndBoundEncloseTheTrueNorm() {
    Object[][] cases = {{3, 1, "same", 7}, {2, 2, "same", 7}, {3, 2, "valid", 9}, {2, 2, "valid", 6}};
    for (Object[] c : cases) {
      int k = (int) c[0];
      int stride = (int) c[1];
      int size = (int) c[3];
      Step.Pool pool = new Step.Pool("avg", false, k, k, stride, stride, (String) c[2]);
      LayerBound b = pool.bound(new long[] {size, size, 1});
      double norm = GraphEval.operatorNorm(new long[] {size, size, 1},
          (tf, x) -> pool.apply(tf, x, new long[] {size, size, 1}));
      String what = k + "x" + k + " stride " + stride + " " + c[2] + " on " + size + ": " + b + ", true " + norm;
      assertTrue(b.estimate() > 0 && b.estimate() <= norm * (1 + 1e-6), what);
      assertTrue(norm <= b.measured() * (1 + 1e-6), what);
      if (b.method().equals("exact")) {
        assertEquals(norm, b.measured(), 1e-6, what);
      }
    }
  }
}
