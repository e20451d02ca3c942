package org.jlip.attack;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The graph ops every attack needs, added once to a classifier's graph: a label placeholder, the per-sample
 * margin loss, its input gradient and (on demand, for DeepFool) the input gradient of every logit.
 */
final class AttackOps {
  /** Pushes the true class out of the max; large against logits, small enough for float32 sums. */
  private static final float MASK = 1e9f;

  private final Classifier c;
  private final Ops tf;
  private final Placeholder<TInt32> labels;
  private final Operand<TFloat32> margin;
  private final Output<?> marginGradient;
  private Output<?>[] logitGradients;

  AttackOps(Classifier classifier) {
    this.c = classifier;
    this.tf = Ops.create(classifier.graph()).withSubScope("jlip_attack");
    labels = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    margin = margin(tf, classifier.logits(), labels, classifier.numClasses());
    Graph g = classifier.graph();
    marginGradient = g.addGradients(tf.reduceSum(margin, tf.constant(0)).asOutput(),
        new Output<?>[] {classifier.input().asOutput()})[0];
  }

  /**
   * The margin loss, positive exactly when the sample is misclassified:
   * K > 1: m = max_{j != y} f_j - f_y; K = 1: m = -s f with s = 2y - 1 (labels in {0, 1}).
   */
  static Operand<TFloat32> margin(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels, int numClasses) {
    if (numClasses == 1) {
      Operand<TFloat32> s = tf.math.sub(tf.math.mul(tf.constant(2f), tf.dtypes.cast(labels, TFloat32.class)),
          tf.constant(1f));
      return tf.math.neg(tf.math.mul(s, tf.reshape(logits, tf.constant(new long[] {-1}))));
    }
    Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(numClasses), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> trueLogit = tf.reduceSum(tf.math.mul(logits, oneHot), tf.constant(1));
    Operand<TFloat32> others = tf.reduceMax(tf.math.sub(logits, tf.math.mul(oneHot, tf.constant(MASK))),
        tf.constant(1));
    return tf.math.sub(others, trueLogit);
  }

  /** One evaluation of n samples: margins [n], logits [n*K] and, when asked, margin gradients [n*D]. */
  record Evaluation(float[] margin, float[] logits, float[] gradient) {}

  Evaluation evaluate(float[] x, int[] y, int n, boolean withGradient) {
    int d = c.imageSize();
    float[] m = new float[n];
    float[] f = new float[n * c.numClasses()];
    float[] g = withGradient ? new float[n * d] : null;
    try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, c.height(), c.width(), c.channels()), DataBuffers.of(x));
        TInt32 yt = TInt32.tensorOf(Shape.of(n), DataBuffers.of(y))) {
      Session.Runner r = c.session().runner().feed(c.input(), xt).feed(labels, yt).fetch(margin).fetch(c.logits());
      if (withGradient) {
        r.fetch(marginGradient);
      }
      try (Result res = r.run()) {
        ((TFloat32) res.get(0)).copyTo(DataBuffers.of(m, false, false));
        ((TFloat32) res.get(1)).copyTo(DataBuffers.of(f, false, false));
        if (withGradient) {
          ((TFloat32) res.get(2)).copyTo(DataBuffers.of(g, false, false));
        }
      }
    }
    return new Evaluation(m, f, g);
  }

  /** Logits [n*K] and the input gradient of each logit, [K][n*D] (K backward passes in one run). */
  record Jacobian(float[] logits, float[][] gradients) {}

  Jacobian jacobian(float[] x, int n) {
    Output<?>[] grads = logitGradients();
    int k = c.numClasses();
    int d = c.imageSize();
    float[] f = new float[n * k];
    float[][] g = new float[k][n * d];
    try (TFloat32 xt = TFloat32.tensorOf(Shape.of(n, c.height(), c.width(), c.channels()), DataBuffers.of(x))) {
      Session.Runner r = c.session().runner().feed(c.input(), xt).fetch(c.logits());
      for (Output<?> grad : grads) {
        r.fetch(grad);
      }
      try (Result res = r.run()) {
        ((TFloat32) res.get(0)).copyTo(DataBuffers.of(f, false, false));
        for (int j = 0; j < k; j++) {
          ((TFloat32) res.get(j + 1)).copyTo(DataBuffers.of(g[j], false, false));
        }
      }
    }
    return new Jacobian(f, g);
  }

  private synchronized Output<?>[] logitGradients() {
    if (logitGradients == null) {
      int k = c.numClasses();
      logitGradients = new Output<?>[k];
      for (int j = 0; j < k; j++) {
        float[] e = new float[k];
        e[j] = 1f;
        Operand<TFloat32> fj = tf.reduceSum(tf.math.mul(c.logits(), tf.constant(e)), tf.constant(new int[] {0, 1}));
        logitGradients[j] = c.graph().addGradients(fj.asOutput(), new Output<?>[] {c.input().asOutput()})[0];
      }
    }
    return logitGradients;
  }
}
