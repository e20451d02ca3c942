package org.jlip.layers;

import java.util.List;
import org.jlip.normalize.ConvCoefficient;
import org.jlip.normalize.FrobeniusNormalization;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * deel-lip FrobeniusConv2D (stride 1, padding same): W_bar = kernel / ||kernel||_F * conv coefficient * k; state
 * wbar; bound by the DFT of wbar (see {@link org.jlip.certify.OperatorNorms#convDftBound}).
 */
public final class FrobeniusConv2D extends ConstrainedKernelLayer<FrobeniusConv2DConfig> {
  private static final List<Integer> STRIDES = List.of(1, 1);
  private double convCoefficient;

  public FrobeniusConv2D(FrobeniusConv2DConfig config) {
    super(config, "frobenius_conv2d", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "image (h, w, channels)");
    ConvSupport.KernelShape k = ConvSupport.KernelShape.of(config.kernelSize(), inputShape, config.filters());
    convCoefficient = ConvCoefficient.of(k.kh(), k.kw(), 1, 1, inputShape[0], inputShape[1]);
    float[] init = createKernel(tf, k.dims(), k.fanIn(), k.cout(), config.useBias(), seed);
    wbar = stateVariable(tf, "wbar", k.dims(),
        Kernels.scaled(init, (float) (convCoefficient * nominalLipschitz() / Kernels.frobeniusNorm(init))));
    return ConvSupport.outputShape(name(), inputShape, config.kernelSize(), STRIDES, "same", k.cout());
  }

  @Override
  protected Update update(Ops tf) {
    Operand<TFloat32> w = tf.math.mul(FrobeniusNormalization.whole(tf, tf.identity(kernel)),
        tf.constant((float) (convCoefficient * nominalLipschitz())));
    return new Update(w, List.of(tf.assign(wbar, w)));
  }

  @Override
  protected Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return Kernels.conv(tf, x, w, bias, STRIDES, "same");
  }

  @Override
  public LayerBound bound(Session session) {
    requireBuilt();
    return ConvSupport.bound(nominalLipschitz(), read(session, wbar), inputShape, config.kernelSize(), STRIDES,
        "same");
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new Conv2DConfig(config.filters(), config.kernelSize(), null, "same", config.useBias(), name());
  }
}
