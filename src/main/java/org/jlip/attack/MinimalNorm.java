package org.jlip.attack;

import java.util.Arrays;
import org.jlip.io.Progress;

/**
 * Estimates each sample's empirical robustness radius: the smallest L2 perturbation found that changes the
 * prediction away from the label. Three stages per batch, each only ever lowering the kept norm, and every
 * kept point checked adversarial by the model itself:
 * <ol>
 *   <li>DeepFool (Moosavi-Dezfooli et al. 2016): at x, for the label y and each j != y, linearise
 *       f_j - f_y with gradient w_j = grad f_j - grad f_y, step to the nearest linearised boundary
 *       r = |f_j - f_y| / ||w_j||^2 w_j, accumulate r, and evaluate x0 + (1 + overshoot) r_total (clipped to the
 *       box). One logit: r = -f / ||grad f||^2 grad f. Exact in one step for a linear model.</li>
 *   <li>A bisection along the segment from x0 to the DeepFool point (removes the overshoot).</li>
 *   <li>A per-sample bisection on eps in [0, best] with PGD probes warm-started along the best direction; a
 *       broken probe lowers the best norm, an unbroken one raises the lower end.</li>
 * </ol>
 */
public final class MinimalNorm {
  private MinimalNorm() {}

  /**
   * @param images inputs [n*H*W*C], row-major NHWC
   * @param labels true labels in [0, K) (one logit: {0, 1})
   */
  public static MinimalNormResult run(Classifier c, float[] images, int[] labels, MinimalNormConfig cfg) {
    int d = c.imageSize();
    int n = Pgd.checkInputs(c, images, labels);
    AttackOps ops = c.ops();
    float[] adv = images.clone();
    double[] norm = new double[n];
    int[] clean = new int[n];
    int[] advPrediction = new int[n];
    int batches = (n + cfg.batchSize() - 1) / cfg.batchSize();
    try (Progress p = Progress.start("minimal-norm attack", batches)) {
      for (int b = 0; b < batches; b++) {
        int from = b * cfg.batchSize();
        int m = Math.min(cfg.batchSize(), n - from);
        float[] x0 = Arrays.copyOfRange(images, from * d, (from + m) * d);
        int[] y = Arrays.copyOfRange(labels, from, from + m);
        float[] best = x0.clone();
        double[] bestNorm = new double[m];
        Arrays.fill(bestNorm, Double.POSITIVE_INFINITY);
        int[] cleanPrediction = deepFool(ops, c, x0, y, m, cfg, best, bestNorm);
        lineSearch(ops, c, x0, y, m, cfg.lineSearchSteps(), best, bestNorm);
        epsSearch(ops, c, x0, y, m, cfg, best, bestNorm);
        System.arraycopy(best, 0, adv, from * d, m * d);
        System.arraycopy(bestNorm, 0, norm, from, m);
        System.arraycopy(cleanPrediction, 0, clean, from, m);
        float[] logits = ops.evaluate(best, y, m, false).logits();
        for (int i = 0; i < m; i++) {
          advPrediction[from + i] = Vectors.predict(logits, i, c.numClasses());
        }
        p.step();
      }
    }
    return new MinimalNormResult(labels.clone(), clean, norm, adv, advPrediction);
  }

  /** Fills best/bestNorm with DeepFool's adversarial points; returns the clean predictions. */
  private static int[] deepFool(AttackOps ops, Classifier c, float[] x0, int[] y, int m, MinimalNormConfig cfg,
      float[] best, double[] bestNorm) {
    int d = c.imageSize();
    int k = c.numClasses();
    int[] clean = new int[m];
    double[] total = new double[m * d];
    float[] x = x0.clone();
    double[] w = new double[d];
    for (int it = 0; it <= cfg.deepFoolSteps(); it++) {
      AttackOps.Jacobian jac = ops.jacobian(x, m);
      int active = 0;
      for (int i = 0; i < m; i++) {
        if (bestNorm[i] < Double.POSITIVE_INFINITY) {
          continue;
        }
        int pred = Vectors.predict(jac.logits(), i, k);
        if (it == 0) {
          clean[i] = pred;
        }
        if (pred != y[i]) {
          Vectors.copyRow(x, best, i, d);
          bestNorm[i] = Vectors.distance(x, x0, i, d);
          continue;
        }
        active++;
        if (it == cfg.deepFoolSteps() || !nearestBoundaryStep(jac, i, y[i], k, d, w)) {
          continue;
        }
        for (int q = 0; q < d; q++) {
          total[i * d + q] += w[q];
          double v = x0[i * d + q] + (1 + cfg.overshoot()) * total[i * d + q];
          x[i * d + q] = (float) Math.min(Math.max(v, Math.min(cfg.clipMin(), x0[i * d + q])),
              Math.max(cfg.clipMax(), x0[i * d + q]));
        }
      }
      if (active == 0) {
        break;
      }
    }
    return clean;
  }

