package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.jlip.testing.GraphEval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;

/**
 * Layers that change an image's size (src/test/python/make_resize_fixtures.py): Keras's Resizing, UpSampling2D and
 * CenterCrop from .keras and .h5 files, and the ResizeBilinear, ResizeNearestNeighbor and tf.repeat (ExpandDims,
 * Tile, Reshape) ops of their exports. The interpolation is checked against TensorFlow's own resize kernels, and
 * its bound against the SVD of the operator those kernels apply.
 */
class ResizeLayersTest {
  private static final Path DIR = Path.of("src", "test", "resources", "keras", "resize");

  @Test
  void everyFormatGivesKerassLogitsAndOneBoundThatHolds() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile()).path("resize_cnn");
    float[] x = Fixtures.referenceInputs(ref.path("inputs"));
    Double bound = null;
    for (String f : new String[] {"resize_cnn.keras", "resize_cnn.h5", "resize_cnn_export"}) {
      try (LoadedModel m = ModelLoader.load(DIR.resolve(f))) {
        Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(x, 4), f);
        int size = 14 * 16 * 2;
        Fixtures.assertBoundHolds(m, 16, size, 3, f);
        if (bound == null) {
          bound = m.lipschitzBound();
        }
        assertEquals(bound, m.lipschitzBound(), 1e-6 * bound, f);
      }
    }
    try (LoadedModel file = ModelLoader.load(DIR.resolve("resize_cnn.keras"));
        LoadedModel saved = ModelLoader.load(DIR.resolve("resize_cnn_export"))) {
      // The attacks run on input gradients: both paths must have them, and the same ones.
      Fixtures.assertSameInputGradient(saved, file, Fixtures.pairs(1, 14 * 16 * 2, new Random(4)), 2, 1e-4);
    }
  }

  @Test
  void channelsFirstModelsResizeTheSameAxes() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile())
        .path("resize_channels_first");
    float[] x = GraphEval.nchwToNhwc(Fixtures.referenceInputs(ref.path("inputs")), 4, 2, 9, 11);
    for (String f : new String[] {"resize_channels_first.keras", "resize_channels_first_export"}) {
      try (LoadedModel m = ModelLoader.load(DIR.resolve(f))) {
        assertArrayEquals(new long[] {9, 11, 2}, m.inputShape(), f);
        Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(x, 4), f);
      }
    }
  }

  /** TensorFlow's kernels are the independent side: the same outputs on random images, and the same norm. */
  @Test
  void interpolationIsTensorFlowsAndItsBoundIsTheOperatorsNorm() {
    Random r = new Random(9);
    int[][] sizes = {{5, 7, 9, 4}, {9, 8, 4, 3}, {6, 6, 12, 18}, {7, 5, 7, 5}, {10, 3, 3, 10}};
    for (int[] s : sizes) {
      long[] in = {s[0], s[1], 2};
      float[] x = new float[3 * s[0] * s[1] * 2];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat();
      }
      for (boolean nearest : new boolean[] {false, true}) {
        for (boolean[] flags : new boolean[][] {{false, true}, {false, false}, {true, false}}) {
          Step.Resize step = new Step.Resize("resize", nearest, s[2], s[3], flags[0], flags[1]);
          String what = (nearest ? "nearest " : "bilinear ") + s[0] + "x" + s[1] + " -> " + s[2] + "x" + s[3]
              + " align_corners " + flags[0] + " half_pixel_centers " + flags[1];
          org.jlip.testing.LipschitzHarness.Fn tfKernel = (tf, t) -> {
            var size = tf.constant(new int[] {s[2], s[3]});
            return nearest
                ? tf.image.resizeNearestNeighbor(t, size, ResizeNearestNeighbor.alignCorners(flags[0]),
                    ResizeNearestNeighbor.halfPixelCenters(flags[1]))
                : tf.image.resizeBilinear(t, size, ResizeBilinear.alignCorners(flags[0]),
                    ResizeBilinear.halfPixelCenters(flags[1]));
          };
          float[] want = GraphEval.run(new long[] {3, s[0], s[1], 2}, x, tfKernel);
          float[] got = GraphEval.run(new long[] {3, s[0], s[1], 2}, x, (tf, t) -> step.apply(tf, t, in));
          assertArrayEquals(want, got, 1e-5f, what);
          double norm = GraphEval.operatorNorm(in, tfKernel);
          assertEquals(norm, step.bound(in).measured(), 1e-5 * norm, what);
        }
      }
    }
  }

  @Test
  void nearestUpsamplingByIntegerFactorsRepeatsValues() {
    // UpSampling2D's nearest is tf.repeat in Keras 3: row i of the output is row floor(i / factor).
    for (int f = 1; f <= 5; f++) {
      float[] m = Interpolation.nearest(7, 7 * f, false, true);
      for (int i = 0; i < 7 * f; i++) {
        for (int j = 0; j < 7; j++) {
          assertEquals(j == i / f ? 1f : 0f, m[i * 7 + j], "factor " + f + " row " + i);
        }
      }
    }
  }

  @Test
  void tileCopiesTheInputAndIsBoundedBySqrtOfTheCopies() {
    Step.Tile tile = new Step.Tile("tile", new long[] {1, 3, 2});
    long[] in = {2, 1, 2};
    assertArrayEquals(new long[] {2, 3, 4}, tile.outputShape(in));
    float[] x = {1, 2, 3, 4};
    float[] y = GraphEval.run(new long[] {1, 2, 1, 2}, x, (tf, t) -> tile.apply(tf, t, in));
    assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 3, 4, 3, 4, 3, 4}, y);
    double norm = GraphEval.operatorNorm(in, (tf, t) -> tile.apply(tf, t, in));
    assertEquals(norm, tile.bound(in).measured(), 1e-6);
    assertEquals(Math.sqrt(6), norm, 1e-6);
  }

  @Test
  void optionsThatChangeTheMapAreRefusedByName(@TempDir Path tmp) throws IOException {
    Map<String, Consumer<ObjectNode>> edits = Map.of(
        "antialias", c -> c.put("antialias", true),
        "pad_to_aspect_ratio", c -> c.put("pad_to_aspect_ratio", true),
        "interpolation 'bicubic'", c -> c.put("interpolation", "bicubic"),
        "height 0", c -> c.put("height", 0));
    for (var e : edits.entrySet()) {
      Path edited = editLayer(tmp, "down_bilinear", e.getValue());
      var error = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(edited).close());
      assertTrue(error.getMessage().contains("down_bilinear") && error.getMessage().contains(e.getKey()),
          error.getMessage());
    }
    Path tooLarge = editLayer(tmp, "center", c -> c.put("height", 100));
    var error = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(tooLarge).close());
    assertTrue(error.getMessage().contains("'center' (CenterCrop)"), error.getMessage());
    Path huge = editLayer(tmp, "up_nearest", c -> c.putArray("size").add(4096).add(4096));
    error = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(huge).close());
    assertTrue(error.getMessage().contains("more than"), error.getMessage());
  }

  /** A layer jlip cannot bound is refused with the reason, so a user knows it is the architecture. */
  @Test
  void unboundedLayersAreRefusedWithTheirReason(@TempDir Path tmp) throws IOException {
    for (String[] c : new String[][] {{"LayerNormalization", "statistic of the sample itself"},
        {"Lambda", "Python function is not in the file"}, {"LSTM", "recurrent"}}) {
      Path edited = Files.createTempFile(tmp, c[0], ".keras");
      Fixtures.rewriteKeras(DIR.resolve("resize_cnn.keras"), edited, layers -> {
        for (JsonNode l : layers) {
          if (l.path("config").path("name").asText().equals("center")) {
            ((ObjectNode) l).put("class_name", c[0]);
          }
        }
      });
      var error = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(edited).close());
      assertTrue(error.getMessage().contains("'center' of type " + c[0]) && error.getMessage().contains(c[1]),
          error.getMessage());
    }
  }

  private static Path editLayer(Path tmp, String layer, Consumer<ObjectNode> edit) throws IOException {
    Path edited = Files.createTempFile(tmp, layer, ".keras");
    Fixtures.rewriteKeras(DIR.resolve("resize_cnn.keras"), edited, layers -> {
      for (JsonNode l : layers) {
        if (l.path("config").path("name").asText().equals(layer)) {
          edit.accept((ObjectNode) l.path("config"));
        }
      }
    });
    return edited;
  }

}
