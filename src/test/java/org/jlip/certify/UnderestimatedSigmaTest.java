package org.jlip.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.jlip.attack.CertificateSoundness;
import org.jlip.attack.Classifier;
import org.jlip.attack.MinimalNormConfig;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.LipLayer;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelSpec;
import org.jlip.train.Evaluation;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Spectral normalisation alone (no Bjorck) with a power iteration stopped after one step from a poor start
 * underestimates sigma, so the layers exceed their nominal 1: the measured bound sees it, certificates shrink
 * with it, and attacks never get inside them.
 */
class UnderestimatedSigmaTest {

  private static SpectralDenseConfig layer(int units) {
    return new SpectralDenseConfig(units, true, null, null, 1, null, 0, null, null);
  }

  @Test
  void measuredBoundEqualsTheLayersSvdAndItsCertificatesHold() throws IOException {
    ModelSpec spec = new ModelSpec(List.of(28, 28, 1), List.of(new FlattenConfig(), layer(64),
        new GroupSort2Config(), layer(10)));
    Dataset test = FashionMnist.load(Split.TEST).take(40);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      LipschitzSequential model = new LipschitzSequential(spec);
      model.build(tf, 3);
      List<Op> condense = model.condense(tf);
      s.initialize();
      SplittableRandom rnd = new SplittableRandom(8);
      for (Variable<TFloat32> v : model.trainableVariables()) {
        float[] w = new float[(int) v.shape().size()];
        for (int i = 0; i < w.length; i++) {
          w[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        s.runner().addTarget(tf.assign(v, tf.constant(Shape.of(v.shape().asArray()),
            DataBuffers.of(w, true, false)))).run();
      }
      Session.Runner once = s.runner();
      condense.forEach(once::addTarget);
      once.run().close();

      ModelBound bound = model.bound(s);
      double svdProduct = 1;
      for (LipLayer l : model.layers()) {
        if (!l.stateVariables().isEmpty()) {
          Variable<TFloat32> wbar = l.stateVariables().stream()
              .filter(v -> v.op().name().endsWith("_wbar")).findFirst().orElseThrow();
          svdProduct *= largestSingularValue(s, wbar);
        }
      }
      System.out.printf("spectral only, 1 power iteration: nominal %.4f, measured %.6f, independent SVDs %.6f%n",
          bound.nominal(), bound.measured(), svdProduct);
      assertTrue(bound.measured() > 1.01, "sigma was not underestimated: measured " + bound.measured());
      assertEquals(svdProduct, bound.measured(), 1e-6 * svdProduct);

      Classifier c = Classifier.of(model, g, s);
      float[] logits = new float[test.size() * 10];
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(test.size(), 28, 28, 1),
              DataBuffers.of(test.images(), true, false));
          Result r = s.runner().feed(model.input(), x).fetch(model.inferenceOutput()).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(logits, false, false));
      }
      float[] sound = Evaluation.radii(logits, test.labels(), 10, CertificateRule.SQRT2, bound.measured());
      float[] nominal = Evaluation.radii(logits, test.labels(), 10, CertificateRule.SQRT2, 1.0);
      double[] radii = new double[sound.length];
      for (int i = 0; i < sound.length; i++) {
        if (nominal[i] > 0) {
          assertEquals(nominal[i] / bound.measured(), sound[i], 1e-6);
        }
        radii[i] = sound[i];
      }
      assertTrue(CertificateSoundness.check(c, test.images(), test.labels(), radii, MinimalNormConfig.defaults())
          .isEmpty(), "an attack succeeded inside a certificate made with the measured bound");
    }
  }

  private static double largestSingularValue(Session s, Variable<TFloat32> v) {
    try (Result r = s.runner().fetch(v).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      int rows = (int) t.shape().size(0);
      int cols = (int) t.shape().size(1);
      double[][] m = new double[rows][cols];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          m[i][j] = t.getFloat(i, j);
        }
      }
      return new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getSingularValues()[0];
    }
  }
}
