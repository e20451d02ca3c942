package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 1-D models on sequences (src/test/python/make_sequence_fixtures.py): Conv1D (causal, same, valid, strided, without
 * bias), 1-D max and average pooling (overlapping, padded), global poolings over time, ZeroPadding1D, batch
 * normalisation and a flatten of [T, F], from .keras and .h5 files and Keras exports: Keras's logits, the same bound
 * from all three, and bounds that hold.
 */
class KerasSequenceLayersTest {
  private static final Path DIR = Path.of("src", "test", "resources", "keras", "sequence");

  @Test
  void sequenceModelsGiveKerassLogitsFromFilesAndExports() throws IOException {
    JsonNode refs = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile());
    for (String name : List.of("conv1d_pool", "conv1d_flatten", "conv1d_global_max")) {
      JsonNode inputs = refs.path(name).path("inputs");
      int n = inputs.size();
      int steps = inputs.get(0).size();
      int channels = inputs.get(0).get(0).size();
      float[] x = Fixtures.referenceInputs(inputs);
      double fileBound = Double.NaN;
      for (String ext : List.of(".keras", ".h5", "_export")) {
        try (LoadedModel m = ModelLoader.load(DIR.resolve(name + ext))) {
          assertArrayEquals(new long[] {steps, channels}, m.inputShape(), name + ext);
          Fixtures.assertReferenceLogits(refs.path(name).path("logits"), m.logits(x, n), name + ext);
          if (m instanceof ImportedModel file) {
            assertTrue(file.notConvertibleReason().isPresent(), name + ext);
          }
          // The export's graph (ExpandDims, Conv2D, Squeeze) is bounded like the file's layers (its batch
          // normalisation folded in float32).
          fileBound = Double.isNaN(fileBound) ? m.lipschitzBound() : fileBound;
          assertEquals(fileBound, m.lipschitzBound(), 1e-6 * fileBound, name + ext);
          int size = steps * channels;
          float[] xs = Fixtures.pairs(32, size, new Random(9));
          double worst = Fixtures.steepestChange(xs, m.logits(xs, 64), 32, size);
          assertTrue(worst > 0 && worst <= m.lipschitzBound() * (1 + 1e-5),
              name + ext + ": " + worst + " above the bound " + m.lipschitzBound());
        }
      }
    }
  }

  @Test
  void theOverlappingPoolAndTheMeanOverTimeAreBoundedExactly() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(DIR.resolve("conv1d_flatten.keras"))) {
      // Max pool 3 with stride 1: a value is in up to 3 windows, bound sqrt(3).
      assertEquals(Math.sqrt(3), bound(m, "overlap"), 1e-9);
      assertEquals(1.0, bound(m, "pad"), 0);
    }
    try (ImportedModel m = KerasFileImporter.read(DIR.resolve("conv1d_pool.keras"))) {
      // The mean over the 4 remaining steps: 1/sqrt(4).
      assertEquals(0.5, bound(m, "mean"), 1e-9);
    }
  }

  private static double bound(ImportedModel m, String layer) {
    int i = m.layerBounds().layerNames().indexOf(layer);
    assertTrue(i >= 0, layer + " in " + m.layerBounds().layerNames());
    return m.layerBounds().layers().get(i).measured();
  }

  @Test
  void oneDimensionalLayersOnAnImageAreRefusedNamingTheLayer() {
    var e = assertThrows(UnsupportedModelException.class, () -> KerasSequenceLayers.pool(Path.of("m.keras"),
        "MaxPooling1D", "p", new ObjectMapper().createObjectNode().put("pool_size", 2), new long[] {4, 4, 1}));
    assertTrue(e.getMessage().contains("layer 'p' (MaxPooling1D) needs a sequence input"), e.getMessage());
  }
}
