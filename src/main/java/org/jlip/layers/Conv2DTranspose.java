package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A plain, unconstrained transposed convolution, kernel [kh, kw, filters, channels] as Keras stores it (glorot-uniform
 * with Keras's fans); measured bound = the DFT bound of the convolution it is the adjoint of.
 */
public final class Conv2DTranspose extends PlainKernelLayer<Conv2DTransposeConfig> {
  public Conv2DTranspose(Conv2DTransposeConfig config) {
    super(config, "conv2d_transpose");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "image (h, w, channels)");
    long[] out = TransposedKernels.outputShape(inputShape, config.kernelSize(), config.strides(), config.padding(),
        config.filters());
    long[] dims = TransposedKernels.dims(config.kernelSize(), config.filters(), inputShape);
    long field = dims[0] * dims[1];
    kernel = trainableVariable(tf, "kernel", dims, Initializers.glorotUniform(field * dims[2] * dims[3],
        field * dims[2], field * dims[3], seed));
    bias = biasVariable(tf, config.useBias(), config.filters());
    return out;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    return TransposedKernels.apply(tf, x, tf.identity(kernel), bias, inputShape, outputShape, config.kernelSize(),
        config.strides(), config.padding());
  }

  @Override
  public LayerBound bound(Session session) {
    requireBuilt();
    return TransposedKernels.bound(nominalLipschitz(), read(session, kernel), inputShape, outputShape,
        config.kernelSize(), config.strides(), config.padding());
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new Conv2DTransposeConfig(config.filters(), config.kernelSize(), config.strides(), config.padding(),
        config.useBias(), name());
  }
}
