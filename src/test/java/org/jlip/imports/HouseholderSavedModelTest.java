package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deel-lip's Householder as Keras exports it (src/test/python/make_keras_fixtures.py: householder_export, the
 * channels_last fixture's export): split, the selector z1 sin(theta/2) - z2 cos(theta/2), the reflection with sin and
 * cos of theta, two selects and a concat, matched whole. The same model's .keras file is the second path.
 */
class HouseholderSavedModelTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final Path EXPORT = RESOURCES.resolve("householder_export");

  @Test
  void exportMatchesTheKerasFileInLogitsBoundAndGradients() throws IOException {
    var refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile());
    try (LoadedModel saved = ModelLoader.load(EXPORT);
        LoadedModel file = ModelLoader.load(RESOURCES.resolve("householder_channels_last.keras"))) {
      float[] got = saved.logits(Fixtures.pattern(784), 1)[0];
      for (int k = 0; k < got.length; k++) {
        // measured: 1.0e-7 (float32 against Keras float32)
        assertEquals(refs.path("householder_channels_last").get(k).asDouble(), got[k], 1e-5, "logit " + k);
      }
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-9 * file.lipschitzBound());
      for (String layer : new String[] {"hh_1/concat", "hh_b_1/concat"}) {
        assertEquals(1.0, KerasInferenceLayersTest.bound(saved, "householder_channels_last_1/" + layer).measured(),
            0, layer);
      }
      int n = 16;
      Random r = new Random(9);
      float[] x = new float[n * 784];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat();
      }
      float[][] a = saved.logits(x, n);
      float[][] b = file.logits(x, n);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < a[i].length; k++) {
          assertEquals(b[i][k], a[i][k], 1e-5, "sample " + i + " logit " + k);
        }
      }
      // The gradients the attacks follow: both paths' reflections (select here, relu form in the .keras import).
      Fixtures.assertSameInputGradient(saved, file, x, n, 1e-4);
    }
  }

  @Test
  void lookAlikesAreRefused(@TempDir Path tmp) throws IOException {
    // r1 = z1 cos(theta) + z2 cos(theta) is no reflection; a condition that keeps one half where it reflects the
    // other is no Householder either.
    String[][] edits = {{"hh_1/Sin_1", "Cos"}, {"hh_1/LessEqual_1", "Greater"}};
    for (String[] edit : edits) {
      Path dir = tmp.resolve(edit[0].replace('/', '_'));
      assertEquals(1, Fixtures.copyEditingFunctions(EXPORT, dir, node -> {
        if (node.getName().endsWith(edit[0])) {
          node.setOp(edit[1]);
          return true;
        }
        return false;
      }));
      var e = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(dir).close());
      assertTrue(e.getMessage().contains("hh_1/split") && e.getMessage().contains("outside the op patterns"),
          edit[0] + ": " + e.getMessage());
    }
  }
}
