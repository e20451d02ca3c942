package org.jlip.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** The running mean: one update per session run, exposed, resettable; values from loss-vectors.json. */
class MulticlassSoftHKRTest {

  private static JsonNode entry() throws IOException {
    for (JsonNode e : LossHarness.reference().get("losses")) {
      if (e.get("loss").asText().equals("MulticlassSoftHKR")) {
        return e;
      }
    }
    throw new AssertionError("no MulticlassSoftHKR entry in loss-vectors.json");
  }

  @Test
  void twoRunsOfOneGraphGiveTheTwoReferenceValuesAndMoveTheMeanOncePerRun() throws IOException {
    JsonNode e = entry();
    JsonNode p = e.get("params");
    double[][] y = LossHarness.matrix(e.get("y_true"));
    double[][] f = LossHarness.matrix(e.get("y_pred"));
    double meanAbs = 0;
    for (double v : LossHarness.flat(f)) {
      meanAbs += Math.abs(v) / (f.length * f[0].length);
    }
    MulticlassSoftHKR loss = new MulticlassSoftHKR(p.get("alpha").asDouble(), p.get("minMargin").asDouble(),
        p.get("alphaMean").asDouble(), p.get("temperature").asDouble());
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> out = loss.call(tf, tf.constant(y), tf.constant(f), null);
      assertEquals(1, loss.stateVariables(g).size());
      assertTrue(loss.variables(g).containsAll(loss.stateVariables(g)));
      assertEquals(5, loss.variables(g).size(), "alpha, minMargin, alphaMean, temperature, running mean");
      s.initialize();
      double mu = p.get("minMargin").asDouble();
      assertEquals(mu, loss.runningMean(s), 0, "mu starts at minMargin");
      for (int k = 0; k < 2; k++) {
        double v = LossHarness.fetch(s, out)[0];
        LipLossTest.assertRelative(e.get("expected").get(k).asDouble(), v, 1e-6, "evaluation " + (k + 1));
        mu = 0.99 * mu + 0.01 * meanAbs;
        assertEquals(mu, loss.runningMean(s), 1e-12, "mu after evaluation " + (k + 1));
      }
      loss.setRunningMean(s, p.get("minMargin").asDouble());
      LipLossTest.assertRelative(e.get("expected").get(0).asDouble(), LossHarness.fetch(s, out)[0], 1e-6,
          "after reset");
    }
  }

  /** Temperature and alphaMean live in the graph: set after it is built, they give the reference values. */
  @Test
  void temperatureAndAlphaMeanSetInTheSessionGiveTheReferenceValues() throws IOException {
    JsonNode e = entry();
    JsonNode p = e.get("params");
    MulticlassSoftHKR loss = new MulticlassSoftHKR(p.get("alpha").asDouble(), p.get("minMargin").asDouble(), 0.5,
        3 * p.get("temperature").asDouble());
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> out = loss.call(tf, tf.constant(LossHarness.matrix(e.get("y_true"))),
          tf.constant(LossHarness.matrix(e.get("y_pred"))), null);
      s.initialize();
      double other = LossHarness.fetch(s, out)[0];
      assertTrue(Math.abs(other - e.get("expected").get(0).asDouble()) > 1e-3, "the built values differ: " + other);
      loss.setRunningMean(s, p.get("minMargin").asDouble());
      loss.setTemperature(s, p.get("temperature").asDouble());
      loss.setAlphaMean(s, p.get("alphaMean").asDouble());
      for (int k = 0; k < 2; k++) {
        LipLossTest.assertRelative(e.get("expected").get(k).asDouble(), LossHarness.fetch(s, out)[0], 1e-6,
            "evaluation " + (k + 1) + " after the setters");
      }
    }
  }

  @Test
  void infiniteAlphaKeepsTheSoftHingeAlone() throws IOException {
    JsonNode e = entry();
    double[][] y = LossHarness.matrix(e.get("y_true"));
    double[][] f = LossHarness.matrix(e.get("y_pred"));
    double[] hingeOnly = LossHarness.eval(new MulticlassSoftHKR(Double.POSITIVE_INFINITY, 0.2, 0.99, 1), y, f,
        TFloat64.class);
    double[] withKr = LossHarness.eval(new MulticlassSoftHKR(5, 0.2, 0.99, 1), y, f, TFloat64.class);
    double[] nearInf = LossHarness.eval(new MulticlassSoftHKR(1e12, 0.2, 0.99, 1), y, f, TFloat64.class);
    assertTrue(Double.isFinite(hingeOnly[0]));
    assertEquals(nearInf[0], hingeOnly[0], 1e-9);
    assertTrue(Math.abs(withKr[0] - hingeOnly[0]) > 1e-3, "the KR part matters at alpha 5");
    assertEquals(List.of(), new MulticlassSoftHKR().stateVariables(new Graph()));
  }
}
