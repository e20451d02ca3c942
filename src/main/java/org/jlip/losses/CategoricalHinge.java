package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * Categorical hinge with margin (one-hot labels): l_i = max(0, minMargin - (f_iy - max_{j != y} f_ij)).
 * Default minMargin = 1, graph-held (see {@link LipLoss}).
 */
public final class CategoricalHinge extends MarginLoss {

  public static final double MIN_MARGIN_DEFAULT = 1.0;

  public CategoricalHinge() {
    this(MIN_MARGIN_DEFAULT);
  }

  public CategoricalHinge(Reduction reduction) {
    this(MIN_MARGIN_DEFAULT, reduction);
  }

  public CategoricalHinge(double minMargin) {
    this(minMargin, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if minMargin is negative, NaN or infinite */
  public CategoricalHinge(double minMargin, Reduction reduction) {
    super("CategoricalHinge", minMargin, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), labels, predictions, 2);
    Operand<T> pos = LossTerms.positives(tf, c.labels());
    Operand<T> f = c.predictions();
    Operand<T> margin = tf.math.sub(LossTerms.trueLogit(tf, pos, f), LossTerms.maxOther(tf, pos, f));
    return tf.nn.relu(tf.math.sub(readMinMargin(tf, f.type()), margin));
  }
}
