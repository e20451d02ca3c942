package org.jlip.bench;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.jlip.certify.DftBound;
import org.tensorflow.proto.RunMetadata;

/**
 * One layer's measured Lipschitz bound, computed in Java as every validation and certification does: the DFT
 * bound of a 3x3 convolution kernel with orthonormal reshaped columns (what Bjorck leaves in a trained
 * SpectralConv2D) on the circular grid of an n x n input, either certified ({@code bound-dft}) or with an
 * eigenproblem at every frequency ({@code bound-dft-exhaustive}, the method it replaced).
 */
final class BoundWorkload implements Workload {
  private final String name;
  private final boolean exhaustive;
  private final int channels;
  private final int grid;
  private final float[] kernel;

  BoundWorkload(String name, boolean exhaustive, int channels, int size, long seed) {
    this.name = name;
    this.exhaustive = exhaustive;
    this.channels = channels;
    this.grid = size + 2;
    int rows = 9 * channels;
    DMatrixRMaj m = new DMatrixRMaj(rows, channels);
    Random random = new Random(seed);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = random.nextGaussian();
    }
    QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, channels);
    if (!qr.decompose(m)) {
      throw new IllegalStateException("QR failed on a random " + rows + "x" + channels + " matrix");
    }
    DMatrixRMaj q = qr.getQ(null, true);
    kernel = new float[rows * channels];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (float) q.data[i];
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int batch() {
    return 0;
  }

  @Override
  public double flopsPerStep() {
    return Double.NaN;
  }

  @Override
  public void step() {
    double bound = exhaustive ? DftBound.exhaustive(kernel, 3, 3, channels, channels, grid, grid)
        : DftBound.onGrid(kernel, 3, 3, channels, channels, grid, grid);
    if (!(bound > 0)) {
      throw new IllegalStateException(name + ": bound " + bound + " of an orthonormal kernel");
    }
  }

  /** No TensorFlow graph: the work runs in the JVM's common fork-join pool. */
  @Override
  public RunMetadata tracedStep() {
    step();
    return RunMetadata.getDefaultInstance();
  }

  @Override
  public void close() {}
}
