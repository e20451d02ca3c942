package org.jlip.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * deel-lip's Householder activation: the last axis is split into halves z1, z2 and each pair (z1_i, z2_i) is kept
 * where s = z1 sin(theta/2) - z2 cos(theta/2) <= 0 and reflected across the line at angle theta/2 elsewhere:
 * (z1 cos theta + z2 sin theta, z1 sin theta - z2 cos theta). The map is continuous (the two pieces agree where
 * s = 0) and orthogonal on each piece, so it is exactly 1-Lipschitz whatever theta, which is trained.
 *
 * <p>The piece is chosen by a mask held out of the gradient (s <= 0 is a step function), so no select op, whose
 * gradient TensorFlow Java's registry may lack, is differentiated.
 */
public final class Householder extends AbstractLipLayer<HouseholderConfig> implements Condensable {
  private Variable<TFloat32> theta;

  public Householder(HouseholderConfig config) {
    super(config, "householder");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    long c = inputShape[inputShape.length - 1];
    if (c % 2 != 0) {
      throw new IllegalArgumentException("Householder '" + name() + "' needs an even last axis, got shape "
          + Arrays.toString(inputShape));
    }
    float[] init = new float[(int) (c / 2)];
    Arrays.fill(init, config.thetaInitial().floatValue());
    theta = trainableVariable(tf, "theta", new long[] {c / 2}, init);
    return inputShape.clone();
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    Operand<TFloat32> th = tf.identity(theta);
    List<Operand<TFloat32>> halves = tf.split(tf.constant(-1), x, 2L).output().stream()
        .map(o -> (Operand<TFloat32>) o).toList();
    Operand<TFloat32> z1 = halves.get(0);
    Operand<TFloat32> z2 = halves.get(1);
    Operand<TFloat32> half = tf.math.mul(th, tf.constant(0.5f));
    Operand<TFloat32> s = tf.math.sub(tf.math.mul(z1, tf.math.sin(half)), tf.math.mul(z2, tf.math.cos(half)));
    Operand<TFloat32> cos = tf.math.cos(th);
    Operand<TFloat32> sin = tf.math.sin(th);
    Operand<TFloat32> r1 = tf.math.add(tf.math.mul(z1, cos), tf.math.mul(z2, sin));
    Operand<TFloat32> r2 = tf.math.sub(tf.math.mul(z1, sin), tf.math.mul(z2, cos));
    Operand<TFloat32> reflect = tf.stopGradient(tf.dtypes.cast(tf.math.greater(s, tf.constant(0f)), TFloat32.class));
    Operand<TFloat32> a = tf.math.add(z1, tf.math.mul(reflect, tf.math.sub(r1, z1)));
    Operand<TFloat32> b = tf.math.add(z2, tf.math.mul(reflect, tf.math.sub(r2, z2)));
    return tf.concat(List.of(a, b), tf.constant(-1));
  }

  @Override
  public boolean isLipschitz() {
    return true;
  }

  @Override
  public double nominalLipschitz() {
    return 1.0;
  }

  /** deel-lip's Householder ignores its k_coef_lip: the layer is 1-Lipschitz and takes no share of the model's. */
  @Override
  public boolean takesModelFactor() {
    return false;
  }

  @Override
  public LayerBound bound(Session session) {
    return LayerBound.exact(1.0);
  }

  /** Exports as itself, with its trained angles. */
  @Override
  public LayerConfig vanillaConfig() {
    return new HouseholderConfig(config.thetaInitial(), name());
  }

  @Override
  public Map<String, float[]> vanillaWeights(Session session) {
    requireBuilt();
    return Map.of("theta", read(session, theta));
  }
}
