package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A plain, unconstrained convolution (glorot-uniform kernel, padding "same" or "valid"); measured bound = the
 * DFT bound of its kernel, which holds for either padding and any stride.
 */
public final class Conv2D extends PlainKernelLayer<Conv2DConfig> {

  public Conv2D(Conv2DConfig config) {
    super(config, "conv2d");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "image (h, w, channels)");
    ConvSupport.KernelShape k = ConvSupport.KernelShape.of(config.kernelSize(), inputShape, config.filters());
    long[] out = ConvSupport.outputShape(name(), inputShape, config.kernelSize(), config.strides(),
        config.padding(), k.cout());
    kernel = trainableVariable(tf, "kernel", k.dims(), Initializers.glorotUniform((long) k.fanIn() * k.cout(),
        (long) k.fanIn(), (long) k.kh() * k.kw() * k.cout(), seed));
    bias = biasVariable(tf, config.useBias(), k.cout());
    return out;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    return Kernels.conv(tf, x, tf.identity(kernel), bias, config.strides(), config.padding());
  }

  @Override
  public LayerBound bound(Session session) {
    requireBuilt();
    return ConvSupport.bound(nominalLipschitz(), read(session, kernel), inputShape, config.kernelSize(),
        config.strides(), config.padding());
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new Conv2DConfig(config.filters(), config.kernelSize(), config.strides(), config.padding(), config.useBias(), name());
  }
}
