package org.jlip.layers;

import java.util.List;
import org.jlip.certify.OperatorNorms;
import org.jlip.normalize.FrobeniusNormalization;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * deel-lip FrobeniusDense: W_bar = W / ||W||_F * k, or with disjoint neurons (the default) each column
 * W[:, j] / ||W[:, j]|| * k, so that each output is k-Lipschitz on its own. No power iteration; state wbar.
 * Bound: the largest column norm of wbar per output for a disjoint head; otherwise, and for a disjoint layer inside a
 * model (its unit columns can have a spectral norm up to sqrt(units)), the spectral norm of wbar.
 */
public final class FrobeniusDense extends ConstrainedKernelLayer<FrobeniusDenseConfig> {

  public FrobeniusDense(FrobeniusDenseConfig config) {
    super(config, "frobenius_dense", config.kCoefLip());
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    requireRank(inputShape, 1, "flat");
    int in = (int) inputShape[0];
    int units = config.units();
    float[] init = createKernel(tf, new long[] {in, units}, in, units, config.useBias(), seed);
    wbar = stateVariable(tf, "wbar", new long[] {in, units}, initialWbar(init, in, units));
    return new long[] {units};
  }

  private float[] initialWbar(float[] init, int in, int units) {
    double k = nominalLipschitz();
    float[] out = new float[init.length];
    if (config.disjointNeurons()) {
      double[] norms = OperatorNorms.columnNorms(init, in, units);
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (init[i] / norms[i % units] * k);
      }
    } else {
      double norm = Kernels.frobeniusNorm(init);
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (init[i] / norm * k);
      }
    }
    return out;
  }

  @Override
  protected Update update(Ops tf) {
    Operand<TFloat32> k = tf.identity(kernel);
    Operand<TFloat32> n = config.disjointNeurons()
        ? FrobeniusNormalization.perOutput(tf, k) : FrobeniusNormalization.whole(tf, k);
    Operand<TFloat32> w = tf.math.mul(n, tf.constant((float) nominalLipschitz()));
    return new Update(w, List.of(tf.assign(wbar, w)));
  }

  @Override
  protected Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    return Kernels.affine(tf, x, w, bias);
  }

  /** The bound of this layer as a model's head: per output when its neurons are disjoint. */
  @Override
  public LayerBound bound(Session session) {
    return bound(session, true);
  }

  @Override
  public LayerBound bound(Session session, boolean head) {
    requireBuilt();
    float[] w = read(session, wbar);
    int in = (int) inputShape[0];
    if (config.disjointNeurons() && head) {
      double max = 0;
      for (double n : OperatorNorms.columnNorms(w, in, config.units())) {
        max = Math.max(max, n);
      }
      return new LayerBound(nominalLipschitz(), max, max, "column-norms", true);
    }
    double s = OperatorNorms.spectralNorm(w, in, config.units());
    return new LayerBound(nominalLipschitz(), s, s, "svd", false);
  }

  /** The L2 norm of each output neuron's inference weights (the columns of W_bar). */
  public float[] columnNorms(Session session) {
    requireBuilt();
    double[] n = OperatorNorms.columnNorms(read(session, wbar), (int) inputShape[0], config.units());
    float[] out = new float[n.length];
    for (int i = 0; i < n.length; i++) {
      out[i] = (float) n[i];
    }
    return out;
  }

  @Override
  public LayerConfig vanillaConfig() {
    return new DenseConfig(config.units(), config.useBias(), name());
  }
}
