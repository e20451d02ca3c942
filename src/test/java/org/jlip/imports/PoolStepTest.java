package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlip.layers.LayerBound;
import org.jlip.testing.TestLinearAlgebra;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A pooling step's bound and lower estimate around the true norm of its operator, built with TensorFlow. */
class PoolStepTest {

  /** The operator norm of the pooling on h x w x 1 images: SVD of the matrix whose rows pool each basis image. */
  private static double operatorNorm(Step.Pool pool, int h, int w) {
    int n = h * w;
    float[] basis = new float[n * n];
    for (int i = 0; i < n; i++) {
      basis[i * n + i] = 1f;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> y = pool.apply(tf, tf.constant(Shape.of(n, h, w, 1), DataBuffers.of(basis, true, false)),
          new long[] {h, w, 1});
      try (Result r = s.runner().fetch(y).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        int m = (int) (t.shape().size() / n);
        float[] flat = new float[n * m];
        t.copyTo(DataBuffers.of(flat, false, false));
        return TestLinearAlgebra.largestSingularValue(flat, n, m);
      }
    }
  }

  @Test
  void averagePoolEstimateAndBoundEncloseTheTrueNorm() {
    Object[][] cases = {{3, 1, "same", 7}, {2, 2, "same", 7}, {3, 2, "valid", 9}, {2, 2, "valid", 6}};
    for (Object[] c : cases) {
      int k = (int) c[0];
      int stride = (int) c[1];
      int size = (int) c[3];
      Step.Pool pool = new Step.Pool("avg", false, k, k, stride, stride, (String) c[2]);
      LayerBound b = pool.bound(new long[] {size, size, 1});
      double norm = operatorNorm(pool, size, size);
      String what = k + "x" + k + " stride " + stride + " " + c[2] + " on " + size + ": " + b + ", true " + norm;
      assertTrue(b.estimate() > 0 && b.estimate() <= norm * (1 + 1e-6), what);
      assertTrue(norm <= b.measured() * (1 + 1e-6), what);
      if (b.method().equals("exact")) {
        assertEquals(norm, b.measured(), 1e-6, what);
      }
    }
  }
}
