package org.jlip.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * avgpool(x) * sqrt(ph*pw) over non-overlapping windows (stride = pool size, VALID), times the layer coefficient:
 * each output is sum(window)/sqrt(ph*pw), 1-Lipschitz by Cauchy-Schwarz (tight for constant windows), and the
 * windows are disjoint. H and W must be divisible by the pool size.
 */
public final class ScaledAveragePooling2D extends ScaledLipschitzLayer<ScaledAveragePooling2DConfig> {

  public ScaledAveragePooling2D(ScaledAveragePooling2DConfig config) {
    super(config, "scaled_average_pooling2d", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "an [H, W, C]");
    return Windows.pooledShape("ScaledAveragePooling2D '" + name() + "'", inputShape, config.poolSize());
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    List<Long> window = Windows.window4(config.poolSize());
    Operand<TFloat32> pooled = tf.nn.avgPool(x, window, window, "VALID");
    double scale = Windows.scale(config.poolSize(), nominalLipschitz());
    return tf.math.mul(pooled, tf.constant((float) scale));
  }
}
