package org.jlip.bench;

import java.util.Random;
import org.jlip.train.Device;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * C = A B for two n x n float32 matrices held in variables (not constants, which Grappler would fold away); the
 * product is a run target, so nothing is copied back. 2 n^3 floating-point operations per step.
 */
final class MatMulWorkload extends GraphWorkload {
  static final String NAME = "matmul";
  private final int n;
  private final Operand<TFloat32> product;

  MatMulWorkload(int n, Device device, int threads, long seed) {
    super(device, threads);
    this.n = n;
    Random random = new Random(seed);
    Operand<TFloat32> a = tf.identity(tf.withName("matmul_a").variable(matrix(n, random)));
    Operand<TFloat32> b = tf.identity(tf.withName("matmul_b").variable(matrix(n, random)));
    product = tf.linalg.matMul(a, b);
    start();
  }

  private Operand<TFloat32> matrix(int n, Random random) {
    // Entries of variance 1/n keep the product's entries of order 1 (no denormals, no overflow).
    float[] v = new float[n * n];
    double scale = 1 / Math.sqrt(n);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return tf.constant(Shape.of(n, n), DataBuffers.of(v, true, false));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int batch() {
    return 0;
  }

  @Override
  public double flopsPerStep() {
    return 2.0 * n * n * n;
  }

  @Override
  protected Session.Runner stepRunner(Session session) {
    return session.runner().addTarget(product);
  }
}
