package org.jlip.losses;

import org.tensorflow.Operand;
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import java.util.List;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * {@link TauCategoricalCrossentropy} with integer class labels ([batch] or [batch, 1], values in [0, C)).
 * TF Java has no gradient for the sparse cross-entropy op, so the labels are one-hot encoded and the dense
 * expression is used. Out-of-range labels fail a graph assertion. tau (no default, must be > 0) is graph-held
 * (see {@link LipLoss}).
 */
public final class TauSparseCategoricalCrossentropy extends TauLoss {

  public TauSparseCategoricalCrossentropy(double tau) {
    this(tau, Reduction.AUTO);
  }

  /** @throws IllegalArgumentException if tau is not finite and > 0 */
  public TauSparseCategoricalCrossentropy(double tau, Reduction reduction) {
    super("TauSparseCategoricalCrossentropy", tau, reduction);
  }

  @Override
  <T extends TNumber> Operand<T> perSample(Ops tf, Operand<? extends TNumber> labels, Operand<T> predictions) {
    Shape ls = labels.shape();
    Operand<TInt32> ids = tf.dtypes.cast(labels, TInt32.class);
    if (!ls.isUnknown() && ls.numDimensions() == 2 && ls.get(1) == 1) {
      ids = tf.reshape(ids, tf.constant(new int[] {-1}));
    } else if (ls.isUnknown() || ls.numDimensions() != 1) {
      throw new IllegalArgumentException(name() + ": labels must be class indices of shape [batch] or [batch, 1], got "
          + ls + " beside predictions " + predictions.shape());
    }
    Shape fs = predictions.shape();
    if (fs.isUnknown() || fs.numDimensions() != 2) {
      throw new IllegalArgumentException(name() + ": predictions must be [batch, classes], got " + fs);
    }
    Operand<TInt32> depth = fs.get(1) == Shape.UNKNOWN_SIZE
        ? tf.gather(tf.shape(predictions), tf.constant(1), tf.constant(0)) : tf.constant((int) fs.get(1));
    Operand<TBool> inRange = tf.reduceAll(tf.math.logicalAnd(tf.math.greaterEqual(ids, tf.constant(0)),
        tf.math.less(ids, depth)), tf.constant(0));
    ids = tf.withControlDependencies(List.of(tf.assertThat(inRange,
        List.of(tf.constant(name() + ": class labels must be in [0, classes); classes, labels:"), depth, ids))))
        .identity(ids);
    Class<T> type = predictions.type();
    Operand<T> oneHot = tf.oneHot(ids, depth, LossTerms.scalar(tf, 1, type), LossTerms.scalar(tf, 0, type));
    LossChecks.Checked<T> c = LossChecks.dense(tf, name(), oneHot, predictions, 2);
    Operand<T> t = readTau(tf, type);
    return LossTerms.tauSoftmaxCrossEntropy(tf, c.labels(), c.predictions(), t);
  }
}
