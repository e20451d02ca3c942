package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deel-lip 1.x's GroupSort as its SavedModels hold it (src/test/python/make_keras_fixtures.py: tf_module_group_rows):
 * the whole batch's values in rows of n, each row sorted (GroupSort2's halves, or tf.sort), reshaped back. jlip reads
 * it as GroupSort(n) on the last axis, which it is only when n divides that axis.
 */
class DeelLipGroupRowsTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");

  @Test
  void rowSortsReproduceTensorFlowOnABatchWithBoundOne() throws IOException {
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile());
    float[] pattern = Fixtures.pattern(784);
    float[] batch = new float[3 * 784];
    for (int i = 0; i < 784; i++) {
      batch[i] = pattern[i];
      batch[784 + i] = 1 - pattern[i];
      batch[2 * 784 + i] = (i * 3 % 11) / 11f;
    }
    try (LoadedModel m = ModelLoader.load(RESOURCES.resolve("tf_module_group_rows"))) {
      float[] one = m.logits(pattern, 1)[0];
      float[][] three = m.logits(batch, 3);
      for (int k = 0; k < 10; k++) {
        // measured: 2.4e-7 on the pattern, 6.3e-7 on the batch (float32 against TensorFlow's float32)
        assertEquals(refs.path("tf_module_group_rows").get(k).asDouble(), one[k], 1e-5, "logit " + k);
        for (int i = 0; i < 3; i++) {
          assertEquals(refs.path("tf_module_group_rows_batch").get(i).get(k).asDouble(), three[i][k], 1e-5,
              "sample " + i + " logit " + k);
        }
      }
      // GroupSort2 on conv channels, GroupSort(4) and a sort of all 12 values of a dense output
      for (String end : new String[] {"Reshape_1", "Reshape_4", "Reshape_6"}) {
        assertEquals(1.0, KerasInferenceLayersTest.bound(m, end).measured(), 0, end);
      }
      Fixtures.assertBoundHolds(m, 32, 784, 4, "");
      // The gradients the attacks follow: central differences along random directions (most: a step may cross a
      // kink of the sorts).
      int n = 8;
      Random r = new Random(6);
      float[] x = new float[n * 784];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat();
      }
      double[][] dc = Fixtures.directionalAndCentral(m, x, Fixtures.inputGradient(m, x, n), n, 1e-3, r);
      int agree = 0;
      for (double[] v : dc) {
        agree += Math.abs(v[1] - v[0]) <= 2e-2 * Math.max(0.1, Math.abs(v[1])) ? 1 : 0;
      }
      assertTrue(agree >= n - 2, agree + " of " + n + " directional derivatives match central differences");
    }
  }

  @Test
  void rowsThatWouldMixSamplesAreRefusedNamingTheNode() {
    // rows of 4 of a dense output of 6: each row takes values of two samples
    var e = assertThrows(UnsupportedModelException.class,
        () -> ModelLoader.load(RESOURCES.resolve("tf_module_group_rows_straddle")).close());
    assertTrue(e.getMessage().contains("node 'Reshape_2'") && e.getMessage().contains("4 does not divide the last"
        + " axis of [6]"), e.getMessage());
  }

  @Test
  void aReshapeOutsideThePatternThatMovesValuesBetweenSamplesIsRefused(@TempDir Path tmp) throws IOException {
    // Without the sort's final Neg the pattern is gone and the walk meets Reshape(x, [-1, 4]) of 6 values alone.
    assertEquals(1, Fixtures.copyEditingFunctions(RESOURCES.resolve("tf_module_group_rows_straddle"), tmp, node -> {
      if (node.getName().endsWith("sort/Neg_1")) {
        node.setOp("Square");
        return true;
      }
      return false;
    }));
    var e = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(tmp).close());
    assertTrue(e.getMessage().contains("node 'Reshape_1'") && e.getMessage().contains("reshapes the [6] values of each"
        + " sample to [-1, 4]") && e.getMessage().contains("moves values across the batch axis"), e.getMessage());
  }
}
