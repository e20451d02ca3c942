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
import org.tensorflow.types.TInt32;

/**
 * deel-lip SpectralConv2DTranspose (padding same): the kernel K [kh, kw, filters, channels] (Keras's layout) is
 * normalised through its transpose [kh, kw, channels, filters], reshaped to [kh*kw*channels, filters]: W_bar =
 * Bjorck(W / (sigma + epsSpectral)), times the conv correction coefficient of the layer's input size, times k, as
 * deel-lip builds it. That coefficient does not make a strided layer 1-Lipschitz (measured up to 1.17); the bound
 * reports what the weights achieve: the DFT bound of the convolution the layer is the adjoint of.
 *
 * <p>With {@code exact}, W_bar is further divided by (s + epsSpectral), s the layer's operator norm on its input
 * size, estimated by a power iteration (state v [1, outH, outW, filters], warm-started every step) on the
 * convolution it is the adjoint of, which has the same norm: the layer is then 1-Lipschitz (times k) up to the
 * iteration's tolerance.
 */
public final class SpectralConv2DTranspose extends ConstrainedKernelLayer<SpectralConv2DTransposeConfig> {
  private static final int[] SWAP_CHANNELS = {0, 1, 3, 2};
  private Variable<TFloat32> u;
  private Variable<TFloat32> sigma;
  private Variable<TFloat32> v;
  private double convCoefficient;

  public SpectralConv2DTranspose(SpectralConv2DTransposeConfig config) {
    super(config, "spectral_conv2d_transpose", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 3, "image (h, w, channels)");
    int kh = config.kernelSize().get(0);
    int kw = config.kernelSize().get(1);
    int channels = (int) inputShape[2];
    int filters = config.filters();
    convCoefficient = ConvCoefficient.of(kh, kw, config.strides().get(0), config.strides().get(1), inputShape[0],
        inputShape[1]);
    // Orthogonal as the normalised matrix [kh*kw*channels, filters], stored in Keras's layout.
    float[] init = TransposedConvolution.channelsSwapped(Initializers.orthogonal(kh * kw * channels, filters, seed),
        kh, kw, channels, filters);
    long[] dims = TransposedKernels.dims(config.kernelSize(), filters, inputShape);
    kernel = trainableVariable(tf, "kernel", dims, init);
    bias = biasVariable(tf, config.useBias(), filters);
    u = stateVariable(tf, "u", new long[] {1, filters}, Initializers.normal(filters, seed + 1));
    sigma = stateVariable(tf, "sigma", new long[] {1}, new float[] {1f});
    wbar = stateVariable(tf, "wbar", dims, Kernels.scaled(init, (float) (convCoefficient * nominalLipschitz())));
    long[] out = TransposedKernels.outputShape(inputShape, config.kernelSize(), config.strides(), "same", filters);
    if (config.exact()) {
      v = stateVariable(tf, "v", new long[] {1, out[0], out[1], filters},
          Initializers.normal((int) (out[0] * out[1] * filters), seed + 2));
    }
    return out;
  }

  @Override
  protected Update update(Ops tf) {
    SpectralParams p = new SpectralParams(config.epsSpectral(), config.maxIterSpectral(), config.epsBjorck(),
        config.maxIterBjorck(), config.betaBjorck());
    Operand<TInt32> swap = tf.constant(SWAP_CHANNELS);
    SpectralNormalization.Normalized<TFloat32> n = SpectralNormalization.reshapedKernelOrthogonalization(
        tf, tf.linalg.transpose(tf.identity(kernel), swap), tf.identity(u), p);
    Operand<TFloat32> w = tf.linalg.transpose(tf.math.mul(n.w(), tf.constant((float) convCoefficient)), swap);
    List<Op> assigns = new ArrayList<>();
    assigns.add(tf.assign(u, n.u()));
    assigns.add(tf.assign(sigma, tf.reshape(n.sigma(), tf.constant(new long[] {1}))));
    if (v != null) {
      // The adjoint's norm is the layer's: K as a convolution from filters to channels on the output grid.
      w = ConvSupport.dividedByConvNorm(tf, w, v, config.strides(), config.maxIterSpectral(), config.epsSpectral(),
          assigns);
    }
    w = tf.math.mul(w, tf.constant((float) nominalLipschitz()));
    assigns.add(tf.assign(wbar, w));
    return new Update(w, assigns);
  }

  @Override
  protected Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return TransposedKernels.apply(tf, x, w, bias, inputShape, outputShape, config.kernelSize(), config.strides(),
        "same");
  }

  /** The conv correction coefficient for the build-time input (folded into wbar). */
  public double convCoefficient() {
    requireBuilt();
    return convCoefficient;
  }

  @Override
  public LayerBound bound(Session session) {
    requireBuilt();
    return TransposedKernels.bound(nominalLipschitz(), read(session, wbar), inputShape, outputShape,
        config.kernelSize(), config.strides(), "same");
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new Conv2DTransposeConfig(config.filters(), config.kernelSize(), config.strides(), "same",
        config.useBias(), name());
  }
}
