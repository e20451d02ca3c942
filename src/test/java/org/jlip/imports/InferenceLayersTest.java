package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Layers that move or rescale values and layers that are the identity at inference
 * (src/test/python/make_keras_fixtures.py: inference_layers and its channels_first twin): Normalization (adapted,
 * and given with invert), ZeroPadding2D, Cropping2D, Permute, the dropout and noise layers, ActivityRegularization,
 * Identity and a Softmax layer, each as a .keras file and as model.export(). Both paths must give Keras's logits,
 * agree with each other and bound the measured steepest change.
 */
class InferenceLayersTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final int H = 12;
  private static final int W = 10;
  private static final int C = 3;
  private static final int SIZE = H * W * C;

  @Test
  void channelsLastFileAndExportGiveKerassLogitsAndTheSameBound() throws IOException {
    // Keras's pattern over (H, W, C) is jlip's NHWC input as it is.
    check("inference_layers", Fixtures.pattern(SIZE), 11);
  }

  @Test
  void channelsFirstFileAndExportGiveKerassLogitsAndTheSameBound() throws IOException {
    check("inference_layers_channels_first", Fixtures.nchwPattern(C, H, W), 12);
  }

  @Test
  void aDenseOnAnImageActsOnItsLastAxisInBothLayouts() throws IOException {
    // Channels in channels_last; the width in channels_first (a 1x1 convolution between transposes here).
    for (String fmt : new String[] {"channels_last", "channels_first"}) {
      JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
          .path("dense_on_image_" + fmt);
      float[] x = fmt.equals("channels_last") ? Fixtures.pattern(SIZE) : Fixtures.nchwPattern(C, H, W);
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("dense_on_image_" + fmt + ".keras"))) {
        float[] got = m.logits(x, 1)[0];
        for (int k = 0; k < refs.size(); k++) {
          assertEquals(refs.get(k).asDouble(), got[k], 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble())),
              fmt + " logit " + k);
        }
        // The 1x1 convolution's bound is its kernel's spectral norm, exactly.
        Weight w = m.weights().get("dense_on_image").get("kernel");
        double norm = org.jlip.certify.OperatorNorms.spectralNorm(w.values(), (int) w.shape()[0],
            (int) w.shape()[1]);
        var names = m.layerBounds().layerNames();
        assertEquals(norm, m.layerBounds().layers().get(names.indexOf("dense_on_image")).measured(), 1e-6 * norm,
            fmt);
        Fixtures.assertBoundHolds(m, 8, SIZE, 30, fmt);
      }
    }
  }

  @Test
  void theSoftmaxLayerIsLeftOutAndCertificatesUseTheLogits() throws IOException {
    try (LoadedModel file = ModelLoader.load(RESOURCES.resolve("inference_layers.keras"))) {
      float[] logits = file.logits(Fixtures.pattern(SIZE), 1)[0];
      double sum = 0;
      for (float v : logits) {
        sum += v;
      }
      // Probabilities would sum to 1; these logits (up to 50 in size) do not.
      assertTrue(Math.abs(sum - 1) > 1, "logits sum to " + sum);
    }
  }

  private static void check(String name, float[] pattern, long seed) throws IOException {
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile()).path(name);
    try (LoadedModel file = ModelLoader.load(RESOURCES.resolve(name + ".keras"));
        LoadedModel saved = ModelLoader.load(RESOURCES.resolve(name + "_export"))) {
      assertArrayEquals(new long[] {H, W, C}, file.inputShape());
      assertArrayEquals(new long[] {H, W, C}, saved.inputShape());
      for (LoadedModel m : new LoadedModel[] {file, saved}) {
        float[] got = m.logits(pattern, 1)[0];
        for (int k = 0; k < refs.size(); k++) {
          // Logits reach 50 in size; float32 against Keras's float32.
          assertEquals(refs.get(k).asDouble(), got[k], 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble())),
              m + " logit " + k);
        }
      }
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-6 * file.lipschitzBound());
      int n = 16;
      float[] xs = Fixtures.pairs(n, SIZE, new Random(seed));
      float[][] a = file.logits(xs, 2 * n);
      float[][] b = saved.logits(xs, 2 * n);
      for (int i = 0; i < 2 * n; i++) {
        double scale = 1;
        for (float v : a[i]) {
          scale = Math.max(scale, Math.abs(v));
        }
        for (int k = 0; k < refs.size(); k++) {
          // A small logit can be the difference of large terms: the tolerance follows the sample's largest logit.
          assertEquals(a[i][k], b[i][k], 1e-5 * scale, "sample " + i + " logit " + k);
        }
      }
      double worst = Fixtures.steepestChange(xs, a, n, SIZE);
      assertTrue(worst > 0 && worst <= file.lipschitzBound(), worst + " vs " + file.lipschitzBound());
      Fixtures.assertSameInputGradient(saved, file, xs, 2, 1e-4);
    }
  }

}
