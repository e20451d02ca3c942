package org.jlip.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Adam on an explicit list of variables, with its learning rate held in a graph variable so a schedule can
 * change it between steps (the framework's Adam bakes the rate into the graph as a constant). Gradients come
 * from {@code graph.addGradients} on the given variables only, so the layers' state is never trained.
 *
 * <p>Update (TensorFlow's ApplyAdam kernel): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps).
 */
public final class AdamOptimizer {
  public static final float EPSILON = 1e-7f;

  private final Variable<TFloat32> learningRate;
  private final Placeholder<TFloat32> newRate;
  private final Assign<TFloat32> setRate;
  private final Op step;

  /** Builds the gradient and update ops for minimising {@code loss} over {@code variables}. */
  public AdamOptimizer(Graph graph, Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables,
      double rate, double beta1, double beta2) {
    this(graph, tf, loss, variables, rate, beta1, beta2, Map.of(), List.of());
  }

  /**
   * As above, and each variable that is a key of {@code reprojectTo} is first set to the value of the variable
   * it maps to, read once the gradients and {@code stateUpdates} have run: w <- W_bar, then w -= Adam's step
   * for the gradient taken at the old w. This is deel-lip 2.x's training on Keras 3, whose W_bar variable is
   * the kernel itself (keras.Variable(kernel.value) wraps the same TensorFlow variable).
   */
  public AdamOptimizer(Graph graph, Ops tf, Operand<TFloat32> loss, List<Variable<TFloat32>> variables,
      double rate, double beta1, double beta2, Map<Variable<TFloat32>, Variable<TFloat32>> reprojectTo,
      List<Op> stateUpdates) {
    if (!variables.containsAll(reprojectTo.keySet())) {
      throw new IllegalArgumentException("a reprojected variable is not among the trained ones");
    }
    learningRate = tf.withName("adam_learning_rate").variable(tf.constant((float) rate));
    newRate = tf.withName("adam_new_learning_rate").placeholder(TFloat32.class);
    setRate = tf.assign(learningRate, newRate);
    Variable<TFloat32> beta1Power = tf.withName("adam_beta1_power").variable(tf.constant((float) beta1));
    Variable<TFloat32> beta2Power = tf.withName("adam_beta2_power").variable(tf.constant((float) beta2));
    Output<?>[] targets = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] grads = graph.addGradients(loss.asOutput(), targets);
    Operand<TFloat32> b1 = tf.constant((float) beta1);
    Operand<TFloat32> b2 = tf.constant((float) beta2);
    Operand<TFloat32> b1p = tf.identity(beta1Power);
    Operand<TFloat32> b2p = tf.identity(beta2Power);
    Operand<TFloat32> lr = tf.identity(learningRate);
    // Reads of a VariableV2 through Identity alias its buffer: an update that started before the whole backward
    // pass finished would change values other gradients still read (a race that made runs differ). So every
    // update waits for every gradient.
    List<Op> gradientsDone = new ArrayList<>();
    for (Output<?> g : grads) {
      gradientsDone.add(tf.identity(g));
    }
    Ops update = tf.withControlDependencies(gradientsDone);
    List<Op> reprojectDeps = new ArrayList<>(gradientsDone);
    reprojectDeps.addAll(stateUpdates);
    Ops reproject = tf.withControlDependencies(reprojectDeps);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> w = variables.get(i);
      String base = w.op().name();
      // Initialised from the static shape: an initializer must not read another variable.
      Operand<TInt64> shape = tf.constant(w.shape().asArray());
      Variable<TFloat32> m = tf.withName(base + "_adam_m").variable(tf.zeros(shape, TFloat32.class));
      Variable<TFloat32> v = tf.withName(base + "_adam_v").variable(tf.zeros(shape, TFloat32.class));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
      Variable<TFloat32> target = reprojectTo.get(w);
      Ops apply = target == null ? update
          : tf.withControlDependencies(List.of(reproject.assign(w, reproject.identity(target))));
      updates.add(apply.train.applyAdam(w, m, v, b1p, b2p, lr, b1, b2, tf.constant(EPSILON), g));
    }
    Ops after = tf.withControlDependencies(updates);
    step = tf.withControlDependencies(List.of(
            after.assign(beta1Power, after.math.mul(b1p, b1)),
            after.assign(beta2Power, after.math.mul(b2p, b2))))
        .withName("train_step").noOp();
  }

  /** The op that applies one update; run it with the training loss so the batch is the same. */
  public Op step() {
    return step;
  }

  public void setLearningRate(Session session, double rate) {
    try (TFloat32 t = TFloat32.scalarOf((float) rate)) {
      session.runner().feed(newRate, t).addTarget(setRate).run();
    }
  }
}
