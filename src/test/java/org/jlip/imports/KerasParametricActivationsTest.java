package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.jlip.export.ExportedModel;
import org.jlip.layers.LayerBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Keras's PReLU and deel-lip's Householder in {@code .keras} files (src/test/python/make_keras_fixtures.py: random
 * alphas, some above 1 in magnitude, and random angles; channels_last and channels_first, where PReLU's alpha is
 * [C, H, W] and Householder splits the width). Reference logits computed by Keras.
 */
class KerasParametricActivationsTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FIXTURES = {"householder_channels_last", "householder_channels_first",
      "prelu_channels_last", "prelu_channels_first"};

  private static JsonNode refs() throws IOException {
    return JSON.readTree(RESOURCES.resolve("reference-logits.json").toFile());
  }

  @Test
  void reproducesKerasLogitsAndBoundsEachActivationExactly() throws IOException {
    JsonNode refs = refs();
    for (String name : FIXTURES) {
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve(name + ".keras"))) {
        float[] got = m.logits(Fixtures.pattern(784), 1)[0];
        JsonNode expected = refs.path(name);
        assertEquals(expected.size(), got.length, name);
        for (int k = 0; k < got.length; k++) {
          // measured: 2e-7 (float32 against Keras float32)
          assertEquals(expected.get(k).asDouble(), got[k], 1e-5, name + " logit " + k);
        }
        for (String layer : m.layerBounds().layerNames()) {
          LayerBound b = KerasInferenceLayersTest.bound(m, layer);
          if (layer.startsWith("hh")) {
            assertEquals(1.0, b.measured(), 0, name + " " + layer);
          } else if (layer.startsWith("prelu")) {
            double alpha = refs.path(name + "_alpha_max").path(layer).asDouble(Double.NaN);
            assertEquals(Math.max(1, alpha), b.measured(), 1e-6, name + " " + layer);
            assertTrue(alpha > 1, "the fixture's alphas reach beyond 1: " + alpha);
          }
        }
        if (name.equals("householder_channels_last")) {
          assertEquals(Optional.empty(), m.notConvertibleReason(), name);
        } else {
          assertTrue(m.notConvertibleReason().orElseThrow().contains("has no jlip equivalent"), name);
        }
      }
    }
  }

  /**
   * A channels_last Householder converts to jlip's layer with the file's angles: the converted SavedModel gives
   * Keras's logits. On a channels_first image it splits the width, which jlip's layer does not, so that file stays
   * certifiable but not convertible.
   */
  @Test
  void aChannelsLastHouseholderConvertsWithItsAngles(@TempDir Path tmp) throws IOException {
    JsonNode refs = refs();
    Path out = tmp.resolve("converted");
    KerasConverter.convert(RESOURCES.resolve("householder_channels_last.keras"), out, false);
    try (ExportedModel converted = ExportedModel.load(out)) {
      float[] got = converted.logits(Fixtures.pattern(784), 1);
      JsonNode expected = refs.path("householder_channels_last");
      assertEquals(expected.size(), got.length);
      for (int k = 0; k < got.length; k++) {
        assertEquals(expected.get(k).asDouble(), got[k], 1e-5, "logit " + k);
      }
    }
    UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
        () -> KerasConverter.convert(RESOURCES.resolve("householder_channels_first.keras"), tmp.resolve("cf"), false));
    assertTrue(e.getMessage().contains("Householder on the width"), e.getMessage());
  }

  @Test
  void preluExportIsReadAsOneStepWithTheFilesBound() throws IOException {
    // Keras writes PReLU as Relu(x) + Mul(-alpha, Relu(Neg(x))): x is read twice, so it is matched whole.
    Path export = RESOURCES.resolve("prelu_export");
    JsonNode refs = refs();
    try (LoadedModel saved = ModelLoader.load(export);
        ImportedModel file = KerasFileImporter.read(RESOURCES.resolve("prelu_channels_last.keras"))) {
      float[] got = saved.logits(Fixtures.pattern(784), 1)[0];
      for (int k = 0; k < got.length; k++) {
        assertEquals(refs.path("prelu_channels_last").get(k).asDouble(), got[k], 1e-5, "logit " + k);
      }
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-9 * file.lipschitzBound());
      assertEquals(refs.path("prelu_channels_last_alpha_max").path("prelu_shared").asDouble(),
          KerasInferenceLayersTest.bound(saved, "prelu_channels_last_1/prelu_shared_1/add").measured(), 1e-6);
      int n = 16;
      float[] xs = Fixtures.pairs(n, 784, new Random(5));
      float[][] a = saved.logits(xs, 2 * n);
      float[][] b = file.logits(xs, 2 * n);
      for (int i = 0; i < 2 * n; i++) {
        for (int k = 0; k < a[i].length; k++) {
          assertEquals(b[i][k], a[i][k], 1e-5, "sample " + i + " logit " + k);
        }
      }
      assertDirectionalDerivatives(saved, "prelu_export");
    }
  }

  @Test
  void boundHoldsAndInputGradientsMatchFiniteDifferences() throws IOException {
    for (String name : FIXTURES) {
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve(name + ".keras"))) {
        Fixtures.assertBoundHolds(m, 32, 784, 4, name);
        assertDirectionalDerivatives(m, name);
      }
    }
  }

  /** What the attacks differentiate: d(sum of logits)/dx along random directions, against central differences. */
  private static void assertDirectionalDerivatives(LoadedModel m, String name) {
    Random r = new Random(6);
    int samples = 4;
    float[] x = new float[samples * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    double[][] dc = Fixtures.directionalAndCentral(m, x, Fixtures.inputGradient(m, x, samples), samples, 1e-3, r);
    for (int k = 0; k < samples; k++) {
      assertEquals(dc[k][1], dc[k][0], 1e-2 * Math.max(0.1, Math.abs(dc[k][1])), name + " sample " + k);
    }
  }

  @Test
  void householderStepEqualsDeelLipsSelectFormOnBothAxes() {
    // deel-lip's form: where z1 sin(t/2) - z2 cos(t/2) <= 0 keep, else (z1 cos t + z2 sin t, z1 sin t - z2 cos t).
    Random r = new Random(12);
    int h = 3;
    int w = 4;
    int c = 6;
    for (int axis : new int[] {1, 2}) {
      int halves = (axis == 1 ? w : c) / 2;
      float[] theta = new float[halves];
      for (int i = 0; i < halves; i++) {
        theta[i] = (float) (r.nextDouble() * 2 * Math.PI);
      }
      int n = 5;
      float[] x = new float[n * h * w * c];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      float[] got = run(new Step.Householder("hh", theta, axis), x, n, h, w, c);
      int kept = 0;
      for (int b = 0; b < n; b++) {
        for (int y = 0; y < h; y++) {
          for (int xx = 0; xx < w; xx++) {
            for (int ch = 0; ch < c; ch++) {
              int pos = axis == 1 ? xx : ch;
              if (pos >= halves) {
                continue;
              }
              int i1 = ((b * h + y) * w + xx) * c + ch;
              int i2 = axis == 1 ? i1 + halves * c : i1 + halves;
              double t = theta[pos];
              double z1 = x[i1];
              double z2 = x[i2];
              boolean keep = z1 * Math.sin(t / 2) - z2 * Math.cos(t / 2) <= 0;
              kept += keep ? 1 : 0;
              double a = keep ? z1 : z1 * Math.cos(t) + z2 * Math.sin(t);
              double bb = keep ? z2 : z1 * Math.sin(t) - z2 * Math.cos(t);
              assertEquals(a, got[i1], 1e-5, "axis " + axis + " first half at " + i1);
              assertEquals(bb, got[i2], 1e-5, "axis " + axis + " second half at " + i2);
            }
          }
        }
      }
      int pairs = n * h * w * c / 2;
      assertTrue(kept > pairs / 5 && kept < pairs * 4 / 5, "both branches taken: " + kept + " of " + pairs);
    }
  }

  private static float[] run(Step step, float[] x, int n, int h, int w, int c) {
    long[] in = {h, w, c};
    step.outputShape(in);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, c)));
      var out = step.apply(tf, p, in);
      float[] y = new float[x.length];
      try (TFloat32 t = TFloat32.tensorOf(Shape.of(n, h, w, c), DataBuffers.of(x, true, false));
          var res = s.runner().feed(p, t).fetch(out).run()) {
        ((TFloat32) res.get(0)).copyTo(DataBuffers.of(y, false, false));
      }
      return y;
    }
  }

  @Test
  void refusesAmbiguousOrMismatchedWeights(@TempDir Path tmp) throws IOException {
    Path edited = tmp.resolve("k2.keras");
    Fixtures.rewriteKeras(RESOURCES.resolve("householder_channels_last.keras"), edited, layers -> {
      for (JsonNode l : layers) {
        if (l.path("class_name").asText().equals("Householder")) {
          ((ObjectNode) l.path("config")).put("k_coef_lip", 2.0);
        }
      }
    });
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(edited));
    assertTrue(e.getMessage().contains("layer 'hh' (Householder)") && e.getMessage().contains("k_coef_lip 2.0"),
        e.getMessage());

    Path file = Path.of("m.keras");
    var shape = assertThrows(MalformedModelException.class, () -> KerasParametricActivations.prelu(file, "p",
        new long[] {14, 14, 2}, false, new Weight(new float[4], new long[] {1, 2, 2})));
    assertTrue(shape.getMessage().contains("alpha of shape [1, 2, 2]") && shape.getMessage().contains("[14, 14, 2]"),
        shape.getMessage());
    var odd = assertThrows(MalformedModelException.class, () -> KerasParametricActivations.householder(file, "h",
        JSON.createObjectNode(), new long[] {5}, false, new Weight(new float[2], new long[] {2})));
    assertTrue(odd.getMessage().contains("an odd count"), odd.getMessage());
    var nan = assertThrows(MalformedModelException.class, () -> KerasParametricActivations.prelu(file, "p",
        new long[] {3}, false, new Weight(new float[] {0, Float.NaN, 0}, new long[] {3})));
    assertTrue(nan.getMessage().contains("alpha[1] is NaN"), nan.getMessage());
    // A channels_first alpha [C, H, W] becomes [H, W, C]: value (c, y, x) lands at (y, x, c).
    float[] chw = new float[2 * 3 * 4];
    for (int i = 0; i < chw.length; i++) {
      chw[i] = i;
    }
    Step.PRelu moved = KerasParametricActivations.prelu(file, "p", new long[] {3, 4, 2}, true,
        new Weight(chw, new long[] {2, 3, 4}));
    assertEquals(java.util.List.of(3L, 4L, 2L), java.util.Arrays.stream(moved.alphaShape()).boxed().toList());
    assertEquals((1 * 3 + 2) * 4 + 3, moved.alpha()[(2 * 4 + 3) * 2 + 1], 0);
    assertFalse(moved.bound(new long[] {3, 4, 2}).measured() < 23, "max |alpha| is 23");
  }
}
