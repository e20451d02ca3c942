package org.jlip.layers;

import java.util.ArrayList;
import java.util.List;
import org.jlip.normalize.ConvCoefficient;
import org.jlip.normalize.SpectralNormalization;
import org.jlip.normalize.SpectralParams;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * deel-lip SpectralConv2D (padding same): W_bar = Bjorck(W / (sigma + epsSpectral)) on the kernel reshaped to
 * [kh*kw*cin, cout], times the conv correction coefficient of the build-time input size, times k. That makes
 * the reshaped kernel orthonormal but the convolution only about 1-Lipschitz (measured up to ~2.5% above); the
 * bound reports what the weights achieve (DFT bound, guaranteed, valid for strides > 1 too since subsampling is
 * a contraction).
 *
 * <p>With {@code exact}, W_bar is further divided by (s + epsSpectral), s the operator norm of the convolution
 * on the build-time input, estimated by a power iteration on the convolution and its transpose whose vector
 * (state v [1, h, w, cin]) is warm-started every step (maxIterSpectral iterations per step): the layer is then
 * 1-Lipschitz (times k) up to the iteration's tolerance.
 */
public final class SpectralConv2D extends ConstrainedKernelLayer<SpectralConv2DConfig> {
  private Variable<TFloat32> u;
  private Variable<TFloat32> sigma;
  private Variable<TFloat32> v;
  private double convCoefficient;

  public SpectralConv2D(SpectralConv2DConfig config) {
    super(config, "spectral_conv2d", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "image (h, w, channels)");
    ConvSupport.KernelShape k = ConvSupport.KernelShape.of(config.kernelSize(), inputShape, config.filters());
    int cin = k.cin();
    int cout = k.cout();
    convCoefficient = ConvCoefficient.of(k.kh(), k.kw(), config.strides().get(0), config.strides().get(1),
        inputShape[0], inputShape[1]);
    long[] kshape = k.dims();
    float[] init = createKernel(tf, kshape, k.fanIn(), cout, config.useBias(), seed);
    u = stateVariable(tf, "u", new long[] {1, cout}, Initializers.normal(cout, seed + 1));
    sigma = stateVariable(tf, "sigma", new long[] {1}, new float[] {1f});
    // Consistent with the orthogonal init (up to the exact-mode division, made by the first update/condense).
    wbar = stateVariable(tf, "wbar", kshape,
        Kernels.scaled(init, (float) (convCoefficient * nominalLipschitz())));
    if (config.exact()) {
      int n = (int) (inputShape[0] * inputShape[1] * cin);
      v = stateVariable(tf, "v", new long[] {1, inputShape[0], inputShape[1], cin},
          Initializers.normal(n, seed + 2));
    }
    return ConvSupport.outputShape(name(), inputShape, config.kernelSize(), config.strides(), "same", cout);
  }

  @Override
  protected Update update(Ops tf) {
    SpectralParams p = new SpectralParams(config.epsSpectral(), config.maxIterSpectral(), config.epsBjorck(),
        config.maxIterBjorck(), config.betaBjorck());
    SpectralNormalization.Normalized<TFloat32> n = SpectralNormalization.reshapedKernelOrthogonalization(
        tf, tf.identity(kernel), tf.identity(u), p);
    Operand<TFloat32> w = tf.math.mul(n.w(), tf.constant((float) convCoefficient));
    List<Op> assigns = new ArrayList<>();
    assigns.add(tf.assign(u, n.u()));
    assigns.add(tf.assign(sigma, tf.reshape(n.sigma(), tf.constant(new long[] {1}))));
    if (v != null) {
      w = ConvSupport.dividedByConvNorm(tf, w, v, config.strides(), config.maxIterSpectral(), config.epsSpectral(),
          assigns);
    }
    w = tf.math.mul(w, tf.constant((float) nominalLipschitz()));
    assigns.add(tf.assign(wbar, w));
    return new Update(w, assigns);
  }

  @Override
  protected Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return Kernels.conv(tf, x, w, bias, config.strides(), "same");
  }

  /** The conv correction coefficient for the build-time input (folded into wbar). */
  public double convCoefficient() {
    requireBuilt();
    return convCoefficient;
  }

  @Override
  public LayerBound bound(Session session) {
    requireBuilt();
    return ConvSupport.bound(nominalLipschitz(), read(session, wbar), inputShape, config.kernelSize(),
        config.strides(), "same");
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new Conv2DConfig(config.filters(), config.kernelSize(), config.strides(), "same", config.useBias(), name());
  }
}
