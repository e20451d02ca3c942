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
import org.tensorflow.framework.losses.Reduction;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/** Every loss entry of loss-vectors.json, both label encodings, both float types, every reduction. */
class LipLossTest {

  private static double tolerance(String loss) {
    return loss.contains("Crossentropy") ? 1e-5 : 1e-6;
  }

  @Test
  void reproducesEveryReferenceLossUnderEveryReduction() throws IOException {
    JsonNode losses = LossHarness.reference().get("losses");
    int checked = 0;
    for (JsonNode e : losses) {
      String loss = e.get("loss").asText();
      double[][] y01 = LossHarness.matrix(e.get("y_true"));
      double[][] f = LossHarness.matrix(e.get("y_pred"));
      Reduction listed = LossHarness.reduction(e.get("reduction").asText());
      JsonNode expectedNode = e.get("expected");
      for (double[][] y : List.of(y01, LossHarness.signed(y01))) {
        for (Class<? extends TNumber> type : List.of(TFloat32.class, TFloat64.class)) {
          String where = e.get("name").asText() + " " + type.getSimpleName() + " labels " + y[y.length - 1][0];
          double tol = tolerance(loss);
          if (e.has("stateful")) {
            List<double[]> runs = LossHarness.evalRuns(LossHarness.fromJson(loss, e.get("params"), listed), y, f,
                type, expectedNode.size(), null);
            for (int k = 0; k < expectedNode.size(); k++) {
              assertRelative(expectedNode.get(k).asDouble(), runs.get(k)[0], tol, where + " run " + k);
            }
            checked++;
            continue;
          }
          double[] expected = new double[Math.max(1, expectedNode.size())];
          for (int i = 0; i < expected.length; i++) {
            expected[i] = expectedNode.isArray() ? expectedNode.get(i).asDouble() : expectedNode.asDouble();
          }
          double[] got = LossHarness.eval(LossHarness.fromJson(loss, e.get("params"), listed), y, f, type);
          assertEquals(expected.length, got.length, where);
          for (int i = 0; i < got.length; i++) {
            assertRelative(expected[i], got[i], tol, where + " [" + i + "]");
          }
          // The other reductions, by relation to 'none'.
          double[] none = LossHarness.eval(LossHarness.fromJson(loss, e.get("params"), Reduction.NONE), y, f, type);
          double sum = 0;
          double absSum = 0;
          for (double v : none) {
            sum += v;
            absSum += Math.abs(v);
          }
          assertEquals(f.length, none.length, where + " none has one value per sample");
          for (Reduction r : List.of(Reduction.SUM, Reduction.SUM_OVER_BATCH_SIZE, Reduction.AUTO)) {
            double want = r == Reduction.SUM ? sum : sum / f.length;
            double v = LossHarness.eval(LossHarness.fromJson(loss, e.get("params"), r), y, f, type)[0];
            // Summing cancels: the rounding scales with sum |l_i|, not with the (possibly small) result.
            double scale = r == Reduction.SUM ? absSum : absSum / f.length;
            assertTrue(Math.abs(want - v) <= tol * scale, where + " " + r + ": expected " + want + ", got " + v);
          }
          if (listed == Reduction.AUTO) {
            assertRelative(expected[0], sum / f.length, tol, where + " mean of none");
          }
          checked++;
        }
      }
    }
    assertEquals(4 * losses.size(), checked);
  }

  @Test
  void sparseTauCrossentropyReproducesTheDenseReferenceWithClassIndices() throws IOException {
    JsonNode e = null;
    for (JsonNode n : LossHarness.reference().get("losses")) {
      if (n.get("loss").asText().equals("TauCategoricalCrossentropy")) {
        e = n;
      }
    }
    double[][] y = LossHarness.matrix(e.get("y_true"));
    double[][] f = LossHarness.matrix(e.get("y_pred"));
    int[] ids = new int[y.length];
    int[][] column = new int[y.length][1];
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < y[i].length; j++) {
        if (y[i][j] > 0) {
          ids[i] = j;
          column[i][0] = j;
        }
      }
    }
    TauSparseCategoricalCrossentropy loss =
        new TauSparseCategoricalCrossentropy(e.get("params").get("tau").asDouble(), Reduction.NONE);
    for (Class<? extends TNumber> type : List.of(TFloat32.class, TFloat64.class)) {
      for (boolean asColumn : new boolean[] {false, true}) {
        double[] got = sparse(loss, asColumn ? column : null, ids, f, type);
        for (int i = 0; i < got.length; i++) {
          assertRelative(e.get("expected").get(i).asDouble(), got[i], 1e-5, "sparse " + type.getSimpleName() + " " + i);
        }
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static double[] sparse(TauSparseCategoricalCrossentropy loss, int[][] column, int[] ids, double[][] f,
      Class<? extends TNumber> type) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand pred = LossHarness.constant(tf, f, (Class) type);
      Operand<TInt32> labels = column != null ? tf.constant(column) : tf.constant(ids);
      Operand<TFloat64> out = tf.dtypes.cast(loss.call(tf, labels, pred, null), TFloat64.class);
      s.initialize();
      return LossHarness.fetch(s, out);
    }
  }

  /** Relative comparison: |expected - actual| <= tol |expected|. */
  static void assertRelative(double expected, double actual, double tol, String where) {
    assertTrue(Math.abs(expected - actual) <= tol * Math.abs(expected),
        where + ": expected " + expected + ", got " + actual);
  }
}
