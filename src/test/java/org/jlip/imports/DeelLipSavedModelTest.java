package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deel-lip-style network served as a SavedModel (src/test/python/make_keras_fixtures.py: deel_lip_served, the
 * activations and L2 poolings re-implemented from deel-lip's definitions, then model.export()): GroupSort2, MaxMin,
 * GroupSort(4) and FullSort through tf.sort, an L2 pooling with its 1e-6 and a global L2 pooling, each with its
 * coefficient. The same model's .keras file goes through the other importer.
 */
class DeelLipSavedModelTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final Path EXPORT = RESOURCES.resolve("deel_lip_served_export");
  private static final Path FILE = RESOURCES.resolve("deel_lip_served.keras");

  @Test
  void exportAndKerasFileReproduceKerasWithTheSameBound() throws IOException {
    JsonNode expected = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("deel_lip_served");
    int n = 16;
    float[] x = new float[n * 784];
    Random r = new Random(5);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    try (LoadedModel saved = ModelLoader.load(EXPORT); LoadedModel file = ModelLoader.load(FILE)) {
      for (LoadedModel m : List.of(saved, file)) {
        float[] got = m.logits(Fixtures.pattern(784), 1)[0];
        for (int k = 0; k < 10; k++) {
          // measured: 5e-7 (float32 against Keras float32)
          assertEquals(expected.get(k).asDouble(), got[k], 1e-5, m.source() + " logit " + k);
        }
      }
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-9 * file.lipschitzBound());
      float[][] a = saved.logits(x, n);
      float[][] b = file.logits(x, n);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < 10; k++) {
          assertEquals(b[i][k], a[i][k], 1e-5, "sample " + i + " logit " + k);
        }
      }
      Map<String, Double> patterns = Map.of("gs2_1/concat", 1.0, "maxmin_1/concat", 1.0, "gs4_1/sort/Neg_1", 1.0,
          "full_sort_1/sort/Neg_1", 1.0, "global_l2_1/Sqrt", 1.0, "l2_pool_1/Sqrt", 0.5);
      patterns.forEach((name, l) -> assertEquals(l,
          KerasInferenceLayersTest.bound(saved, "deel_lip_served_1/" + name).measured(), 0, name));
    }
  }

  @Test
  void boundHoldsAndInputGradientsMatchTheKerasFilesAndFiniteDifferences() throws IOException {
    int n = 8;
    float[] x = new float[n * 784];
    Random r = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    try (LoadedModel saved = ModelLoader.load(EXPORT); LoadedModel file = ModelLoader.load(FILE)) {
      Fixtures.assertBoundHolds(saved, 32, 784, 8, "");
      // The export's patterns (min/max halves, TopKV2, its own L2 pooling steps) against the .keras import, built
      // from jlip's layers (sorting network, ScaledL2NormPooling2D): the gradients the attacks follow.
      float[] g = Fixtures.assertSameInputGradient(saved, file, x, n, 1e-4);
      // Central differences along random directions; a step may cross a kink of the sorts, so most, not all.
      double[][] dc = Fixtures.directionalAndCentral(saved, x, g, n, 1e-3, r);
      int agree = 0;
      for (double[] v : dc) {
        agree += Math.abs(v[1] - v[0]) <= 2e-2 * Math.max(0.1, Math.abs(v[1])) ? 1 : 0;
      }
      assertTrue(agree >= n - 2, agree + " of " + n + " directional derivatives match central differences");
    }
  }

  @Test
  void tensorFlowWrittenPatternsWithANestedFunctionAndACustomGradientAreRead() throws IOException {
    // tf_module_deel_lip: GroupSort2 in a nested tf.function, the L2 pooling's sqrt under tf.custom_gradient (an
    // IdentityN over its result and the pooled squares), tf.sort.
    Path dir = RESOURCES.resolve("tf_module_deel_lip");
    JsonNode expected = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("tf_module_deel_lip");
    try (LoadedModel m = ModelLoader.load(dir)) {
      float[] got = m.logits(Fixtures.pattern(784), 1)[0];
      for (int k = 0; k < 10; k++) {
        // measured: 4e-7
        assertEquals(expected.get(k).asDouble(), got[k], 1e-5, "logit " + k);
      }
      assertEquals(0.5, KerasInferenceLayersTest.bound(m, "Sqrt").measured(), 0);
      assertEquals(1.0, KerasInferenceLayersTest.bound(m, "concat").measured(), 0);
      assertEquals(1.0, KerasInferenceLayersTest.bound(m, "sort/Neg_1").measured(), 0);
      Fixtures.assertBoundHolds(m, 32, 784, 2, "");
    }
  }

  @Test
  void aSplitOutsideThePatternsIsRefusedNamingIt(@TempDir Path tmp) throws IOException {
    // concat(min(a, b), min(a, b)) is no sort: the walk must not take it for GroupSort2.
    int edited = Fixtures.copyEditingFunctions(EXPORT, tmp, node -> {
      if (node.getName().endsWith("gs2_1/Maximum")) {
        node.setOp("Minimum");
        return true;
      }
      return false;
    });
    assertEquals(1, edited);
    var e = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(tmp).close());
    assertTrue(e.getMessage().contains("gs2_1/split") && e.getMessage().contains("outside the op patterns"),
        e.getMessage());
    // Without its final Neg (Square has the same output name), the sort pattern is gone: its first Neg is refused.
    Path descending = tmp.resolve("descending");
    assertEquals(1, Fixtures.copyEditingFunctions(EXPORT, descending, node -> {
      if (node.getName().endsWith("gs4_1/sort/Neg_1")) {
        node.setOp("Square");
        return true;
      }
      return false;
    }));
    var d = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(descending).close());
    assertTrue(d.getMessage().contains("gs4_1/sort/Neg") && d.getMessage().contains("Neg of the activation outside"),
        d.getMessage());
  }
}
