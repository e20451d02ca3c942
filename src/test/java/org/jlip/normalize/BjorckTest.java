package org.jlip.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * The graph's Bjorck (Gram form, or direct for near-square matrices) against the iteration as deel-lip writes it
 * (W <- (1 + beta) W - beta W W^T W on W itself, stopped after the first move below eps), in plain Java.
 */
class BjorckTest {

  /**
   * deel-lip's loop on W; returns W and, in iterations[0], how many iterations ran; moves[t] (when not null)
   * receives ||W_{t+1} - W_t||_F.
   */
  private static double[][] direct(double[][] w, int maxIter, double beta, double eps, int[] iterations,
      double[] moves) {
    int rows = w.length;
    int cols = w[0].length;
    double[][] cur = w;
    iterations[0] = 0;
    for (int it = 0; it < maxIter; it++) {
      double[][] wtw = new double[cols][cols];
      for (int i = 0; i < cols; i++) {
        for (int j = 0; j < cols; j++) {
          for (int r = 0; r < rows; r++) {
            wtw[i][j] += cur[r][i] * cur[r][j];
          }
        }
      }
      double[][] next = new double[rows][cols];
      double move = 0;
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < cols; j++) {
          double cube = 0;
          for (int k = 0; k < cols; k++) {
            cube += cur[r][k] * wtw[k][j];
          }
          next[r][j] = (1 + beta) * cur[r][j] - beta * cube;
          move += (next[r][j] - cur[r][j]) * (next[r][j] - cur[r][j]);
        }
      }
      cur = next;
      if (moves != null) {
        moves[it] = Math.sqrt(move);
      }
      iterations[0]++;
      if (Math.sqrt(move) < eps) {
        break;
      }
    }
    return cur;
  }

  private static double[][] graph(double[][] w, int maxIter, double beta, double eps) {
    int rows = w.length;
    int cols = w[0].length;
    double[] flat = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(w[r], 0, flat, r * cols, cols);
    }
    try (Graph g = new Graph(); Session s = new Session(g);
        TFloat64 in = TFloat64.tensorOf(Shape.of(rows, cols), DataBuffers.of(flat, true, false))) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(rows, cols)));
      Operand<TFloat64> out = Bjorck.orthonormalize(tf, x, maxIter, beta, eps);
      try (Result res = s.runner().feed(x, in).fetch(out).run()) {
        TFloat64 t = (TFloat64) res.get(0);
        double[] o = new double[rows * cols];
        t.copyTo(DataBuffers.of(o, false, false));
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(o, r * cols, m[r], 0, cols);
        }
        return m;
      }
    }
  }

  /** A matrix of Frobenius norm 0.9 (so spectral norm below 1) whose columns are scaled unevenly. */
  private static double[][] matrix(int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] m = new double[rows][cols];
    double norm = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = r.nextGaussian() * (j == 0 ? 1 : 0.05 + 0.3 * r.nextDouble());
        norm += m[i][j] * m[i][j];
      }
    }
    double scale = 0.9 / Math.sqrt(norm);
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] *= scale;
      }
    }
    return m;
  }

  /**
   * Runs both with an eps just above the move of a middle iteration, so that the graph's stop must fall on that
   * iteration, and with one just below it, so that it must not: a move misjudged by 20% either way stops one
   * iteration early or late.
   */
  private static void assertStopsAtTheSameIteration(int rows, int cols, long seed) {
    double[][] w = matrix(rows, cols, seed);
    int maxIter = 30;
    double[] moves = new double[maxIter];
    direct(w, maxIter, 0.5, 0, new int[1], moves);
    // The first iteration whose move is well below every earlier one (early moves grow with small singular values).
    int stop = 1;
    double earlier = moves[0];
    while (!(earlier > 1.5 * moves[stop] && moves[stop] > 1e-6)) {
      earlier = Math.min(earlier, moves[stop]);
      stop++;
    }
    assertSame(w, maxIter, 1.2 * moves[stop], stop + 1);
    // Just below that move, both must go on to the next iteration.
    assertSame(w, maxIter, 0.85 * moves[stop], moves[stop + 1] < 0.85 * moves[stop] ? stop + 2 : -1);
  }

  /** expectedIterations: how many iterations deel-lip's loop must run (checked when positive). */
  private static void assertSame(double[][] w, int maxIter, double eps, int expectedIterations) {
    int rows = w.length;
    int cols = w[0].length;
    int[] ran = new int[1];
    double[][] expected = direct(w, maxIter, 0.5, eps, ran, null);
    if (expectedIterations > 0) {
      assertEquals(expectedIterations, ran[0], rows + "x" + cols + ": iterations of deel-lip's loop");
    }
    double[][] got = graph(w, maxIter, 0.5, eps);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        assertEquals(expected[r][c], got[r][c], 1e-12, rows + "x" + cols + " [" + r + "][" + c + "] after "
            + ran[0] + " iterations");
      }
    }
  }

  @Test
  void tallMatricesStopWhereDeelLipsLoopStops() {
    assertStopsAtTheSameIteration(40, 6, 1);
    assertStopsAtTheSameIteration(30, 12, 2);
  }

  @Test
  void wideMatricesStopWhereDeelLipsLoopStops() {
    assertStopsAtTheSameIteration(6, 40, 3);
    assertStopsAtTheSameIteration(12, 30, 4);
  }

  /** Near-square matrices (3n >= 2m) take the direct loop: the same stop and result. */
  @Test
  void nearSquareMatricesStopWhereDeelLipsLoopStops() {
    assertStopsAtTheSameIteration(9, 8, 7);
    assertStopsAtTheSameIteration(8, 12, 8);
    assertStopsAtTheSameIteration(7, 7, 9);
  }

  @Test
  void theIterationCapHolds() {
    assertSame(matrix(40, 6, 5), 3, 1e-3, 3);
    assertSame(matrix(6, 40, 6), 3, 1e-3, 3);
  }
}
