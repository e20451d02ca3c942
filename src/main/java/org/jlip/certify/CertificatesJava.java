package org.jlip.certify;

/**
 * The certificates of {@link Certificates} in plain Java over float arrays (reports, no graph). Each radius is
 * computed with the same float operations as the graph ops, so both give identical numbers.
 *
 * <p>Logits {@code [batch][classes]}; labels one-hot ({0,1} or {-1,1}; a value > 0 marks the class).
 */
public final class CertificatesJava {

  private CertificatesJava() {}

  /**
   * Radius against the true label: (f_y - max_{j != y} f_j) / (divisor L), or for BINARY (one column)
   * s f / L with s = +1 if the label > 0 else -1.
   */
  public static float[] radius(float[][] labels, float[][] logits, CertificateRule rule, double lipschitz) {
    CertificateRule.checkLipschitz(lipschitz);
    checkShapes(labels, logits, rule);
    float denominator = (float) (rule.divisor() * lipschitz);
    float[] r = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      if (rule == CertificateRule.BINARY) {
        float s = labels[i][0] > 0 ? 1f : -1f;
        r[i] = s * logits[i][0] / denominator;
      } else {
        r[i] = margin(labels[i], logits[i]) / denominator;
      }
    }
    return r;
  }

  /** BINARY radius from flat arrays: s f / L. */
  public static float[] binaryRadius(float[] labels, float[] logits, double lipschitz) {
    return radius(column(labels), column(logits), CertificateRule.BINARY, lipschitz);
  }

  /**
   * Predicted class (argmax, first on ties; BINARY: 1 if f > 0 else 0) and its radius (>= 0):
   * (f_max - second largest) / (divisor L), or |f| / L for one logit.
   */
  public static PredictedRadii predicted(float[][] logits, CertificateRule rule, double lipschitz) {
    CertificateRule.checkLipschitz(lipschitz);
    checkShapes(logits, logits, rule);
    float denominator = (float) (rule.divisor() * lipschitz);
    long[] labels = new long[logits.length];
    float[] r = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      if (rule == CertificateRule.BINARY) {
        labels[i] = logits[i][0] > 0 ? 1 : 0;
        r[i] = Math.abs(logits[i][0]) / denominator;
      } else {
        float[] oneHot = oneHot(argMax(logits[i]), logits[i].length);
        labels[i] = argMax(logits[i]);
        r[i] = margin(oneHot, logits[i]) / denominator;
      }
    }
    return new PredictedRadii(labels, r);
  }

  /**
   * Disjoint head, pairwise, against the true label: min_{j != y} (f_y - f_j) / (lBody (||w_y|| + ||w_j||)).
   */
  public static float[] pairwiseRadius(float[][] labels, float[][] logits, float[] columnNorms, double lBody) {
    CertificateRule.checkLipschitz(lBody);
    checkShapes(labels, logits, CertificateRule.DISJOINT);
    float[] r = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      r[i] = pairwise(labels[i], logits[i], columnNorms, (float) lBody);
    }
    return r;
  }

  /** The pairwise radius for the predicted class, with that label. */
  public static PredictedRadii pairwisePredicted(float[][] logits, float[] columnNorms, double lBody) {
    CertificateRule.checkLipschitz(lBody);
    checkShapes(logits, logits, CertificateRule.DISJOINT);
    long[] labels = new long[logits.length];
    float[] r = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      int k = argMax(logits[i]);
      labels[i] = k;
      r[i] = pairwise(oneHot(k, logits[i].length), logits[i], columnNorms, (float) lBody);
    }
    return new PredictedRadii(labels, r);
  }

  /** Per epsilon, the fraction of samples with radius > eps. */
  public static double[] provableRobustAccuracy(float[] radius, double[] eps) {
    double[] out = new double[eps.length];
    for (int e = 0; e < eps.length; e++) {
      int n = 0;
      for (float r : radius) {
        if ((double) r > eps[e]) {
          n++;
        }
      }
      out[e] = (double) n / radius.length;
    }
    return out;
  }

  /** Provable average robustness: mean of max(radius, 0). */
  public static double provableAverageRobustness(float[] radius) {
    double sum = 0;
    for (float r : radius) {
      sum += Math.max(r, 0.0);
    }
    return sum / radius.length;
  }

  /** Plain mean of the radii, negative values kept. */
  public static double meanRadius(float[] radius) {
    double sum = 0;
    for (float r : radius) {
      sum += r;
    }
    return sum / radius.length;
  }

  /** Accuracy (radius > 0), provable robust accuracy at each eps, average robustness and mean radius. */
  public static RobustnessSummary summarize(float[] radius, double[] eps) {
    return new RobustnessSummary(provableRobustAccuracy(radius, new double[] {0})[0], eps,
        provableRobustAccuracy(radius, eps), provableAverageRobustness(radius), meanRadius(radius));
  }

  /** f_y - max_{j != y} f_j, with y the columns whose label is > 0 (f_y summed over them, as the graph). */
  private static float margin(float[] label, float[] f) {
    float fy = 0f;
    float other = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < f.length; j++) {
      if (label[j] > 0) {
        fy += f[j];
      } else {
        other = Math.max(other, f[j]);
      }
    }
    return fy - other;
  }

  private static float pairwise(float[] label, float[] f, float[] norms, float lBody) {
    if (norms.length != f.length) {
      throw new IllegalArgumentException("columnNorms has " + norms.length + " values for " + f.length + " classes");
    }
    float fy = 0f;
    float ny = 0f;
    for (int j = 0; j < f.length; j++) {
      if (label[j] > 0) {
        fy += f[j];
        ny += norms[j];
      }
    }
    float best = Float.POSITIVE_INFINITY;
    for (int j = 0; j < f.length; j++) {
      if (!(label[j] > 0)) {
        best = Math.min(best, (fy - f[j]) / (lBody * (ny + norms[j])));
      }
    }
    return best;
  }

  private static int argMax(float[] f) {
    int k = 0;
    for (int j = 1; j < f.length; j++) {
      if (f[j] > f[k]) {
        k = j;
      }
    }
    return k;
  }

  private static float[] oneHot(int k, int n) {
    float[] v = new float[n];
    v[k] = 1f;
    return v;
  }

  private static float[][] column(float[] v) {
    float[][] m = new float[v.length][1];
    for (int i = 0; i < v.length; i++) {
      m[i][0] = v[i];
    }
    return m;
  }

  private static void checkShapes(float[][] labels, float[][] logits, CertificateRule rule) {
    if (labels.length != logits.length) {
      throw new IllegalArgumentException("labels have " + labels.length + " rows, logits " + logits.length);
    }
    for (int i = 0; i < logits.length; i++) {
      int cols = logits[i].length;
      if (labels[i].length != cols) {
        throw new IllegalArgumentException("row " + i + ": labels have " + labels[i].length + " columns, logits "
            + cols);
      }
      if ((rule == CertificateRule.BINARY) != (cols == 1)) {
        throw new IllegalArgumentException("rule " + rule + " does not fit " + cols + " column(s) (BINARY is for"
            + " one logit, DISJOINT/SQRT2 for two classes or more)");
      }
    }
  }
}
