package org.jlip.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MaxMin: concat(relu(x), relu(-x)) along an axis (doubling it), times the layer coefficient. Per coordinate,
 * (relu(a) - relu(b))^2 + (relu(-a) - relu(-b))^2 is (a - b)^2 when a and b share a sign and a^2 + b^2 <= (a - b)^2
 * otherwise, so the layer is exactly (coefficient)-Lipschitz.
 */
public final class MaxMin extends ScaledLipschitzLayer<MaxMinConfig> {
  private int resolvedAxis;

  public MaxMin(MaxMinConfig config) {
    super(config, "max_min", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    resolvedAxis = Axes.resolve("MaxMin '" + name() + "'", config.axis(), inputShape);
    long[] out = inputShape.clone();
    out[resolvedAxis - 1] *= 2;
    return out;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    Operand<TFloat32> y =
        tf.concat(List.of(tf.nn.relu(x), tf.nn.relu(tf.math.neg(x))), tf.constant(resolvedAxis));
    return scaled(tf, y);
  }
}
