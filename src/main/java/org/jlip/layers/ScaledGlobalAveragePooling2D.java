package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * mean over H, W times sqrt(H*W) per channel, times the layer coefficient: [H, W, C] -> [C]. Each output is
 * sum/sqrt(H*W), 1-Lipschitz by Cauchy-Schwarz (tight for spatially constant perturbations).
 */
public final class ScaledGlobalAveragePooling2D extends ScaledLipschitzLayer<ScaledGlobalAveragePooling2DConfig> {

  public ScaledGlobalAveragePooling2D(ScaledGlobalAveragePooling2DConfig config) {
    super(config, "scaled_global_average_pooling2d", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "an [H, W, C]");
    return new long[] {inputShape[2]};
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(new int[] {1, 2}));
    double scale = Math.sqrt((double) inputShape[0] * inputShape[1]) * nominalLipschitz();
    return tf.math.mul(mean, tf.constant((float) scale));
  }
}
