package org.jlip.attack;

import java.util.SplittableRandom;

/**
 * L2 PGD on one batch with a radius per sample, shared by {@link Pgd} and the binary search of
 * {@link MinimalNorm}. Maximises the margin loss with normalised gradient steps, projects onto the ball and the
 * box after every step, and keeps each sample's first adversarial point (the clean input itself when it is
 * already misclassified). A sample stops moving once broken; the batch stops when all are.
 */
final class PgdEngine {
  private PgdEngine() {}

  /** Outcome for n samples: rows of {@code adversarial} are the first adversarial point, else the last iterate. */
  record Outcome(float[] adversarial, boolean[] success, double[] norm, int[] cleanPrediction,
      int[] finalPrediction) {}

  /**
   * @param eps radius per sample (0 allowed: the sample is only evaluated)
   * @param start starting points [n*d] (warm start, projected first), or null
   * @param rng random start source, or null for none (ignored when start is given)
   */
  static Outcome attack(AttackOps ops, Classifier c, float[] x0, int[] y, int n, double[] eps, double relativeStep,
      int steps, double lo, double hi, float[] start, SplittableRandom rng) {
    int d = c.imageSize();
    int k = c.numClasses();
    float[] adv = x0.clone();
    boolean[] success = new boolean[n];
    double[] norm = new double[n];
    int[] clean = new int[n];
    int[] last = new int[n];
    boolean moved = start != null || rng != null;
    AttackOps.Evaluation e = ops.evaluate(x0, y, n, !moved);
    int remaining = record(e, x0, x0, y, n, d, k, adv, success, norm, last);
    System.arraycopy(last, 0, clean, 0, n);
    float[] x = start != null ? start.clone() : x0.clone();
    for (int i = 0; i < n; i++) {
      if (start == null && rng != null) {
        Vectors.randomInBall(x, x0, i, d, eps[i], rng);
      }
      Vectors.project(x, x0, i, d, eps[i], lo, hi);
    }
    boolean pending = moved;
    for (int t = 0; t < steps && remaining > 0; t++) {
      if (pending) {
        e = ops.evaluate(x, y, n, true);
        remaining = record(e, x, x0, y, n, d, k, adv, success, norm, last);
        if (remaining == 0) {
          break;
        }
      }
      pending = true;
      float[] g = e.gradient();
      for (int i = 0; i < n; i++) {
        if (success[i]) {
          continue;
        }
        double gn = Vectors.norm(g, i, d);
        if (gn == 0 || !Double.isFinite(gn)) {
          continue; // flat (dead ReLUs) or broken gradient: no direction to follow
        }
        double a = relativeStep * eps[i] / gn;
        for (int q = i * d, end = q + d; q < end; q++) {
          x[q] = (float) (x[q] + a * g[q]);
        }
        Vectors.project(x, x0, i, d, eps[i], lo, hi);
      }
    }
    if (pending && remaining > 0) {
      record(ops.evaluate(x, y, n, false), x, x0, y, n, d, k, adv, success, norm, last);
    }
    for (int i = 0; i < n; i++) {
      if (!success[i]) {
        Vectors.copyRow(x, adv, i, d);
        norm[i] = Vectors.distance(x, x0, i, d);
      }
    }
    return new Outcome(adv, success, norm, clean, last);
  }

  /** Marks newly broken samples of the evaluated points x; returns how many are still unbroken. */
  private static int record(AttackOps.Evaluation e, float[] x, float[] x0, int[] y, int n, int d, int k,
      float[] adv, boolean[] success, double[] norm, int[] prediction) {
    int remaining = 0;
    for (int i = 0; i < n; i++) {
      if (success[i]) {
        continue;
      }
      prediction[i] = Vectors.predict(e.logits(), i, k);
      if (prediction[i] != y[i]) {
        success[i] = true;
        Vectors.copyRow(x, adv, i, d);
        norm[i] = Vectors.distance(x, x0, i, d);
      } else {
        remaining++;
      }
    }
    return remaining;
  }
}