  /**
   * Writes into r the step to the nearest linearised boundary of sample i; false when every boundary is flat.
   * A tiny relative push (1e-4) past the boundary keeps the linear case from landing exactly on it.
   */
  private static boolean nearestBoundaryStep(AttackOps.Jacobian jac, int i, int y, int k, int d, double[] r) {
    float[] f = jac.logits();
    if (k == 1) {
      float[] g = jac.gradients()[0];
      double gg = 0;
      for (int q = 0; q < d; q++) {
        gg += (double) g[i * d + q] * g[i * d + q];
      }
      if (gg == 0) {
        return false;
      }
      double a = -f[i] * 1.0001 / gg;
      for (int q = 0; q < d; q++) {
        r[q] = a * g[i * d + q];
      }
      return true;
    }
    float[] gy = jac.gradients()[y];
    double bestDist = Double.POSITIVE_INFINITY;
    int bestJ = -1;
    double bestGap = 0;
    double bestWw = 0;
    for (int j = 0; j < k; j++) {
      if (j == y) {
        continue;
      }
      float[] gj = jac.gradients()[j];
      double ww = 0;
      for (int q = 0; q < d; q++) {
        double t = (double) gj[i * d + q] - gy[i * d + q];
        ww += t * t;
      }
      double gap = Math.abs((double) f[i * k + j] - f[i * k + y]);
      if (ww > 0 && gap / Math.sqrt(ww) < bestDist) {
        bestDist = gap / Math.sqrt(ww);
        bestJ = j;
        bestGap = gap;
        bestWw = ww;
      }
    }
    if (bestJ < 0) {
      return false;
    }
    double a = bestGap * 1.0001 / bestWw;
    float[] gj = jac.gradients()[bestJ];
    for (int q = 0; q < d; q++) {
      r[q] = a * ((double) gj[i * d + q] - gy[i * d + q]);
    }
    return true;
  }

  /** Bisection on t in [0, 1] along x0 + t (best - x0) for the samples broken with a positive norm. */
  private static void lineSearch(AttackOps ops, Classifier c, float[] x0, int[] y, int m, int steps, float[] best,
      double[] bestNorm) {
    int d = c.imageSize();
    int k = c.numClasses();
    double[] lo = new double[m];
    double[] hi = new double[m];
    float[] delta = new float[m * d];
    boolean any = false;
    for (int i = 0; i < m; i++) {
      hi[i] = 1;
      if (bestNorm[i] > 0 && bestNorm[i] < Double.POSITIVE_INFINITY) {
        any = true;
        for (int q = i * d; q < (i + 1) * d; q++) {
          delta[q] = best[q] - x0[q];
        }
      }
    }
    float[] x = new float[m * d];
    for (int s = 0; s < steps && any; s++) {
      for (int i = 0; i < m; i++) {
        double t = (lo[i] + hi[i]) / 2;
        for (int q = i * d; q < (i + 1) * d; q++) {
          x[q] = (float) (x0[q] + t * delta[q]);
        }
      }
      float[] logits = ops.evaluate(x, y, m, false).logits();
      for (int i = 0; i < m; i++) {
        if (!(bestNorm[i] > 0 && bestNorm[i] < Double.POSITIVE_INFINITY)) {
          continue;
        }
        double t = (lo[i] + hi[i]) / 2;
        if (Vectors.predict(logits, i, k) != y[i]) {
          hi[i] = t;
          double nrm = Vectors.distance(x, x0, i, d);
          if (nrm < bestNorm[i]) {
            bestNorm[i] = nrm;
            Vectors.copyRow(x, best, i, d);
          }
        } else {
          lo[i] = t;
        }
      }
    }
  }

  /** Per-sample bisection on eps with warm-started PGD probes. */
  private static void epsSearch(AttackOps ops, Classifier c, float[] x0, int[] y, int m, MinimalNormConfig cfg,
      float[] best, double[] bestNorm) {
    int d = c.imageSize();
    double[] lo = new double[m];
    double[] eps = new double[m];
    float[] start = new float[m * d];
    for (int s = 0; s < cfg.searchSteps(); s++) {
      for (int i = 0; i < m; i++) {
        double hi = Math.min(bestNorm[i], cfg.maxEps());
        eps[i] = bestNorm[i] == 0 ? 0 : (lo[i] + hi) / 2;
        double scale = bestNorm[i] > 0 && bestNorm[i] < Double.POSITIVE_INFINITY ? eps[i] / bestNorm[i] : 0;
        for (int q = i * d; q < (i + 1) * d; q++) {
          start[q] = (float) (x0[q] + scale * ((double) best[q] - x0[q]));
        }
      }
      PgdEngine.Outcome o = PgdEngine.attack(ops, c, x0, y, m, eps, 2.5 / cfg.pgdSteps(), cfg.pgdSteps(),
          cfg.clipMin(), cfg.clipMax(), start, null);
      for (int i = 0; i < m; i++) {
        if (bestNorm[i] == 0) {
          continue;
        }
        if (o.success()[i] && o.norm()[i] < bestNorm[i]) {
          bestNorm[i] = o.norm()[i];
          Vectors.copyRow(o.adversarial(), best, i, d);
        } else if (!o.success()[i]) {
          lo[i] = eps[i];
        }
      }
    }
  }
}
