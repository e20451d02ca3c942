package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.jlip.export.ExportCertifiedModel;
import org.jlip.layers.LayerBound;
import org.jlip.model.ModelBound;
import org.jlip.testing.GraphEval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;

/**
 * Transposed convolutions (src/test/python/make_transpose_fixtures.py): Keras's Conv2DTranspose with same and valid
 * padding, strides 1, 2, (2, 1) and a stride larger than the kernel, in both layouts, as .keras and .h5 files and
 * from model.export() (Conv2DBackpropInput); deel-lip's SpectralConv2DTranspose, whose inference kernel is vars/wbar.
 */
class TransposedConvTest {
  private static final Path DIR = Path.of("src", "test", "resources", "keras", "transpose");
  private static final Path LAST = DIR.resolve("transpose_channels_last.keras");
  private static final Path SPECTRAL = DIR.resolve("spectral_transpose.keras");

  @Test
  void transposedConvolutionsGiveKerassLogitsAndBoundsThatHold() throws IOException {
    JsonNode refs = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile());
    String[][] files = {{"transpose_channels_last.keras", "transpose_channels_last"},
        {"transpose_channels_last.h5", "transpose_channels_last"},
        {"transpose_channels_first.keras", "transpose_channels_first"},
        {"spectral_transpose.keras", "spectral_transpose"}, {"transpose_export", "transpose_channels_last"}};
    for (String[] f : files) {
      JsonNode ref = refs.path(f[1]);
      try (LoadedModel m = ModelLoader.load(DIR.resolve(f[0]))) {
        int n = ref.path("inputs").size();
        int size = ref.path("inputs").get(0).size();
        float[] inputs = Fixtures.referenceInputs(ref.path("inputs"));
        if (f[1].endsWith("channels_first")) {
          inputs = GraphEval.nchwToNhwc(inputs, n, 2, 6, 5);
        }
        Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(inputs, n), f[0]);
        Fixtures.assertBoundHolds(m, 16, size, 6, f[0]);
      }
    }
  }

  /** The step built from pads and a convolution against TensorFlow's own Conv2DBackpropInput. */
  @Test
  void theStepIsTensorFlowsTransposedConvolution() {
    // {h, w, kh, kw, sh, sw, padding, outH, outW}: Keras's sizes, a kernel smaller than its stride, and the other
    // output sizes TensorFlow allows for the same input (same: n s - j, j < s; valid: up to s - 1 more).
    Object[][] cases = {{4, 3, 3, 3, 1, 1, "same", 4, 3}, {4, 3, 3, 3, 2, 2, "same", 8, 6},
        {4, 3, 3, 3, 2, 2, "same", 7, 5}, {3, 4, 3, 2, 2, 1, "valid", 7, 5}, {3, 3, 2, 2, 3, 3, "valid", 9, 8},
        {3, 3, 2, 2, 3, 3, "same", 7, 9}, {5, 2, 4, 4, 2, 3, "same", 10, 6}, {2, 2, 1, 1, 2, 2, "valid", 4, 3},
        {3, 3, 3, 3, 2, 2, "valid", 8, 7}};
    Random r = new Random(17);
    int n = 3;
    int cin = 2;
    int filters = 3;
    for (Object[] c : cases) {
      int h = (int) c[0];
      int w = (int) c[1];
      int kh = (int) c[2];
      int kw = (int) c[3];
      float[] k = gaussian(r, kh * kw * filters * cin);
      Step.ConvTranspose step = new Step.ConvTranspose("t", k, kh, kw, filters, cin, (int) c[4], (int) c[5],
          (String) c[6], (int) c[7], (int) c[8], Double.POSITIVE_INFINITY);
      long[] in = {h, w, cin};
      String what = java.util.Arrays.toString(c);
      assertEquals(List.of((long) (int) c[7], (long) (int) c[8], (long) filters),
          java.util.Arrays.stream(step.outputShape(in)).boxed().toList(), what);
      float[] x = gaussian(r, n * h * w * cin);
      long[] shape = {n, h, w, cin};
      float[] ours = GraphEval.run(shape, x, (tf, v) -> step.apply(tf, v, in));
      float[] theirs = GraphEval.run(shape, x, (tf, v) -> tf.nn.conv2dBackpropInput(
          tf.constant(new int[] {n, (int) c[7], (int) c[8], filters}),
          tf.constant(Shape.of(kh, kw, filters, cin), DataBuffers.of(k, true, false)), v,
          List.of(1L, (long) (int) c[4], (long) (int) c[5], 1L), ((String) c[6]).toUpperCase()));
      assertEquals(theirs.length, ours.length, what);
      for (int i = 0; i < ours.length; i++) {
        assertEquals(theirs[i], ours[i], 1e-5, what + " value " + i);
      }
      // Its bound encloses the norm of the operator built from basis inputs; the estimate reaches it.
      double norm = GraphEval.operatorNorm(in, (tf, v) -> step.apply(tf, v, in));
      LayerBound b = step.bound(in);
      assertTrue(b.measured() >= norm * (1 - 1e-5) && b.measured() <= norm * 1.5, what + ": " + b + " vs " + norm);
      assertEquals(norm, b.estimate(), 1e-4 * norm, what);
    }
  }

  @Test
  void aMismatchedInputIsRefusedNamingTheSizes() {
    Step.ConvTranspose step = new Step.ConvTranspose("up", new float[3 * 3 * 4 * 2], 3, 3, 4, 2, 2, 2, "same", 8, 8,
        1);
    var e = assertThrows(IllegalArgumentException.class, () -> step.outputShape(new long[] {5, 4, 2}));
    assertTrue(e.getMessage().contains("up") && e.getMessage().contains("[4, 4, 2]"), e.getMessage());
  }

  @Test
  void gradientsFlowAndAgreeBetweenTheFileAndItsExport() throws IOException {
    float[] x = Fixtures.pairs(4, 60, new Random(2));
    try (LoadedModel file = ModelLoader.load(LAST); LoadedModel export = ModelLoader.load(DIR.resolve(
        "transpose_export"))) {
      float[] g = Fixtures.assertSameInputGradient(file, export, x, 8, 1e-4);
      double[][] dc = Fixtures.directionalAndCentral(file, x, g, 8, 1e-3, new Random(4));
      for (double[] pair : dc) {
        assertEquals(pair[1], pair[0], 1e-3 * Math.max(1, Math.abs(pair[1])));
      }
    }
  }

  /**
   * jlip convert writes each transposed layer as jlip's Conv2DTranspose: the SavedModel gives Keras's logits, and the
   * bound its certify reads, recomputed from the export's weights, is the import's.
   */
  @Test
  void filesConvertToJlipSavedModels(@TempDir Path tmp) throws IOException {
    JsonNode refs = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile());
    // Only its tanh keeps the plain fixture from converting now; it used to be refused for its first layer.
    var e = assertThrows(UnsupportedModelException.class, () -> KerasConverter.convert(LAST, tmp.resolve("last"),
        false));
    assertTrue(e.getMessage().contains("activation 'tanh' of layer 'act'"), e.getMessage());
    for (String name : List.of("spectral_transpose")) {
      Path out = tmp.resolve(name);
      ModelBound bound = KerasConverter.convert(DIR.resolve(name + ".keras"), out, false);
      JsonNode ref = refs.path(name);
      int n = ref.path("inputs").size();
      float[] inputs = Fixtures.referenceInputs(ref.path("inputs"));
      try (ExportCertifiedModel m = ExportCertifiedModel.open(out)) {
        float[] flat = m.logits(inputs, n);
        int c = flat.length / n;
        float[][] logits = new float[n][];
        for (int i = 0; i < n; i++) {
          logits[i] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
        }
        Fixtures.assertReferenceLogits(ref.path("logits"), logits, name);
        assertEquals(bound.measured(), m.bound().measured(), 1e-5 * bound.measured(), name);
      }
    }
  }

  @Test
  void unsupportedOrInconsistentLayersAreRefused(@TempDir Path tmp) throws IOException {
    assertRefused(tmp, LAST, "valid_s21", cfg -> cfg.putArray("output_padding").add(1).add(0), "output_padding");
    assertRefused(tmp, LAST, "same_s1", cfg -> cfg.putArray("dilation_rate").add(2).add(2), "dilation");
    assertRefused(tmp, LAST, "same_s2", cfg -> cfg.put("padding", "causal"), "padding 'causal'");
    assertRefused(tmp, LAST, "same_s2", cfg -> cfg.put("filters", 5), "kernel of shape [3, 3, 4, 3]");
    // 6 x 5 inputs strided by 1024: a 6144 x 5120 x 4 output, above the values jlip accepts per sample.
    assertRefused(tmp, LAST, "same_s2", cfg -> cfg.putArray("strides").add(1024).add(1024), "values jlip accepts");
    // wbar is made for k_coef_lip 1: claiming half of it is a certificate its weights do not keep.
    assertRefused(tmp, SPECTRAL, "spectral_conv2d_transpose", cfg -> cfg.put("k_coef_lip", 0.5), "above its claimed");
  }

  private static void assertRefused(Path tmp, Path source, String layer, Consumer<ObjectNode> edit, String expected)
      throws IOException {
    Path edited = tmp.resolve(layer + "-" + expected.replaceAll("\\W", "") + ".keras");
    Fixtures.rewriteKeras(source, edited, layers -> {
      for (JsonNode l : layers) {
        if (l.path("config").path("name").asText().equals(layer)) {
          edit.accept((ObjectNode) l.path("config"));
        }
      }
    });
    var e = assertThrows(IOException.class, () -> KerasFileImporter.read(edited));
    assertTrue(e.getMessage().contains(layer) && e.getMessage().contains(expected), e.getMessage());
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
