package org.jlip.attack;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jlip.io.Progress;

/**
 * L2 projected gradient descent (Madry et al. 2018) on the margin loss max_{j != y} f_j - f_y (one logit:
 * -s f): each step moves x by stepSize along the normalised input gradient, then projects onto the L2 ball of
 * radius eps around the input and clips to the box. A sample counts as broken when its prediction differs from
 * the label at any iterate; the first such point is kept.
 */
public final class Pgd {
  private Pgd() {}

  /**
   * @param images inputs [n*H*W*C], row-major NHWC
   * @param labels true labels in [0, K) (one logit: {0, 1})
   */
  public static PgdResult run(Classifier c, float[] images, int[] labels, PgdConfig cfg) {
    int d = c.imageSize();
    int n = checkInputs(c, images, labels);
    AttackOps ops = c.ops();
    float[] adv = new float[n * d];
    boolean[] success = new boolean[n];
    double[] norm = new double[n];
    int[] clean = new int[n];
    int[] last = new int[n];
    int batches = (n + cfg.batchSize() - 1) / cfg.batchSize();
    try (Progress p = Progress.start(String.format(Locale.ROOT, "pgd eps=%.3g", cfg.eps()), batches)) {
      for (int b = 0; b < batches; b++) {
        int from = b * cfg.batchSize();
        int m = Math.min(cfg.batchSize(), n - from);
        float[] x0 = Arrays.copyOfRange(images, from * d, (from + m) * d);
        int[] y = Arrays.copyOfRange(labels, from, from + m);
        double[] eps = new double[m];
        Arrays.fill(eps, cfg.eps());
        SplittableRandom rng = cfg.randomStart() ? new SplittableRandom(cfg.seed() + b) : null;
        PgdEngine.Outcome o = PgdEngine.attack(ops, c, x0, y, m, eps, cfg.relativeStep(), cfg.steps(),
            cfg.clipMin(), cfg.clipMax(), null, rng);
        System.arraycopy(o.adversarial(), 0, adv, from * d, m * d);
        System.arraycopy(o.success(), 0, success, from, m);
        System.arraycopy(o.norm(), 0, norm, from, m);
        System.arraycopy(o.cleanPrediction(), 0, clean, from, m);
        System.arraycopy(o.finalPrediction(), 0, last, from, m);
        p.step();
      }
    }
    return new PgdResult(cfg.eps(), labels.clone(), clean, success, last, norm, adv);
  }

  /** Validates sizes and labels; returns the number of samples. */
  static int checkInputs(Classifier c, float[] images, int[] labels) {
    int d = c.imageSize();
    if ((long) labels.length * d != images.length) {
      throw new IllegalArgumentException("images.length must be labels.length * " + d + " = "
          + (long) labels.length * d + ", got " + images.length);
    }
    int classes = Math.max(2, c.numClasses());
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("labels must be in [0, " + classes + "), got " + labels[i]
            + " at index " + i);
      }
    }
    return labels.length;
  }
}
