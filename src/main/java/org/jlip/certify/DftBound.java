package org.jlip.certify;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.ZMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_ZDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The largest singular value, over the frequencies of one circular grid, of a convolution kernel's transfer
 * matrices (see {@link OperatorNorms#convDftBound}), found without an eigenproblem per frequency.
 *
 * <p>A symmetric eigenproblem per frequency made this bound cost seconds for 256-channel layers. Only the
 * largest value matters, so: a few power iterations rank the frequencies (each gives a lower bound); the top one
 * gets an exact eigenproblem, giving lambda; every other frequency only has to be shown below
 * t = lambda (1 + {@value #SLACK}), which a Cholesky factorisation of t I - G (G its Gram matrix) does at an
 * eighth of an eigenproblem's cost. A frequency that fails it gets the exact eigenproblem too, and the result is
 * the largest of t and those values. Every step is a fixed function of the kernel, so the bound is the same on
 * every run whatever the thread count.
 *
 * <p>Rounding: a Cholesky factorisation that succeeds in floating point factors tI - G + E with
 * ||E|| <= (n + 1)^2 u t roughly (Demmel), and a symmetric eigensolver is accurate to a similar multiple of u;
 * the result is scaled by 1 + 2 (n + 1)^2 u to cover both (n the Gram matrix's order, u = 2^-53): 6e-11 for n =
 * 512, far below the 4 digits a report prints.
 */
public final class DftBound {
  /** Relative slack above the top frequency's exact value that the other frequencies are certified against. */
  public static final double SLACK = 1e-9;
  /** Enough to rank the frequencies; a wrong ranking costs time (more exact eigenproblems), never soundness. */
  static final int POWER_ITERATIONS = 12;
  private static final double UNIT_ROUNDOFF = Math.ulp(1.0) / 2;

  private final float[] kernel;
  private final int kh;
  private final int kw;
  private final int cin;
  private final int cout;
  private final int n1;
  private final int n2;
  /** The smaller side of the transfer matrix: the Gram matrix's order. */
  private final int g;
  private final int inner;
  private final int powerIterations;

  private DftBound(float[] kernel, int kh, int kw, int cin, int cout, int n1, int n2, int powerIterations) {
    this.kernel = kernel;
    this.kh = kh;
    this.kw = kw;
    this.cin = cin;
    this.cout = cout;
    this.n1 = n1;
    this.n2 = n2;
    g = Math.min(cin, cout);
    inner = Math.max(cin, cout);
    this.powerIterations = powerIterations;
  }

  /** The bound on an n1 x n2 grid; conjugate frequencies are skipped (a real kernel's are conjugate matrices). */
  public static double onGrid(float[] kernel, int kh, int kw, int cin, int cout, int n1, int n2) {
    return onGrid(kernel, kh, kw, cin, cout, n1, n2, POWER_ITERATIONS);
  }

  /** With 0 power iterations every frequency but the first goes through the Cholesky certificate. */
  static double onGrid(float[] kernel, int kh, int kw, int cin, int cout, int n1, int n2, int powerIterations) {
    return new DftBound(kernel, kh, kw, cin, cout, n1, n2, powerIterations).largestSingularValue();
  }

  /**
   * The same maximum with an exact eigenproblem at every frequency: the method this class replaced, kept as the
   * baseline of {@code jlip bench --only bound-dft} and as a second implementation for tests.
   */
  public static double exhaustive(float[] kernel, int kh, int kw, int cin, int cout, int n1, int n2) {
    DftBound b = new DftBound(kernel, kh, kw, cin, cout, n1, n2, 0);
    double lambda = IntStream.range(0, n1 * (n2 / 2 + 1)).parallel()
        .mapToDouble(f -> b.exactLargest(b.transfer(f))).max().orElse(0);
    return Math.sqrt(lambda);
  }

  private double largestSingularValue() {
    int count = n1 * (n2 / 2 + 1);
    double[] estimates = IntStream.range(0, count).parallel().mapToDouble(f -> powerEstimate(transfer(f), f))
        .toArray();
    int top = 0;
    for (int f = 1; f < count; f++) {
      if (estimates[f] > estimates[top]) {
        top = f;
      }
    }
    double t = exactLargest(transfer(top)) * (1 + SLACK);
    int topFrequency = top;
    // Each transfer matrix is rebuilt rather than kept from the first pass: all of them could take hundreds of
    // MB for wide layers, and one costs kh kw cin cout multiply-adds, little beside its Gram matrix.
    double failed = IntStream.range(0, count).parallel().filter(f -> f != topFrequency)
        .mapToDouble(f -> {
          Complex x = transfer(f);
          return certifiedBelow(x, t) ? 0 : exactLargest(x);
        }).max().orElse(0);
    double lambda = Math.max(t, failed);
    return Math.sqrt(lambda * (1 + 2.0 * (g + 1) * (g + 1) * UNIT_ROUNDOFF));
  }

  /** A g x inner complex matrix, row-major, as real and imaginary parts. */
  private record Complex(double[] re, double[] im) {}

  /**
   * The transfer matrix at frequency index f = p * (n2/2 + 1) + q, A = sum_{i,j} K[i, j] exp(-2 pi i (i p / n1
   * + j q / n2)), cin x cout, transposed when cout is the smaller side: the Gram matrix X X^H then has the
   * smaller order either way (X^T's Gram matrix is the conjugate of X^H X: the same eigenvalues).
   */
  private Complex transfer(int f) {
    int p = f / (n2 / 2 + 1);
    int q = f % (n2 / 2 + 1);
    double[] re = new double[cin * cout];
    double[] im = new double[cin * cout];
    boolean transpose = cout < cin;
    for (int i = 0; i < kh; i++) {
      for (int j = 0; j < kw; j++) {
        double angle = -2 * Math.PI * ((double) i * p / n1 + (double) j * q / n2);
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        int base = (i * kw + j) * cin * cout;
        for (int a = 0; a < cin; a++) {
          for (int b = 0; b < cout; b++) {
            double v = kernel[base + a * cout + b];
            int at = transpose ? b * cin + a : a * cout + b;
            re[at] += c * v;
            im[at] += s * v;
          }
        }
      }
    }
    return new Complex(re, im);
  }

  /**
   * Power iteration on X X^H from a seeded start: the largest Rayleigh quotient ||X^H v||^2 seen (unit v), a
   * lower bound of the largest eigenvalue.
   */
  private double powerEstimate(Complex x, long seed) {
    Random random = new Random(seed);
    double[] vr = new double[g];
    double[] vi = new double[g];
    for (int a = 0; a < g; a++) {
      vr[a] = random.nextGaussian();
      vi[a] = random.nextGaussian();
    }
    double[] wr = new double[inner];
    double[] wi = new double[inner];
    double best = 0;
    for (int it = 0; it < powerIterations; it++) {
      double norm = Math.sqrt(dot(vr, vr) + dot(vi, vi));
      if (norm == 0) {
        break;
      }
      for (int a = 0; a < g; a++) {
        vr[a] /= norm;
        vi[a] /= norm;
      }
      // w = X^H v
      Arrays.fill(wr, 0);
      Arrays.fill(wi, 0);
      for (int a = 0; a < g; a++) {
        double pr = vr[a];
        double pi = vi[a];
        int row = a * inner;
        for (int k = 0; k < inner; k++) {
          double xr = x.re[row + k];
          double xi = x.im[row + k];
          wr[k] += xr * pr + xi * pi;
          wi[k] += xr * pi - xi * pr;
        }
      }
      best = Math.max(best, dot(wr, wr) + dot(wi, wi));
      // v = X w
      double[] dot = new double[2];
      for (int r = 0; r < g; r++) {
        rowDot(x, r, wr, wi, 0, false, dot);
        vr[r] = dot[0];
        vi[r] = dot[1];
      }
    }
    return best;
  }

  /** Whether t I - X X^H is positive definite: then every eigenvalue of X X^H is below t. */
  private boolean certifiedBelow(Complex x, double t) {
    Complex gram = gram(x);
    ZMatrixRMaj m = new ZMatrixRMaj(g, g);
    for (int i = 0; i < g * g; i++) {
      m.data[2 * i] = (i % (g + 1) == 0 ? t : 0) - gram.re[i];
      m.data[2 * i + 1] = -gram.im[i];
    }
    CholeskyDecomposition_F64<ZMatrixRMaj> chol = DecompositionFactory_ZDRM.chol(g, true);
    return chol.decompose(m);
  }

  /** The largest eigenvalue of X X^H: a symmetric eigenproblem on its real embedding [[Re, -Im], [Im, Re]]. */
  private double exactLargest(Complex x) {
    Complex gram = gram(x);
    DMatrixRMaj emb = new DMatrixRMaj(2 * g, 2 * g);
    for (int a = 0; a < g; a++) {
      for (int b = 0; b < g; b++) {
        double gr = gram.re[a * g + b];
        double gi = gram.im[a * g + b];
        emb.set(a, b, gr);
        emb.set(g + a, g + b, gr);
        emb.set(g + a, b, gi);
        emb.set(a, g + b, -gi);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(2 * g, false, true);
    if (!eig.decompose(emb)) {
      throw new IllegalStateException("eigen decomposition failed on a " + 2 * g + "x" + 2 * g + " Gram matrix");
    }
    double max = 0;
    for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
      max = Math.max(max, eig.getEigenvalue(i).getReal());
    }
    return max;
  }

  /** G = X X^H, g x g Hermitian, both triangles filled: G[a, b] = sum_k X[a, k] conj(X[b, k]). */
  private Complex gram(Complex x) {
    double[] re = new double[g * g];
    double[] im = new double[g * g];
    double[] dot = new double[2];
    for (int a = 0; a < g; a++) {
      for (int b = 0; b <= a; b++) {
        rowDot(x, a, x.re, x.im, b * inner, true, dot);
        re[a * g + b] = dot[0];
        im[a * g + b] = dot[1];
        re[b * g + a] = dot[0];
        im[b * g + a] = -dot[1];
      }
    }
    return new Complex(re, im);
  }

  /**
   * sum_k X[a, k] y[k] (y conjugated when {@code conjugate}) over the inner dimension, y read from {@code offset};
   * the real and imaginary parts go to out[0] and out[1].
   */
  private void rowDot(Complex x, int a, double[] yr, double[] yi, int offset, boolean conjugate, double[] out) {
    double sign = conjugate ? -1 : 1;
    int row = a * inner;
    double sr = 0;
    double si = 0;
    for (int k = 0; k < inner; k++) {
      double xr = x.re[row + k];
      double xi = x.im[row + k];
      double br = yr[offset + k];
      double bi = sign * yi[offset + k];
      sr += xr * br - xi * bi;
      si += xr * bi + xi * br;
    }
    out[0] = sr;
    out[1] = si;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
