package org.jlip.layers;

import java.util.SplittableRandom;
import org.jlip.testing.TestLinearAlgebra;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Test-side helpers: tensors, random values and independent operator norms (commons-math3 SVD). */
final class LayerTestSupport {
  private LayerTestSupport() {}

  static float[] gaussian(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
    }
    return out;
  }

  static TFloat32 tensor(float[] values, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  static float[] fetch(Session s, Operand<TFloat32> op) {
    try (Result r = s.runner().fetch(op).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  static float[] fetch(Session s, Operand<TFloat32> op, Operand<TFloat32> feedOp, TFloat32 feed) {
    try (Result r = s.runner().feed(feedOp, feed).fetch(op).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  static double[] singularValues(float[] m, int rows, int cols) {
    double[][] a = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        a[i][j] = m[i * cols + j];
      }
    }
    return new SingularValueDecomposition(new Array2DRowRealMatrix(a, false)).getSingularValues();
  }

  /**
   * The largest singular value of the explicit matrix of x -> conv2d(x, kernel, strides, padding) on h x w x cin
   * inputs, built by TensorFlow's own convolution applied to every basis image (independent of the Java code
   * under test), then a commons-math3 SVD.
   */
  static double convOperatorNorm(float[] kernel, int kh, int kw, int cin, int cout, int h, int w, int stride,
      String padding) {
    int n = h * w * cin;
    float[] basis = new float[n * n];
    for (int i = 0; i < n; i++) {
      basis[i * n + i] = 1f;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> y = tf.nn.conv2d(
          tf.constant(Shape.of(n, h, w, cin), DataBuffers.of(basis, true, false)),
          tf.constant(Shape.of(kh, kw, cin, cout), DataBuffers.of(kernel, true, false)),
          java.util.List.of(1L, (long) stride, (long) stride, 1L), padding);
      float[] rows = fetch(s, y);
      return TestLinearAlgebra.largestSingularValue(rows, n, rows.length / n);
    }
  }
}
