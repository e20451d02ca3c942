package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Optional;
import org.jlip.attack.Classifier;
import org.jlip.attack.MinimalNorm;
import org.jlip.attack.MinimalNormConfig;
import org.jlip.attack.MinimalNormResult;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertificationReport;
import org.jlip.layers.LayerBound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Plain Keras poolings, BatchNormalization and leaky ReLUs in {@code .keras} files written by Keras 3
 * (src/test/python/make_keras_fixtures.py: random batch statistics, a negative gamma, logits computed by Keras).
 */
class KerasInferenceLayersTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] LAYOUTS = {"channels_last", "channels_first"};

  private static JsonNode refs() throws IOException {
    return JSON.readTree(RESOURCES.resolve("reference-logits.json").toFile());
  }

  static void assertLogits(String key, float[] got) throws IOException {
    JsonNode expected = refs().path(key);
    assertEquals(expected.size(), got.length, key);
    for (int k = 0; k < got.length; k++) {
      double e = expected.get(k).asDouble();
      // measured: at most 5e-7 relative (float32 against Keras float32)
      assertEquals(e, got[k], 1e-5 * Math.max(1, Math.abs(e)), key + " logit " + k);
    }
  }

  static LayerBound bound(LoadedModel m, String name) {
    List<String> names = m.layerBounds().layerNames();
    assertTrue(names.contains(name), name + " not in " + names);
    return m.layerBounds().layers().get(names.indexOf(name));
  }

  @Test
  void plainCnnReproducesKerasLogitsInBothLayouts() throws IOException {
    for (String fmt : LAYOUTS) {
      String key = "plain_cnn_bn_" + fmt;
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve(key + ".keras"))) {
        assertArrayEquals(new long[] {28, 28, 1}, m.inputShape(), key);
        assertEquals(fmt.equals("channels_first"), m.channelsFirst(), key);
        assertLogits(key, m.logits(Fixtures.pattern(784), 1)[0]);
        assertEquals(Optional.of("softmax"), m.finalActivationRemoved(), key);
        assertFalse(m.nominalIsOne(), key);
        assertEquals(CertificateRule.SQRT2, m.rule(), key);
        assertEquals("layer 'bn' (BatchNormalization) has no jlip equivalent", m.notConvertibleReason().orElseThrow());
        var e = assertThrows(UnsupportedModelException.class, m::spec);
        assertTrue(e.getMessage().contains("'bn' (BatchNormalization)"), e.getMessage());
      }
    }
  }

  @Test
  void batchNormBoundIsTheLargestScaleAndPoolsAndLeakyReluAreBoundedByOne() throws IOException {
    JsonNode scaleMax = refs().path("plain_cnn_bn_scale_max");
    for (String fmt : LAYOUTS) {
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("plain_cnn_bn_" + fmt + ".keras"))) {
        for (String bn : new String[] {"bn", "bn_b", "bn_c"}) {
          LayerBound b = bound(m, bn);
          assertEquals("diagonal", b.method());
          double expected = scaleMax.path(bn).asDouble();
          assertEquals(expected, b.measured(), 1e-6 * expected, fmt + " " + bn);
          assertEquals(expected, largestScale(m.weights().get(bn), 1e-3), 1e-6 * expected, fmt + " " + bn);
        }
        // center=False: Keras writes gamma, moving_mean, moving_variance only.
        assertEquals(List.of("gamma", "moving_mean", "moving_variance"), List.copyOf(m.weights().get("bn_b").keySet()));
        assertEquals(1.0, bound(m, "leaky").measured(), 0);
        assertEquals(1.0, bound(m, "max_pool").measured(), 0);
        // 3x3 windows every 2 pixels of 13 with "same" padding: a pixel in up to 4 windows, windows of 4 to 9
        // pixels, hence sqrt(4 / 4).
        assertEquals(1.0, bound(m, "avg_pool").measured(), 1e-12);
      }
    }
  }

  @Test
  void boundHoldsForRandomInputPairs() throws IOException {
    Random r = new Random(7);
    int n = 16;
    for (String name : new String[] {"plain_cnn_bn_channels_last", "plain_cnn_bn_channels_first", "plain_mlp_bn"}) {
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve(name + ".keras"))) {
        float[] xs = Fixtures.pairs(n, 784, r);
        double worst = Fixtures.steepestChange(xs, m.logits(xs, 2 * n), n, 784);
        assertTrue(worst <= m.lipschitzBound(), name + ": " + worst + " > " + m.lipschitzBound());
        assertTrue(worst > 0, name);
      }
    }
  }

  @Test
  void certificatesHoldAgainstAMinimalNormAttackThroughPoolsAndBatchNorm() throws IOException {
    // What jlip certify and jlip attack do with a Python model: certificates from the measured bound, the attack
    // on the rebuilt forward graph (gradients through MaxPool, AvgPool, the diagonal and LeakyRelu).
    int n = 8;
    float[] x = new float[n * 784];
    Random r = new Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    try (ImportedCertifiedModel m = ImportedCertifiedModel.open(RESOURCES.resolve("plain_cnn_bn_channels_first.keras"));
        Graph g = new Graph();
        Session s = new Session(g)) {
      float[] logits = m.logits(x, n);
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        for (int k = 1; k < 10; k++) {
          labels[i] = logits[i * 10 + k] > logits[i * 10 + labels[i]] ? k : labels[i];
        }
      }
      float[] radius = CertificationReport.of(m, logits, n, labels, new double[] {0.1}).radiusVsLabel();
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      Classifier c = Classifier.of(g, s, in, m.loaded().buildForward(tf, in));
      MinimalNormResult attack = MinimalNorm.run(c, x, labels, MinimalNormConfig.defaults().withoutClipping());
      for (int i = 0; i < n; i++) {
        assertTrue(radius[i] > 0 && attack.found(i), "sample " + i + ": radius " + radius[i] + ", attack "
            + attack.norm()[i]);
        assertTrue(attack.norm()[i] >= radius[i], "sample " + i + ": adversarial at " + attack.norm()[i]
            + " inside the certified radius " + radius[i]);
      }
    }
  }

  @Test
  void vectorBatchNormWithoutScaleAndLeakyActivations() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("plain_mlp_bn.keras"))) {
      assertLogits("plain_mlp_bn", m.logits(Fixtures.pattern(784), 1)[0]);
      assertEquals(Optional.of("softmax"), m.finalActivationRemoved());
      assertEquals("activation 'leaky_relu' of layer 'hidden' has no jlip equivalent",
          m.notConvertibleReason().orElseThrow());
      Map<String, Weight> w = m.weights().get("bn");
      assertEquals(List.of("beta", "moving_mean", "moving_variance"), List.copyOf(w.keySet()));
      double expected = refs().path("plain_mlp_bn_scale_max").path("bn").asDouble();
      assertEquals(expected, bound(m, "bn").measured(), 1e-6 * expected);
      assertEquals(expected, largestScale(w, 1e-3), 1e-6 * expected);
      assertEquals(1.0, bound(m, "hidden/leaky_relu").measured(), 0);
      assertEquals(1.0, bound(m, "leaky").measured(), 0);
    }
  }

  @Test
  void globalMaxPoolingFromTheFileAndTheExport() throws IOException {
    Random r = new Random(11);
    try (ImportedModel file = KerasFileImporter.read(RESOURCES.resolve("global_max.keras"));
        LoadedModel export = KerasSavedModel.load(RESOURCES.resolve("global_max_export"))) {
      for (LoadedModel m : List.of(file, export)) {
        assertLogits("global_max", m.logits(Fixtures.pattern(784), 1)[0]);
        List<String> names = m.layerBounds().layerNames();
        // The file names the step after the layer; the export after its op, e.g. global_max_1/gmax_1/Max.
        long maxSteps = java.util.stream.IntStream.range(0, names.size())
            .filter(i -> names.get(i).matches("(.*/)?gmax(_\\d+)?(/Max)?")
                && m.layerBounds().layers().get(i).measured() == 1.0).count();
        assertEquals(1, maxSteps, names.toString());
        float[] xs = Fixtures.pairs(16, 784, r);
        double worst = Fixtures.steepestChange(xs, m.logits(xs, 32), 16, 784);
        assertTrue(worst > 0 && worst <= m.lipschitzBound(), worst + " > " + m.lipschitzBound());
      }
      assertEquals(file.lipschitzBound(), export.lipschitzBound(), 1e-9 * file.lipschitzBound());
      assertEquals("layer 'gmax' (GlobalMaxPooling2D) has no jlip equivalent", file.notConvertibleReason().orElseThrow());
    }
  }

  @Test
  void reshapeOfAVectorIntoAnImage(@TempDir Path tmp) throws IOException {
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("reshape_vector.keras"))) {
      assertLogits("reshape_vector", m.logits(Fixtures.pattern(784), 1)[0]);
      assertEquals(1.0, bound(m, "to_image").measured(), 0);
      assertEquals("layer 'to_image' (Reshape) has no jlip equivalent", m.notConvertibleReason().orElseThrow());
    }
    Path bad = tmp.resolve("reshape_27.keras");
    Fixtures.rewriteKeras(RESOURCES.resolve("reshape_vector.keras"), bad, layers -> {
      for (JsonNode l : layers) {
        if (l.path("config").path("name").asText().equals("to_image")) {
          ((ObjectNode) l.path("config")).putArray("target_shape").add(27).add(-1).add(1);
        }
      }
    });
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(bad));
    assertTrue(e.getMessage().contains("layer 'to_image' (Reshape) has target_shape [27,-1,1], which does not hold"
        + " its input [784]"), e.getMessage());
  }

  @Test
  void batchNormOnAnotherAxisThanTheChannelsIsRefused(@TempDir Path tmp) throws IOException {
    // channels_last: axis 1 is the image height; channels_first: axis -1 is its width.
    Object[][] cases = {{"channels_last", 1, "channel axis only: -1 (3-d input)"},
        {"channels_first", -1, "channel axis only: 1 (channels_first image input)"}};
    for (Object[] c : cases) {
      Path bad = tmp.resolve("axis_" + c[0] + ".keras");
      Fixtures.rewriteKeras(RESOURCES.resolve("plain_cnn_bn_" + c[0] + ".keras"), bad, layers -> {
        for (JsonNode l : layers) {
          if (l.path("config").path("name").asText().equals("bn")) {
            ((ObjectNode) l.path("config")).put("axis", (int) c[1]);
          }
        }
      });
      var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(bad));
      assertTrue(e.getMessage().contains("layer 'bn' (BatchNormalization) normalises axis " + c[1])
          && e.getMessage().contains((String) c[2]), e.getMessage());
    }
  }

  @Test
  void deelLipModelKeepsItsNominalClaimOnlyWithLayersBoundedByOne(@TempDir Path tmp) throws IOException {
    // A 1-Lipschitz deel-lip model (channels_first) with one weight-free layer inserted after its first conv.
    Path source = Fixtures.require("deel_lip_keras3/demo3_MNIST08_channelfirst.keras");
    Object[][] cases = {
        {"{\"class_name\": \"MaxPooling2D\", \"config\": {\"name\": \"p\", \"pool_size\": [1, 1], \"strides\": null,"
            + " \"padding\": \"valid\", \"data_format\": \"channels_first\"}}", true},
        {"{\"class_name\": \"LeakyReLU\", \"config\": {\"name\": \"p\", \"negative_slope\": 0.5}}", true},
        {"{\"class_name\": \"AveragePooling2D\", \"config\": {\"name\": \"p\", \"pool_size\": [2, 2],"
            + " \"strides\": [1, 1], \"padding\": \"same\", \"data_format\": \"channels_first\"}}", false},
        {"{\"class_name\": \"LeakyReLU\", \"config\": {\"name\": \"p\", \"negative_slope\": 2.0}}", false}};
    float[] x = Fixtures.pattern(784);
    float[] original;
    try (ImportedModel m = KerasFileImporter.read(source)) {
      assertTrue(m.nominalIsOne());
      original = m.logits(x, 1)[0];
    }
    for (Object[] c : cases) {
      Path edited = tmp.resolve("inserted.keras");
      JsonNode layer = JSON.readTree((String) c[0]);
      Fixtures.rewriteKeras(source, edited, layers -> layers.insert(2, layer));
      try (ImportedModel m = KerasFileImporter.read(edited)) {
        assertEquals(c[1], m.nominalIsOne(), (String) c[0]);
        assertTrue(m.notConvertibleReason().orElseThrow().startsWith("layer 'p' ("), (String) c[0]);
        if (c[0].toString().contains("\"pool_size\": [1, 1]")) {
          // the identity, up to float rounding: the pool stops TensorFlow fusing the conv's bias into it
          assertArrayEquals(original, m.logits(x, 1)[0], 1e-6f, "a 1x1 max pool is the identity");
        }
      }
    }
    // A pooling in the other layout than the model's would pool over channels: refused.
    Path mixed = tmp.resolve("mixed.keras");
    JsonNode pool = JSON.readTree(((String) cases[0][0]).replace("channels_first", "channels_last"));
    Fixtures.rewriteKeras(source, mixed, layers -> layers.insert(2, pool));
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(mixed));
    assertTrue(e.getMessage().contains("data_format channels_last"), e.getMessage());
  }

  /** max |gamma / sqrt(moving_variance + eps)| from the imported Keras variables (gamma 1 when absent). */
  private static double largestScale(Map<String, Weight> w, double eps) {
    float[] var = w.get("moving_variance").values();
    double max = 0;
    for (int i = 0; i < var.length; i++) {
      double g = w.containsKey("gamma") ? w.get("gamma").values()[i] : 1.0;
      max = Math.max(max, Math.abs(g / Math.sqrt(var[i] + eps)));
    }
    return max;
  }

  /** Rescaling(scale, offset) in front of a model: its logits are the model's on x * scale + offset. */
  @Test
  void rescalingScalesTheInputAndBoundsByItsScale(@TempDir Path tmp) throws IOException {
    Path scaled = tmp.resolve("rescaled.keras");
    Fixtures.rewriteKeras(RESOURCES.resolve("global_max.keras"), scaled, layers -> {
      ObjectNode r = JSON.createObjectNode().put("class_name", "Rescaling");
      r.putObject("config").put("name", "rescale").put("scale", -0.5).put("offset", 0.25);
      layers.insert(layers.get(0).path("class_name").asText().equals("InputLayer") ? 1 : 0, r);
    });
    float[] x = Fixtures.pattern(784);
    float[] shifted = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      shifted[i] = x[i] * -0.5f + 0.25f;
    }
    try (ImportedModel plain = KerasFileImporter.read(RESOURCES.resolve("global_max.keras"));
        ImportedModel m = KerasFileImporter.read(scaled)) {
      assertArrayEquals(plain.logits(shifted, 1)[0], m.logits(x, 1)[0], 1e-6f);
      assertEquals(0.5, bound(m, "rescale").measured(), 1e-7);
      assertEquals(0.5 * plain.lipschitzBound(), m.lipschitzBound(), 1e-6 * plain.lipschitzBound());
    }
  }

  /** A Dense on an image acts on its last axis: as the head, the output is no vector, which jlip refuses. */
  @Test
  void aDenseHeadOnAnImageIsRefusedNamingTheOutputShape(@TempDir Path tmp) throws IOException {
    Path bad = tmp.resolve("dense_on_image.keras");
    Fixtures.rewriteKeras(RESOURCES.resolve("global_max.keras"), bad, layers -> {
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i).path("class_name").asText().equals("GlobalMaxPooling2D")) {
          layers.remove(i);
        }
      }
    });
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(bad));
    assertTrue(e.getMessage().contains("output has shape [") && e.getMessage().contains("put a Flatten"),
        e.getMessage());
  }

  @Test
  void invertibleSamplingIsRefusedForItsAmbiguousChannelOrder(@TempDir Path tmp) throws IOException {
    Path edited = tmp.resolve("downsampling.keras");
    JsonNode layer = JSON.readTree("{\"class_name\": \"InvertibleDownSampling\", \"config\": {\"name\": \"down\","
        + " \"pool_size\": [2, 2], \"data_format\": \"channels_last\"}}");
    Fixtures.rewriteKeras(RESOURCES.resolve("global_max.keras"), edited, layers -> layers.insert(2, layer));
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(edited));
    assertTrue(e.getMessage().contains("layer 'down' (InvertibleDownSampling)")
        && e.getMessage().contains("order its channels differently"), e.getMessage());
  }

  @Test
  void aChannelsFirstFlattenOnChannelsLastImagesIsRefused(@TempDir Path tmp) throws IOException {
    // Keras flattens (28, 28, 1) images as (W, C, H) there; reading the model as channels_first would transpose them.
    Path edited = tmp.resolve("flatten_cf.keras");
    Fixtures.rewriteKeras(RESOURCES.resolve("sequential_softmax.keras"), edited, layers -> {
      for (JsonNode l : layers) {
        if (l.path("class_name").asText().equals("Flatten")) {
          ((ObjectNode) l.path("config")).put("data_format", "channels_first");
        }
      }
    });
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(edited));
    assertTrue(e.getMessage().contains("is a Flatten with data_format channels_first")
        && e.getMessage().contains("looks channels_last"), e.getMessage());
  }
}
