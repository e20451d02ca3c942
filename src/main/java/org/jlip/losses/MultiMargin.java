package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Multi-class margin loss (one-hot labels): l_i = (1/C) sum_{j != y} max(0, minMargin - f_iy + f_ij), divided
 * by C (not C-1), as deel-lip. Default minMargin = 1, graph-held (see {@link LipLoss}).
 */
public final class MultiMargin extends MarginLoss {

  public static final double MIN_MARGIN_DEFAULT = 1.0;

  public MultiMargin() {
    this(MIN_MARGIN_DEFAULT);
  }

  public MultiMargin(Reduction reduction) {
    this(MIN_MARGIN_DEFAULT, reduction);
  }

  public MultiMargin(double minMargin) {
    this(minMargin, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if minMargin is negative, NaN or infinite */
  public MultiMargin(double minMargin, Reduction reduction) {
    super("MultiMargin", minMargin, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    Operand<T> pos = LossTerms.positives(tf, c.labels());
    Operand<T> f = c.predictions();
    Operand<T> fy = tf.expandDims(LossTerms.trueLogit(tf, pos, f), tf.constant(-1));
    Operand<T> m = readMinMargin(tf, f.type());
    Operand<T> others = tf.math.sub(LossTerms.scalar(tf, 1, f.type()), pos);
    return LossTerms.rowMean(tf, tf.math.mul(others, tf.nn.relu(tf.math.add(tf.math.sub(m, fy), f))));
  }
}
