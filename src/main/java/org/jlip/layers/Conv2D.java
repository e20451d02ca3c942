package org.jlip.layers;

import java.util.Map;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A plain, unconstrained convolution (glorot-uniform kernel, padding "same" or "valid"); measured bound = the
 * DFT bound of its kernel, which holds for either padding and any stride.
 */
public final class Conv2D extends AbstractLipLayer<Conv2DConfig> implements Condensable {
  private Variable<TFloat32> kernel;
  private Variable<TFloat32> bias;

  public Conv2D(Conv2DConfig config) {
    super(config, "conv2d");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "image (h, w, channels)");
    int kh = config.kernelSize().get(0);
    int kw = config.kernelSize().get(1);
    int cin = (int) inputShape[2];
    int cout = config.filters();
    long[] out = ConvSupport.outputShape(name(), inputShape, config.kernelSize(), config.strides(),
        config.padding(), cout);
    kernel = trainableVariable(tf, "kernel", new long[] {kh, kw, cin, cout},
        Initializers.glorotUniform(kh * kw * cin * cout, (long) kh * kw * cin, (long) kh * kw * cout, seed));
    if (config.useBias()) {
      bias = trainableVariable(tf, "bias", new long[] {cout}, new float[cout]);
    }
    return out;
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    requireBuilt();
    Operand<TFloat32> y = tf.nn.conv2d(x, tf.identity(kernel), ConvSupport.strides4(config.strides()),
        config.padding().toUpperCase(Locale.ROOT));
    return bias == null ? y : tf.nn.biasAdd(y, tf.identity(bias));
  }

  @Override
  public boolean isLipschitz() {
    return false;
  }

  @Override
  public double nominalLipschitz() {
    return Double.POSITIVE_INFINITY;
  }

  @Override
  public LayerBound bound(Session session) {
    requireBuilt();
    return ConvSupport.bound(Double.POSITIVE_INFINITY, read(session, kernel), inputShape, config.kernelSize(),
        config.strides(), config.padding());
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new Conv2DConfig(config.filters(), config.kernelSize(), config.strides(), config.padding(), config.useBias(), name());
  }

  @Override
  public Map<String, float[]> vanillaWeights(Session session) {
    return exportedWeights(session, kernel, bias);
  }
}
