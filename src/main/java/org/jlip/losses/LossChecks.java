package org.jlip.losses;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/** Validation shared by the losses: parameter values (Java side) and label/prediction shapes (graph side). */
final class LossChecks {

  private LossChecks() {}

  /** minMargin, tau...: finite and >= 0. */
  static void nonNegative(String name, double value) {
    if (Double.isNaN(value) || value < 0 || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
  }

  /** tau, temperature: finite and > 0 (a zero would divide by zero). */
  static void positive(String name, double value) {
    if (Double.isNaN(value) || value <= 0 || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
  }

  /** alpha: > 0, +infinity allowed (hinge term alone). */
  static void alpha(String name, double value) {
    if (Double.isNaN(value) || value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0 (or +infinity for the hinge term alone), got " + value);
    }
  }

  /** alphaMean: in [0, 1). */
  static void unitInterval(String name, double value) {
    if (Double.isNaN(value) || value < 0 || value >= 1) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
    }
  }

  /** Labels cast to the predictions' type and shaped like them, checked statically and, where dynamic, in graph. */
  record Checked<T extends TNumber>(Operand<T> labels, Operand<T> predictions) {}

  /**
   * Brings labels and predictions to a common [batch, columns] shape: rank-1 predictions become one column,
   * rank-1 labels beside one-column predictions too. Static mismatches throw IllegalArgumentException naming
   * both shapes; unknown dimensions get a {@code tf.assertThat} that the outputs depend on.
   *
   * @param minColumns 2 for multi-class losses, 1 otherwise
   */
  static <T extends TNumber> Checked<T> dense(Ops tf, String loss, Operand<? extends TNumber> labels,
      Operand<T> predictions, int minColumns) {
    Operand<T> y = tf.dtypes.cast(labels, predictions.type());
    Operand<T> f = predictions;
    Shape fs = f.shape();
    Shape ys = y.shape();
    if (fs.isUnknown() || ys.isUnknown()) {
      throw new IllegalArgumentException(loss + ": labels and predictions need a known rank, got labels "
          + ys + " and predictions " + fs);
    }
    if (fs.numDimensions() == 1) {
      f = tf.expandDims(f, tf.constant(-1));
      fs = f.shape();
    }
    if (ys.numDimensions() == 1 && fs.numDimensions() == 2) {
      y = tf.expandDims(y, tf.constant(-1));
      ys = y.shape();
    }
    if (fs.numDimensions() != 2 || ys.numDimensions() != 2) {
      throw new IllegalArgumentException(loss + ": labels and predictions must be [batch, columns], got labels "
          + labels.shape() + " and predictions " + predictions.shape());
    }
    long cols = fs.get(1);
    if (minColumns > 1 && cols != Shape.UNKNOWN_SIZE && cols < minColumns) {
      throw new IllegalArgumentException(loss + " is a multi-class loss and needs at least " + minColumns
          + " prediction columns, got predictions " + predictions.shape() + " (use the binary loss for one logit)");
    }
    List<Op> asserts = new ArrayList<>();
    boolean dynamic = false;
    for (int d = 0; d < 2; d++) {
      long a = ys.get(d);
      long b = fs.get(d);
      if (a != Shape.UNKNOWN_SIZE && b != Shape.UNKNOWN_SIZE) {
        if (a != b) {
          throw new IllegalArgumentException(loss + ": labels shape " + labels.shape()
              + " does not match predictions shape " + predictions.shape());
        }
      } else {
        dynamic = true;
      }
    }
    if (dynamic) {
      Operand<TInt32> sy = tf.shape(y);
      Operand<TInt32> sf = tf.shape(f);
      asserts.add(tf.assertThat(tf.reduceAll(tf.math.equal(sy, sf), tf.constant(0)),
          List.of(tf.constant(loss + ": labels shape does not match predictions shape; labels, predictions:"),
              sy, sf)));
    }
    if (minColumns > 1 && cols == Shape.UNKNOWN_SIZE) {
      Operand<TInt32> sf = tf.shape(f);
      asserts.add(tf.assertThat(
          tf.math.greaterEqual(tf.gather(sf, tf.constant(1), tf.constant(0)), tf.constant(minColumns)),
          List.of(tf.constant(loss + " is a multi-class loss and needs at least " + minColumns
              + " prediction columns; predictions shape:"), sf)));
    }
    if (!asserts.isEmpty()) {
      Ops guarded = tf.withControlDependencies(asserts);
      y = guarded.identity(y);
      f = guarded.identity(f);
    }
    return new Checked<>(y, f);
  }
}
