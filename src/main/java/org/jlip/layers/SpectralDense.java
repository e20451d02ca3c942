package org.jlip.layers;

import java.util.List;
import org.jlip.certify.OperatorNorms;
import org.jlip.normalize.SpectralNormalization;
import org.jlip.normalize.SpectralParams;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * deel-lip SpectralDense: y = x W_bar + b, W_bar = Bjorck(W / (sigma + epsSpectral)) * k, sigma from a
 * warm-started power iteration (state u [1, units]). A training call recomputes W_bar and updates u, sigma and
 * wbar; an inference call reads wbar only. Its bound is the spectral norm of wbar (an SVD).
 */
public final class SpectralDense extends ConstrainedKernelLayer<SpectralDenseConfig> {
  private Variable<TFloat32> u;
  private Variable<TFloat32> sigma;

  public SpectralDense(SpectralDenseConfig config) {
    super(config, "spectral_dense", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 1, "flat");
    int in = (int) inputShape[0];
    int units = config.units();
    float[] init = createKernel(tf, new long[] {in, units}, in, units, config.useBias(), seed);
    u = stateVariable(tf, "u", new long[] {1, units}, Initializers.normal(units, seed + 1));
    sigma = stateVariable(tf, "sigma", new long[] {1}, new float[] {1f});
    // The orthogonal initial kernel is its own normalisation, so wbar starts consistent with it.
    wbar = stateVariable(tf, "wbar", new long[] {in, units}, Kernels.scaled(init, (float) nominalLipschitz()));
    return new long[] {units};
  }

  @Override
  protected Update update(Ops tf) {
    SpectralNormalization.Normalized<TFloat32> n = SpectralNormalization.reshapedKernelOrthogonalization(
        tf, tf.identity(kernel), tf.identity(u), params(config));
    Operand<TFloat32> w = tf.math.mul(n.w(), tf.constant((float) nominalLipschitz()));
    List<Op> assigns = List.of(tf.assign(u, n.u()),
        tf.assign(sigma, tf.reshape(n.sigma(), tf.constant(new long[] {1}))), tf.assign(wbar, w));
    return new Update(w, assigns);
  }

  @Override
  protected Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return Kernels.affine(tf, x, w, bias);
  }

  static SpectralParams params(SpectralDenseConfig c) {
    return new SpectralParams(c.epsSpectral(), c.maxIterSpectral(), c.epsBjorck(), c.maxIterBjorck(),
        c.betaBjorck());
  }

  @Override
  public LayerBound bound(Session session) {
    requireBuilt();
    double s = OperatorNorms.spectralNorm(read(session, wbar), (int) inputShape[0], config.units());
    return new LayerBound(nominalLipschitz(), s, s, "svd", false);
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new DenseConfig(config.units(), config.useBias(), name());
  }
}
