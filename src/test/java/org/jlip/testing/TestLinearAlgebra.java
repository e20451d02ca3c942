package org.jlip.testing;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/** Independent linear algebra for tests (commons-math3, not the product's EJML). */
public final class TestLinearAlgebra {
  private TestLinearAlgebra() {}

  /** Largest singular value of a row-major rows x cols matrix: sqrt of the top eigenvalue of its smaller Gram. */
  public static double largestSingularValue(float[] m, int rows, int cols) {
    boolean overRows = rows <= cols;
    int g = overRows ? rows : cols;
    int inner = overRows ? cols : rows;
    double[][] gram = new double[g][g];
    for (int a = 0; a < g; a++) {
      for (int b = a; b < g; b++) {
        double s = 0;
        for (int k = 0; k < inner; k++) {
          s += overRows ? (double) m[a * cols + k] * m[b * cols + k] : (double) m[k * cols + a] * m[k * cols + b];
        }
        gram[a][b] = s;
        gram[b][a] = s;
      }
    }
    double max = 0;
    for (double e : new EigenDecomposition(new Array2DRowRealMatrix(gram, false)).getRealEigenvalues()) {
      max = Math.max(max, e);
    }
    return Math.sqrt(max);
  }
}
