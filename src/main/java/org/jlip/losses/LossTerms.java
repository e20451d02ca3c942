package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.family.TNumber;

/**
 * Graph maths shared by the losses. Inputs are [B, C] (labels already cast to the predictions' type), outputs
 * per sample [B]. Notation as in NUMERICS.md: pos_ik = [y_ik > 0] (so {0,1} and {-1,1} labels agree),
 * s_ik = 2 pos_ik - 1.
 */
final class LossTerms {

  /** KR denominators' epsilon (deel-lip). */
  static final double KR_EPS = 1e-7;
  /** Added to a true-class logit to exclude it from a max or a softmax: exp underflows to exactly 0. */
  private static final double EXCLUDE = -1e30;

  private LossTerms() {}

  static <T extends TNumber> Operand<T> scalar(Ops tf, double v, Class<T> type) {
    return tf.dtypes.cast(tf.constant(v), type);
  }

  /** pos_ik = [y_ik > 0] as 0/1 of type T. */
  static <T extends TNumber> Operand<T> positives(Ops tf, Operand<T> y) {
    return tf.dtypes.cast(tf.math.greater(y, scalar(tf, 0, y.type())), y.type());
  }

  /** s_ik = 2 pos_ik - 1 in {-1, +1}. */
  static <T extends TNumber> Operand<T> signs(Ops tf, Operand<T> pos) {
    return tf.math.sub(tf.math.mul(pos, scalar(tf, 2, pos.type())), scalar(tf, 1, pos.type()));
  }

  /** Number of rows (dynamic), as T. */
  static <T extends TNumber> Operand<T> batchSize(Ops tf, Operand<T> f) {
    return tf.dtypes.cast(tf.gather(tf.shape(f), tf.constant(0), tf.constant(0)), f.type());
  }

  /** Number of columns (dynamic), as T. */
  static <T extends TNumber> Operand<T> columns(Ops tf, Operand<T> f) {
    return tf.dtypes.cast(tf.gather(tf.shape(f), tf.constant(1), tf.constant(0)), f.type());
  }

  /** Mean over the last axis (columns): [B, C] -> [B]. */
  static <T extends TNumber> Operand<T> rowMean(Ops tf, Operand<T> x) {
    return tf.math.mean(x, tf.constant(-1), Mean.keepDims(false));
  }

  /** Sum over the last axis: [B, C] -> [B]. */
  static <T extends TNumber> Operand<T> rowSum(Ops tf, Operand<T> x) {
    return tf.reduceSum(x, tf.constant(-1), ReduceSum.keepDims(false));
  }

  /**
   * KR term: kr_i = (1/C) sum_k B f_ik (pos_ik/(n_k + eps) - (1 - pos_ik)/(B - n_k + eps)), n_k = sum_i pos_ik.
   * Its batch mean is mean_P(f) - mean_notP(f).
   */
  static <T extends TNumber> Operand<T> kr(Ops tf, Operand<T> pos, Operand<T> f) {
    Class<T> t = f.type();
    Operand<T> b = batchSize(tf, f);
    Operand<T> eps = scalar(tf, KR_EPS, t);
    Operand<T> n = tf.reduceSum(pos, tf.constant(0), ReduceSum.keepDims(true));
    Operand<T> neg = tf.math.sub(scalar(tf, 1, t), pos);
    Operand<T> w = tf.math.sub(tf.math.div(pos, tf.math.add(n, eps)),
        tf.math.div(neg, tf.math.add(tf.math.sub(b, n), eps)));
    return rowMean(tf, tf.math.mul(tf.math.mul(b, f), w));
  }

  /** Element-wise hinge max(0, m/2 - s_ik f_ik), [B, C]. */
  static <T extends TNumber> Operand<T> hingeElements(Ops tf, Operand<T> s, Operand<T> f, Operand<T> minMargin) {
    Operand<T> half = tf.math.mul(minMargin, scalar(tf, 0.5, f.type()));
    return tf.nn.relu(tf.math.sub(half, tf.math.mul(s, f)));
  }

  /** Binary hinge: h_i = (1/C) sum_k max(0, m/2 - s_ik f_ik). */
  static <T extends TNumber> Operand<T> hinge(Ops tf, Operand<T> s, Operand<T> f, Operand<T> minMargin) {
    return rowMean(tf, hingeElements(tf, s, f, minMargin));
  }

