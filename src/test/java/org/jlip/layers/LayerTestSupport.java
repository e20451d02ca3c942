package org.jlip.layers;

import java.util.SplittableRandom;
import org.jlip.testing.TestLinearAlgebra;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
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

  /** A built layer's input placeholder and its training-mode output. */
  record Trained(Placeholder<TFloat32> x, Operand<TFloat32> y) {}

  /**
   * Initialises the session, then {@code steps} SGD steps (rate 0.05) on sum(y^2) over the layer's kernel, y its
   * training-mode output on Gaussian batches of 4 inputs of {@code shape}: a push that raises the kernel's norm.
   */
  @SuppressWarnings("unchecked")
  static Trained sgdOnSquaredOutput(Graph g, Session s, LipLayer layer, long[] shape, int steps, long seed) {
    Ops tf = Ops.create(g);
    Placeholder<TFloat32> x = tf.placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, shape[0], shape[1], shape[2])));
    Operand<TFloat32> y = layer.call(tf, x, true);
    Variable<TFloat32> kernel = layer.trainableVariables().get(0);
    Operand<TFloat32> loss = tf.reduceSum(tf.math.square(y), tf.constant(new int[] {0, 1, 2, 3}));
    Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {kernel.asOutput()});
    Op sgd = tf.assignSub(kernel, tf.math.mul(tf.constant(0.05f), (Operand<TFloat32>) grad[0]));
    s.initialize();
    int n = (int) (4 * shape[0] * shape[1] * shape[2]);
    for (int step = 0; step < steps; step++) {
      try (TFloat32 xt = tensor(gaussian(n, seed + step), 4, shape[0], shape[1], shape[2])) {
        s.runner().feed(x, xt).addTarget(sgd).run();
      }
    }
    return new Trained(x, y);
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
