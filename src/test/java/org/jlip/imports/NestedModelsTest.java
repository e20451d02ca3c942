package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A Functional model that calls a Sequential backbone and a nested Functional head
 * (src/test/python/make_keras_fixtures.py: nested_models): its layers and weights are found through the nesting.
 */
class NestedModelsTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final int SIZE = 12 * 10 * 3;

  @Test
  void nestedModelsGiveKerassLogitsAndBoundTheirLayers() throws IOException {
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("nested_models");
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("nested_models.keras"))) {
      float[] got = m.logits(Fixtures.pattern(SIZE), 1)[0];
      for (int k = 0; k < refs.size(); k++) {
        assertEquals(refs.get(k).asDouble(), got[k], 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble())),
            "logit " + k);
      }
      // The backbone's, the outer model's and the head's layers in the order Keras applies them.
      assertEquals(java.util.List.of("conv", "conv/bias", "ReLU", "pool", "flat", "middle", "middle/bias", "ReLU",
          "head_hidden", "head_hidden/bias", "ReLU", "head_logits", "head_logits/bias"),
          m.layerBounds().layerNames());
      Fixtures.assertBoundHolds(m, 16, SIZE, 4, "");
    }
  }
}
