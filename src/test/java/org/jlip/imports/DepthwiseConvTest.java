package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.jlip.certify.OperatorNorms;
import org.jlip.export.ExportedModel;
import org.jlip.layers.LayerBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras DepthwiseConv2D (depth multiplier 2, stride 2, same padding) and SeparableConv2D (valid padding) from a
 * {@code .keras} file in both layouts and from {@code model.export()}, where they are DepthwiseConv2dNative (plus a
 * 1x1 Conv2D). Fixtures: src/test/python/make_keras_fixtures.py (depthwise_*), reference logits by Keras.
 */
class DepthwiseConvTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final Path EXPORT = RESOURCES.resolve("depthwise_export");
  private static final String[] FILES = {"depthwise_channels_last", "depthwise_channels_first"};

  @Test
  void reproducesKerasLogitsFromFilesAndExport() throws IOException {
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile());
    float[] x = Fixtures.pattern(784);
    for (String name : FILES) {
      try (LoadedModel m = ModelLoader.load(RESOURCES.resolve(name + ".keras"))) {
        assertLogits(refs.path(name), m.logits(x, 1)[0], name);
      }
    }
    try (LoadedModel m = ModelLoader.load(EXPORT)) {
      assertLogits(refs.path("depthwise_channels_last"), m.logits(x, 1)[0], EXPORT.toString());
    }
  }

  private static void assertLogits(JsonNode expected, float[] got, String what) {
    assertEquals(expected.size(), got.length, what);
    for (int k = 0; k < got.length; k++) {
      // measured: 1e-7 (float32 against Keras float32)
      assertEquals(expected.get(k).asDouble(), got[k], 1e-5, what + " logit " + k);
    }
  }

  @Test
  void boundsAreSoundAndTheDepthwiseOneIsTheLargestChannelsNorm() throws IOException {
    int n = 32;
    float[] xs = Fixtures.pairs(n, 784, new Random(3));
    for (Path p : new Path[] {RESOURCES.resolve(FILES[0] + ".keras"), RESOURCES.resolve(FILES[1] + ".keras"), EXPORT}) {
      try (LoadedModel m = ModelLoader.load(p)) {
        double worst = Fixtures.steepestChange(xs, m.logits(xs, 2 * n), n, 784);
        assertTrue(worst > 0 && worst <= m.lipschitzBound(), p + ": " + worst + " vs " + m.lipschitzBound());
      }
    }
    // The block-diagonal kernel's bound against the largest norm of the channels taken one by one, each estimated
    // from its own [3, 3, 1, 2] kernel on the 28 x 28 conv output (stride 2, same padding).
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve(FILES[0] + ".keras"))) {
      Weight block = m.weights().get("depthwise").get("kernel");
      assertArrayEquals(new long[] {3, 3, 3, 6}, block.shape());
      double largest = 0;
      for (int c = 0; c < 3; c++) {
        float[] one = new float[9 * 2];
        for (int tap = 0; tap < 9; tap++) {
          for (int j = 0; j < 2; j++) {
            one[tap * 2 + j] = block.values()[(tap * 3 + c) * 6 + c * 2 + j];
          }
        }
        largest = Math.max(largest, OperatorNorms.convNormEstimate(one, 3, 3, 1, 2, 28, 28, 2, 2, "same", 1));
      }
      LayerBound b = KerasInferenceLayersTest.bound(m, "depthwise");
      assertTrue(b.measured() >= largest * (1 - 1e-9) && b.measured() <= largest * 1.05,
          b.measured() + " vs the largest channel's norm " + largest);
    }
  }

  @Test
  void convertsToPlainConvolutionsWithTheSameLogits(@TempDir Path tmp) throws IOException {
    float[] x = Fixtures.pattern(784);
    for (String name : FILES) {
      Path out = tmp.resolve(name);
      KerasConverter.convert(RESOURCES.resolve(name + ".keras"), out, false);
      float[] expected;
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve(name + ".keras"))) {
        expected = m.logits(x, 1)[0];
      }
      try (ExportedModel e = ExportedModel.load(out)) {
        assertArrayEquals(expected, e.logits(x, 1), 1e-5f, name);
      }
    }
  }

  @Test
  void aSeparableLayerWithoutBiasConverts(@TempDir Path tmp) throws IOException {
    // Its vars/1 is the pointwise kernel: read as a bias, conversion found a stray "bias" weight and refused.
    Path edited = tmp.resolve("no_bias.keras");
    Fixtures.rewriteKeras(RESOURCES.resolve(FILES[0] + ".keras"), edited, layers -> {
      for (JsonNode l : layers) {
        if (l.path("class_name").asText().equals("SeparableConv2D")) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) l.path("config")).put("use_bias", false);
        }
      }
    });
    Path out = tmp.resolve("converted");
    KerasConverter.convert(edited, out, false);
    float[] x = Fixtures.pattern(784);
    try (ImportedModel m = KerasFileImporter.read(edited); ExportedModel e = ExportedModel.load(out)) {
      assertTrue(m.weights().get("separable").keySet().equals(java.util.Set.of("kernel")),
          m.weights().get("separable").keySet().toString());
      assertArrayEquals(m.logits(x, 1)[0], e.logits(x, 1), 1e-5f);
    }
  }

  @Test
  void refusesKernelsThatDoNotMatchTheLayer() {
    var c = new ObjectMapper().createObjectNode();
    c.putArray("kernel_size").add(3).add(3);
    c.put("depth_multiplier", 2);
    Path f = Path.of("m.keras");
    var e = assertThrows(MalformedModelException.class, () -> DepthwiseKernels.asConv(f, "DepthwiseConv2D", "d", c,
        new long[] {8, 8, 4}, new Weight(new float[3 * 3 * 3 * 2], new long[] {3, 3, 3, 2}), null));
    assertTrue(e.getMessage().contains("layer 'd' (DepthwiseConv2D) has a depthwise kernel of shape [3, 3, 3, 2]")
        && e.getMessage().contains("expected [3, 3, C, 2]"), e.getMessage());
    var p = assertThrows(MalformedModelException.class, () -> DepthwiseKernels.asConv(f, "SeparableConv2D", "s", c,
        new long[] {8, 8, 3}, new Weight(new float[3 * 3 * 3 * 2], new long[] {3, 3, 3, 2}),
        new Weight(new float[5 * 4], new long[] {1, 1, 5, 4})));
    assertTrue(p.getMessage().contains("pointwise kernel of shape [1, 1, 5, 4]")
        && p.getMessage().contains("[1, 1, 6,"), p.getMessage());
  }
}
