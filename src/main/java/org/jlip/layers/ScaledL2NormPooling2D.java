package org.jlip.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * sqrt(avgpool(x^2) + 1e-6) * sqrt(ph*pw) over non-overlapping windows (stride = pool size, VALID), times the layer
 * coefficient (NUMERICS.md's formula; the 1e-6 keeps the gradient finite at an all-zero window). deel-lip instead
 * computes sqrt(avgpool(x^2)) exactly and bounds its gradient with a custom one, dy / (2 (sqrt + 1e-6)): outputs
 * differ by at most sqrt(ph*pw*1e-6) (0.002 for 2x2, at an all-zero window), gradients where a window's norm is
 * below about 1e-3.
 *
 * <p>Still exactly 1-Lipschitz despite the epsilon: each output is sqrt(sum(window^2) + ph*pw*1e-6), the
 * Euclidean norm of the window with a constant coordinate appended; a norm is 1-Lipschitz and the constant
 * cancels in differences. The windows are disjoint, so the layer is 1-Lipschitz (tight far from 0). H and W must
 * be divisible by the pool size.
 */
public final class ScaledL2NormPooling2D extends ScaledLipschitzLayer<ScaledL2NormPooling2DConfig> {
  static final float EPS = 1e-6f;

  public ScaledL2NormPooling2D(ScaledL2NormPooling2DConfig config) {
    super(config, "scaled_l2_norm_pooling2d", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "an [H, W, C]");
    return Windows.pooledShape("ScaledL2NormPooling2D '" + name() + "'", inputShape, config.poolSize());
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    List<Long> window = Windows.window4(config.poolSize());
    Operand<TFloat32> meanSquare = tf.nn.avgPool(tf.math.square(x), window, window, "VALID");
    Operand<TFloat32> norm = tf.math.sqrt(tf.math.add(meanSquare, tf.constant(EPS)));
    double scale = Windows.scale(config.poolSize(), nominalLipschitz());
    return tf.math.mul(norm, tf.constant((float) scale));
  }
}
