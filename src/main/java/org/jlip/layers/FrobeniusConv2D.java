package org.jlip.layers;

import java.util.Map;
import java.util.List;
import org.jlip.normalize.ConvCoefficient;
import org.jlip.normalize.FrobeniusNormalization;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * deel-lip FrobeniusConv2D (stride 1, padding same): W_bar = kernel / ||kernel||_F * conv coefficient * k; state
 * wbar; bound by the DFT of wbar (see {@link org.jlip.certify.OperatorNorms#convDftBound}).
 */
public final class FrobeniusConv2D extends AbstractLipLayer<FrobeniusConv2DConfig> implements Condensable {
  private static final List<Integer> STRIDES = List.of(1, 1);
  private Variable<TFloat32> kernel;
  private Variable<TFloat32> bias;
  private Variable<TFloat32> wbar;
  private double convCoefficient;

  public FrobeniusConv2D(FrobeniusConv2DConfig config) {
    super(config, "frobenius_conv2d");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "image (h, w, channels)");
    ConvSupport.KernelShape k = ConvSupport.KernelShape.of(config.kernelSize(), inputShape, config.filters());
    convCoefficient = ConvCoefficient.of(k.kh(), k.kw(), 1, 1, inputShape[0], inputShape[1]);
    float[] init = Initializers.orthogonal(k.fanIn(), k.cout(), seed);
    kernel = trainableVariable(tf, "kernel", k.dims(), init);
    bias = biasVariable(tf, config.useBias(), k.cout());
    wbar = stateVariable(tf, "wbar", k.dims(),
        Kernels.scaled(init, (float) (convCoefficient * nominalLipschitz() / Kernels.frobeniusNorm(init))));
    return ConvSupport.outputShape(name(), inputShape, config.kernelSize(), STRIDES, "same", k.cout());
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    if (!training) {
      return conv(tf, x, tf.identity(wbar));
    }
    Operand<TFloat32> w = normalized(tf);
    return afterUpdates(tf, conv(tf, x, w), List.of(tf.assign(wbar, w)));
  }

  @Override
  public List<Op> condense(Ops tf) {
    requireBuilt();
    return List.of(tf.assign(wbar, normalized(tf)));
  }

  private Operand<TFloat32> normalized(Ops tf) {
    return tf.math.mul(FrobeniusNormalization.whole(tf, tf.identity(kernel)),
        tf.constant((float) (convCoefficient * nominalLipschitz())));
  }

  private Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return Kernels.conv(tf, x, w, bias, STRIDES, "same");
  }

  @Override
  public boolean isLipschitz() {
    return true;
  }

  @Override
  public double nominalLipschitz() {
    return coefficient(config.kCoefLip());
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

  @Override
  public Map<String, float[]> vanillaWeights(Session session) {
    return exportedWeights(session, wbar, bias);
  }
}
