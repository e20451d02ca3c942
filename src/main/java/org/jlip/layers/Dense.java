package org.jlip.layers;

import org.jlip.certify.OperatorNorms;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** y = x W + b with an unconstrained kernel W [d_in, units]; measured bound = the spectral norm of W. */
public final class Dense extends PlainKernelLayer<DenseConfig> {

  public Dense(DenseConfig config) {
    super(config, "dense");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 1, "flat");
    int in = (int) inputShape[0];
    int units = config.units();
    kernel = trainableVariable(tf, "kernel", new long[] {in, units},
        Initializers.glorotUniform((long) in * units, in, units, seed));
    bias = biasVariable(tf, config.useBias(), units);
    return new long[] {units};
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    return Kernels.affine(tf, x, tf.identity(kernel), bias);
  }

  @Override
  public LayerBound bound(Session session) {
    double s = OperatorNorms.spectralNorm(read(session, kernel), (int) inputShape[0], config.units());
    return new LayerBound(nominalLipschitz(), s, s, "svd", false);
  }

  /** A plain Dense exports as itself, under its model-assigned name. */
  @Override
  public LayerConfig vanillaConfig() {
    return new DenseConfig(config.units(), config.useBias(), name());
  }
}
