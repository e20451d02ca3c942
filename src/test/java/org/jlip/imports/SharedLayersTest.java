package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.jlip.export.ExportedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras layers called more than once (make_shared_layer_fixtures.py): a ReLU called three times, a MaxPooling2D
 * twice, and a Dense whose two calls are the branches of an Add. Each call is a step with the layer's weights.
 */
class SharedLayersTest {
  private static final Path DIR = Path.of("src", "test", "resources", "keras", "shared_layers");

  @Test
  void everyCallOfASharedLayerIsAStepOfTheChain() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile()).path("shared_layers");
    float[] x = Fixtures.referenceInputs(ref.path("inputs"));
    try (LoadedModel saved = ModelLoader.load(DIR.resolve("shared_layers_export"));
        LoadedModel keras = ModelLoader.load(DIR.resolve("shared_layers.keras"));
        LoadedModel h5 = ModelLoader.load(DIR.resolve("shared_layers.h5"))) {
      for (LoadedModel m : new LoadedModel[] {saved, keras, h5}) {
        Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(x, 4), m.source());
        assertEquals(saved.lipschitzBound(), m.lipschitzBound(), 1e-5 * saved.lipschitzBound(), m.source());
      }
      for (LoadedModel m : new LoadedModel[] {keras, h5}) {
        var names = m.layerBounds().layerNames();
        assertTrue(names.containsAll(java.util.List.of("act", "act.call2", "act.call3", "pool", "pool.call2")),
            names.toString());
      }
      Fixtures.assertBoundHolds(keras, 16, 64, 6, "");
    }
  }

  /**
   * A Dense and a ReLU each called twice in a row convert to a jlip model with one layer per call ("shared" and
   * "shared.call2", the same weights) that gives Keras's logits.
   */
  @Test
  void aSharedLayerConvertsToOneLayerPerCall(@TempDir Path tmp) throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile()).path("shared_chain");
    float[] x = Fixtures.referenceInputs(ref.path("inputs"));
    Path out = tmp.resolve("converted");
    KerasConverter.convert(DIR.resolve("shared_chain.keras"), out, false);
    try (ExportedModel converted = ExportedModel.load(out)) {
      float[] flat = converted.logits(x, 4);
      float[][] rows = new float[4][];
      for (int i = 0; i < 4; i++) {
        rows[i] = java.util.Arrays.copyOfRange(flat, 3 * i, 3 * i + 3);
      }
      Fixtures.assertReferenceLogits(ref.path("logits"), rows, "converted");
    }
    try (LoadedModel file = ModelLoader.load(DIR.resolve("shared_chain.keras"))) {
      assertEquals(java.util.List.of("shared", "shared/bias", "relu", "shared.call2", "shared.call2/bias",
          "relu.call2", "logits", "logits/bias"), file.layerBounds().layerNames());
    }
  }

  /**
   * One nested Functional model called on the input and on its tanh, the second subtracted from the first, and a
   * model that ends in the second of two calls of it: Keras 3 numbers the calls from 0 in inbound tensors and from 1
   * in the model's output reference.
   */
  @Test
  void aNestedModelCalledTwiceIsTwoBranches() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile());
    float[] x = Fixtures.referenceInputs(ref.path("shared_tower").path("inputs"));
    for (String f : new String[] {"shared_tower.keras", "shared_tower.h5", "tower_twice.keras", "tower_twice.h5"}) {
      JsonNode logits = ref.path(f.substring(0, f.indexOf('.'))).path("logits");
      try (LoadedModel m = ModelLoader.load(DIR.resolve(f))) {
        Fixtures.assertReferenceLogits(logits, m.logits(x, 4), f);
        Fixtures.assertBoundHolds(m, 16, 6, 7, f);
      }
    }
  }
}