  /** Multi-class hinge: h_i = (1/C) sum_k w_ik max(0, m/2 - s_ik f_ik), w = C-1 on the true class, 1 elsewhere. */
  static <T extends TNumber> Operand<T> multiclassHinge(Ops tf, Operand<T> pos, Operand<T> s, Operand<T> f,
      Operand<T> minMargin) {
    Operand<T> cMinus2 = tf.math.sub(columns(tf, f), scalar(tf, 2, f.type()));
    Operand<T> w = tf.math.add(scalar(tf, 1, f.type()), tf.math.mul(pos, cMinus2));
    return rowMean(tf, tf.math.mul(w, hingeElements(tf, s, f, minMargin)));
  }

  /**
   * HKR combination: -kr + alpha * hinge; alpha = +infinity gives the hinge alone. The two coefficients are
   * selected so that no inf*0 reaches the value or the gradient.
   */
  static <T extends TNumber> Operand<T> hkr(Ops tf, Operand<T> alpha, Operand<T> kr, Operand<T> hinge) {
    Class<T> t = kr.type();
    Operand<T> infinite = tf.dtypes.cast(tf.math.isInf(alpha), t);
    Operand<T> one = scalar(tf, 1, t);
    Operand<T> krCoef = tf.math.sub(one, infinite);
    // mulNoNan(alpha, 0) = 0 even for alpha = inf.
    Operand<T> hingeCoef = tf.math.add(tf.math.mulNoNan(alpha, krCoef), infinite);
    return tf.math.add(tf.math.neg(tf.math.mul(krCoef, kr)), tf.math.mul(hingeCoef, hinge));
  }

  /** max_{j != y} f_ij for one-hot pos: [B]. */
  static <T extends TNumber> Operand<T> maxOther(Ops tf, Operand<T> pos, Operand<T> f) {
    Operand<T> masked = tf.math.add(f, tf.math.mul(pos, scalar(tf, EXCLUDE, f.type())));
    return tf.reduceMax(masked, tf.constant(-1), ReduceMax.keepDims(false));
  }

  /** f_iy = sum_k pos_ik f_ik: [B]. */
  static <T extends TNumber> Operand<T> trueLogit(Ops tf, Operand<T> pos, Operand<T> f) {
    return rowSum(tf, tf.math.mul(pos, f));
  }

  /** Softmax over the non-true columns of z; 0 on the true column. */
  static <T extends TNumber> Operand<T> softmaxOthers(Ops tf, Operand<T> pos, Operand<T> z) {
    return tf.nn.softmax(tf.math.add(z, tf.math.mul(pos, scalar(tf, EXCLUDE, z.type()))));
  }

  /**
   * Softmax cross-entropy at temperature 1/tau, rescaled: sum_k pos_ik (logsumexp(tau f_i) - tau f_ik) / tau.
   * The max subtracted for stability carries no gradient (logsumexp does not depend on it).
   */
  static <T extends TNumber> Operand<T> tauSoftmaxCrossEntropy(Ops tf, Operand<T> pos, Operand<T> f,
      Operand<T> tau) {
    Operand<T> z = tf.math.mul(tau, f);
    Operand<T> top = tf.stopGradient(tf.reduceMax(z, tf.constant(-1), ReduceMax.keepDims(true)));
    Operand<T> lse = tf.math.add(top, tf.math.log(
        tf.reduceSum(tf.math.exp(tf.math.sub(z, top)), tf.constant(-1), ReduceSum.keepDims(true))));
    return tf.math.div(rowSum(tf, tf.math.mul(pos, tf.math.sub(lse, z))), tau);
  }

  /** Applies optional per-sample weights ([], [B] or [B, 1]) and the reduction to per-sample values [B]. */
  static <T extends TNumber> Operand<T> reduce(Ops tf, Operand<T> perSample, Operand<T> sampleWeights,
      Reduction reduction) {
    Operand<T> l = perSample;
    if (sampleWeights != null) {
      Operand<T> w = sampleWeights.shape().numDimensions() == 0 ? sampleWeights
          : tf.reshape(sampleWeights, tf.constant(new int[] {-1}));
      l = tf.math.mul(l, w);
    }
    return switch (reduction) {
      case NONE -> l;
      case SUM -> tf.reduceSum(l, tf.constant(0));
      case AUTO, SUM_OVER_BATCH_SIZE -> tf.math.mean(l, tf.constant(0));
    };
  }
}
