package org.jlip.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/** Graph ops give exactly the numbers of the plain-Java certificates (and so of the reference JSON). */
class CertificatesTest {

  private static final double[] EPS = {0, 0.05, 0.1, 0.25, 0.5};

  @Test
  void graphAndPlainJavaAgreeExactlyOnRandomLogits() {
    Random rnd = new Random(11);
    int b = 64;
    int c = 5;
    float[][] f = new float[b][c];
    float[][] y = new float[b][c];
    float[] norms = new float[c];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < c; j++) {
        f[i][j] = (float) rnd.nextGaussian();
      }
      y[i][rnd.nextInt(c)] = 1;
    }
    for (int j = 0; j < c; j++) {
      norms[j] = 0.5f + rnd.nextFloat();
    }
    for (CertificateRule rule : new CertificateRule[] {CertificateRule.DISJOINT, CertificateRule.SQRT2}) {
      compare(y, f, norms, rule, 1.37);
    }
    float[][] fb = new float[b][1];
    float[][] yb = new float[b][1];
    for (int i = 0; i < b; i++) {
      fb[i][0] = (float) rnd.nextGaussian();
      yb[i][0] = rnd.nextBoolean() ? 1 : -1;
    }
    compare(yb, fb, null, CertificateRule.BINARY, 0.9);
  }

  @Test
  void graphReproducesTheReferenceCertificates() throws IOException {
    JsonNode cat = CertificatesJavaTest.certificates().get("categorical");
    float[][] f = CertificatesJavaTest.matrix(cat.get("y_pred"));
    float[][] y = CertificatesJavaTest.matrix(cat.get("y_true"));
    Graphed g = graph(y, f, new float[] {1, 1, 1}, CertificateRule.SQRT2, 1.0);
    CertificatesJavaTest.assertClose(cat.get("radius_sqrt2"), g.radius, "graph sqrt2");
    assertEquals(cat.get("provable_robust_accuracy_eps_0.25_sqrt2").asDouble(), g.pra[3], 0);
    assertEquals(cat.get("provable_avg_robustness_sqrt2").asDouble(), g.par, 1e-7);
    CertificatesJavaTest.assertClose(cat.get("radius_disjoint"),
        graph(y, f, new float[] {1, 1, 1}, CertificateRule.DISJOINT, 1.0).radius, "graph disjoint");
    JsonNode bin = CertificatesJavaTest.certificates().get("binary");
    Graphed gb = graph(CertificatesJavaTest.matrix(bin.get("y_true")), CertificatesJavaTest.matrix(bin.get("y_pred")),
        null, CertificateRule.BINARY, 1.0);
    CertificatesJavaTest.assertClose(bin.get("radius"), gb.radius, "graph binary");
    assertEquals(bin.get("provable_robust_accuracy_eps_0.25").asDouble(), gb.pra[3], 0);
    assertEquals(bin.get("provable_avg_robustness").asDouble(), gb.par, 1e-7);
  }

  private static void compare(float[][] y, float[][] f, float[] norms, CertificateRule rule, double l) {
    Graphed g = graph(y, f, norms, rule, l);
    float[] r = CertificatesJava.radius(y, f, rule, l);
    assertArrayEquals(r, g.radius, rule + " radius");
    RobustnessSummary s = CertificatesJava.summarize(r, EPS);
    assertArrayEquals(s.provableRobustAccuracy(), g.pra, rule + " provable robust accuracy");
    assertEquals(s.provableAverageRobustness(), g.par, rule + " provable average robustness");
    assertEquals(s.meanRadius(), g.mean, rule + " mean radius");
    assertEquals(s.accuracy(), g.accuracy, rule + " accuracy");
    PredictedRadii p = CertificatesJava.predicted(f, rule, l);
    assertArrayEquals(p.labels(), g.predictedLabel, rule + " predicted label");
    assertArrayEquals(p.radius(), g.predictedRadius, rule + " predicted radius");
    for (float v : g.predictedRadius) {
      assertEquals(true, v >= 0, rule + " predicted radius >= 0");
    }
    if (norms != null) {
      assertArrayEquals(CertificatesJava.pairwiseRadius(y, f, norms, l), g.pairwise, rule + " pairwise");
      PredictedRadii pp = CertificatesJava.pairwisePredicted(f, norms, l);
      assertArrayEquals(pp.labels(), g.predictedLabel, "pairwise predicted label");
      assertArrayEquals(pp.radius(), g.pairwisePredicted, "pairwise predicted radius");
    }
  }

  private record Graphed(float[] radius, double[] pra, double par, double mean, double accuracy,
      long[] predictedLabel, float[] predictedRadius, float[] pairwise, float[] pairwisePredicted) {}

  private static Graphed graph(float[][] y, float[][] f, float[] norms, CertificateRule rule, double l) {
    int b = f.length;
    int c = f[0].length;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> logits = tf.constant(f);
      Operand<TFloat32> labels = tf.constant(y);
      Operand<TFloat32> r = Certificates.radius(tf, labels, logits, rule, l);
      PredictedCertificate<TFloat32> p = Certificates.predicted(tf, logits, rule, l);
      Session.Runner run = s.runner().fetch(r).fetch(Certificates.provableRobustAccuracy(tf, r, EPS))
          .fetch(Certificates.provableAverageRobustness(tf, r)).fetch(Certificates.meanRadius(tf, r))
          .fetch(Certificates.accuracy(tf, r)).fetch(p.label()).fetch(p.radius());
      if (norms != null) {
        Operand<TFloat32> n = tf.constant(norms);
        run.fetch(Certificates.pairwiseRadius(tf, labels, logits, n, l))
            .fetch(Certificates.pairwisePredicted(tf, logits, n, l).radius());
      }
      try (Result res = run.run()) {
        return new Graphed(floats(res.get(0), b), doubles(res.get(1), EPS.length), doubles(res.get(2), 1)[0],
            doubles(res.get(3), 1)[0], doubles(res.get(4), 1)[0], longs(res.get(5), b), floats(res.get(6), b),
            norms == null ? null : floats(res.get(7), b), norms == null ? null : floats(res.get(8), b));
      }
    }
  }

  private static float[] floats(Tensor t, int n) {
    float[] v = new float[n];
    ((TFloat32) t).copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  private static double[] doubles(Tensor t, int n) {
    double[] v = new double[n];
    ((TFloat64) t).copyTo(DataBuffers.of(v, false, false));
    return v;
  }

  private static long[] longs(Tensor t, int n) {
    long[] v = new long[n];
    ((TInt64) t).copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
