package org.jlip.certify;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceMin;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Certified L2 radii as graph ops (metrics during training, an export's {@code certify} signature). Same
 * numbers as {@link CertificatesJava}: the same float operations in the same order.
 *
 * <p>Logits are [batch, classes] (one logit: [batch] or [batch, 1]); labels one-hot ({0,1} or {-1,1}, a label
 * > 0 is the class) or, for one logit, {0,1} / {-1,1}. Radii are [batch] of the logits' type. Two uses, never
 * mixed: against the TRUE label (misclassified samples get radius <= 0) and for the PREDICTED class (>= 0).
 */
public final class Certificates {

  /** Added to a column to exclude it from a max (or, negated, from a min). */
  static final double EXCLUDE = 1e30;

  private Certificates() {}

  /**
   * Radius against the true label. DISJOINT / SQRT2: (f_y - max_{j != y} f_j) / (divisor L); BINARY:
   * s f / L, s = +1 if the label > 0 else -1.
   */
  public static <T extends TNumber> Operand<T> radius(Ops tf, Operand<? extends TNumber> labels, Operand<T> logits,
      CertificateRule rule, double lipschitz) {
    CertificateRule.checkLipschitz(lipschitz);
    Operand<T> f = matrix(tf, logits, rule);
    Operand<T> y = tf.dtypes.cast(matrix(tf, labels, rule), logits.type());
    checkSameShape(y.shape(), f.shape());
    Operand<T> pos = positives(tf, y);
    Operand<T> denominator = scalar(tf, rule.divisor() * lipschitz, f.type());
    if (rule == CertificateRule.BINARY) {
      Operand<T> s = tf.math.sub(tf.math.mul(pos, scalar(tf, 2, f.type())), scalar(tf, 1, f.type()));
      return tf.math.div(column0(tf, tf.math.mul(s, f)), denominator);
    }
    return tf.math.div(margin(tf, pos, f), denominator);
  }

  /**
   * Radius and label of the predicted class: argmax (first on ties) and (f_max - second largest) / (divisor L);
   * BINARY: label 1 if f > 0 else 0, radius |f| / L.
   */
  public static <T extends TNumber> PredictedCertificate<T> predicted(Ops tf, Operand<T> logits,
      CertificateRule rule, double lipschitz) {
    CertificateRule.checkLipschitz(lipschitz);
    Operand<T> f = matrix(tf, logits, rule);
    Operand<T> denominator = scalar(tf, rule.divisor() * lipschitz, f.type());
    if (rule == CertificateRule.BINARY) {
      Operand<T> f0 = column0(tf, f);
      Operand<TInt64> label = tf.dtypes.cast(tf.math.greater(f0, scalar(tf, 0, f.type())), TInt64.class);
      return new PredictedCertificate<>(label, tf.math.div(tf.math.abs(f0), denominator));
    }
    Operand<TInt64> label = tf.math.argMax(f, tf.constant(-1), TInt64.class);
    Operand<T> pos = oneHot(tf, label, f);
    return new PredictedCertificate<>(label, tf.math.div(margin(tf, pos, f), denominator));
  }

  /**
   * Disjoint head, pairwise and sharper, against the true label:
   * radius = min_{j != y} (f_y - f_j) / (lBody (||w_y|| + ||w_j||)), with the head's column norms [classes].
   */
  public static <T extends TNumber> Operand<T> pairwiseRadius(Ops tf, Operand<? extends TNumber> labels,
      Operand<T> logits, Operand<T> columnNorms, double lBody) {
    Operand<T> f = matrix(tf, logits, CertificateRule.DISJOINT);
    Operand<T> y = tf.dtypes.cast(matrix(tf, labels, CertificateRule.DISJOINT), logits.type());
    checkSameShape(y.shape(), f.shape());
    return pairwise(tf, positives(tf, y), f, columnNorms, lBody);
  }

  /** The pairwise radius for the predicted class (argmax, first on ties), with that label. */
  public static <T extends TNumber> PredictedCertificate<T> pairwisePredicted(Ops tf, Operand<T> logits,
      Operand<T> columnNorms, double lBody) {
    Operand<T> f = matrix(tf, logits, CertificateRule.DISJOINT);
    Operand<TInt64> label = tf.math.argMax(f, tf.constant(-1), TInt64.class);
    return new PredictedCertificate<>(label, pairwise(tf, oneHot(tf, label, f), f, columnNorms, lBody));
  }

  /** Per epsilon, the fraction of samples with radius > eps: [eps.length], float64. */
  public static Operand<TFloat64> provableRobustAccuracy(Ops tf, Operand<? extends TNumber> radius, double[] eps) {
    Operand<TFloat64> r = tf.expandDims(tf.dtypes.cast(radius, TFloat64.class), tf.constant(-1));
    Operand<TFloat64> above = tf.dtypes.cast(tf.math.greater(r, tf.constant(new double[][] {eps})),
        TFloat64.class);
    return tf.math.mean(above, tf.constant(0));
  }

  /** Fraction with radius > 0 (the clean accuracy for radii against the true label), float64 scalar. */
  public static Operand<TFloat64> accuracy(Ops tf, Operand<? extends TNumber> radius) {
    return tf.reshape(provableRobustAccuracy(tf, radius, new double[] {0}), tf.constant(new int[0]));
  }

  /** Provable average robustness: mean of max(radius, 0), float64 scalar. */
  public static Operand<TFloat64> provableAverageRobustness(Ops tf, Operand<? extends TNumber> radius) {
    Operand<TFloat64> r = tf.dtypes.cast(radius, TFloat64.class);
    return tf.math.mean(tf.math.maximum(r, tf.constant(0.0)), tf.constant(0));
  }

  /** Plain mean of the radii, negative values kept, float64 scalar. */
  public static Operand<TFloat64> meanRadius(Ops tf, Operand<? extends TNumber> radius) {
    return tf.math.mean(tf.dtypes.cast(radius, TFloat64.class), tf.constant(0));
  }

  private static <T extends TNumber> Operand<T> pairwise(Ops tf, Operand<T> pos, Operand<T> f,
      Operand<T> columnNorms, double lBody) {
    CertificateRule.checkLipschitz(lBody);
    Operand<T> fi = tf.expandDims(rowSum(tf, tf.math.mul(pos, f)), tf.constant(-1));
    Operand<T> ni = tf.expandDims(rowSum(tf, tf.math.mul(pos, columnNorms)), tf.constant(-1));
    Operand<T> ratio = tf.math.div(tf.math.sub(fi, f),
        tf.math.mul(scalar(tf, lBody, f.type()), tf.math.add(ni, columnNorms)));
    Operand<T> masked = tf.math.add(ratio, tf.math.mul(pos, scalar(tf, EXCLUDE, f.type())));
    return tf.reduceMin(masked, tf.constant(-1), ReduceMin.keepDims(false));
  }

  /** f_y - max_{j != y} f_j, [batch]. */
  private static <T extends TNumber> Operand<T> margin(Ops tf, Operand<T> pos, Operand<T> f) {
    Operand<T> fy = rowSum(tf, tf.math.mul(pos, f));
    Operand<T> others = tf.math.sub(f, tf.math.mul(pos, scalar(tf, EXCLUDE, f.type())));
    return tf.math.sub(fy, tf.reduceMax(others, tf.constant(-1), ReduceMax.keepDims(false)));
  }

  private static <T extends TNumber> Operand<T> oneHot(Ops tf, Operand<TInt64> label, Operand<T> f) {
    Operand<org.tensorflow.types.TInt32> depth = tf.gather(tf.shape(f), tf.constant(1), tf.constant(0));
    return tf.oneHot(label, depth, scalar(tf, 1, f.type()), scalar(tf, 0, f.type()));
  }

  private static <T extends TNumber> Operand<T> positives(Ops tf, Operand<T> y) {
    return tf.dtypes.cast(tf.math.greater(y, scalar(tf, 0, y.type())), y.type());
  }

  private static <T extends TNumber> Operand<T> rowSum(Ops tf, Operand<T> x) {
    return tf.reduceSum(x, tf.constant(-1), ReduceSum.keepDims(false));
  }

  private static <T extends TNumber> Operand<T> column0(Ops tf, Operand<T> x) {
    return tf.reshape(x, tf.constant(new int[] {-1}));
  }

  private static <T extends TNumber> Operand<T> scalar(Ops tf, double v, Class<T> type) {
    return tf.dtypes.cast(tf.constant(v), type);
  }

  /** Rank-1 inputs become one column; the column count must fit the rule when static. */
  private static <T extends TNumber> Operand<T> matrix(Ops tf, Operand<T> x, CertificateRule rule) {
    Shape s = x.shape();
    Operand<T> m = s.numDimensions() == 1 ? tf.expandDims(x, tf.constant(-1)) : x;
    Shape ms = m.shape();
    if (ms.numDimensions() != 2) {
      throw new IllegalArgumentException("certificates need [batch, classes] (or [batch] for one logit), got " + s);
    }
    long cols = ms.get(1);
    if (cols != Shape.UNKNOWN_SIZE && (rule == CertificateRule.BINARY) != (cols == 1)) {
      throw new IllegalArgumentException("rule " + rule + " does not fit " + cols + " column(s): shape " + s
          + " (BINARY is for one logit, DISJOINT/SQRT2 for two classes or more)");
    }
    return m;
  }

  private static void checkSameShape(Shape labels, Shape logits) {
    if (!labels.isCompatibleWith(logits)) {
      throw new IllegalArgumentException("labels shape " + labels + " does not match logits shape " + logits);
    }
  }
}
