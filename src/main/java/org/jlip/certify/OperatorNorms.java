package org.jlip.certify;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Operator norms of weights in double precision: the measured side of every Lipschitz bound. */
public final class OperatorNorms {
  private OperatorNorms() {}

  /** Largest singular value of a row-major {@code rows x cols} matrix (an SVD in double precision). */
  public static double spectralNorm(float[] matrix, int rows, int cols) {
    if (matrix.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "matrix has " + matrix.length + " values, expected " + rows + "x" + cols);
    }
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < matrix.length; i++) {
      m.data[i] = matrix[i];
    }
    return singularValues(m)[0];
  }

  /** Singular values in decreasing order. */
  static double[] singularValues(DMatrixRMaj m) {
    SingularValueDecomposition_F64<DMatrixRMaj> svd =
        DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
    if (!svd.decompose(m.copy())) {
      throw new IllegalStateException("SVD did not converge on a " + m.numRows + "x" + m.numCols + " matrix");
    }
    double[] s = svd.getSingularValues().clone();
    java.util.Arrays.sort(s);
    for (int i = 0; i < s.length / 2; i++) {
      double t = s[i];
      s[i] = s[s.length - 1 - i];
      s[s.length - 1 - i] = t;
    }
    return s;
  }

  /** Euclidean norm of each column of a row-major {@code rows x cols} matrix. */
  public static double[] columnNorms(float[] matrix, int rows, int cols) {
    double[] n = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double v = matrix[i * cols + j];
        n[j] += v * v;
      }
    }
    for (int j = 0; j < cols; j++) {
      n[j] = Math.sqrt(n[j]);
    }
    return n;
  }
}
