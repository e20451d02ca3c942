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
import java.util.Optional;
import java.util.Random;
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
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Element-wise activations (tanh, sigmoid, relu6, ReLU(max_value), elu, ELU(alpha), selu, softplus) in a Keras 3
 * {@code .keras} file and its {@code model.export()} (src/test/python/make_keras_fixtures.py: activations_mlp, one
 * logit behind a final sigmoid, reference logit computed by Keras before it).
 */
class KerasActivationsTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final Path FILE = RESOURCES.resolve("activations_mlp.keras");
  private static final Path EXPORT = RESOURCES.resolve("activations_export");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double SELU = 1.7580993408473766;

  private static void assertReferenceLogit(LoadedModel m) throws IOException {
    double expected = JSON.readTree(RESOURCES.resolve("reference-logits.json").toFile()).path("activations_mlp")
        .get(0).asDouble();
    float[][] got = m.logits(Fixtures.pattern(784), 1);
    assertEquals(1, got[0].length);
    // measured: 1e-7 (float32 against Keras float32)
    assertEquals(expected, got[0][0], 1e-5 * Math.max(1, Math.abs(expected)), m.source());
  }

  @Test
  void kerasFileReproducesKerasAndDropsTheFinalSigmoid() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(FILE)) {
      assertReferenceLogit(m);
      assertEquals(Optional.of("sigmoid"), m.finalActivationRemoved());
      assertEquals(CertificateRule.BINARY, m.rule());
      assertFalse(m.nominalIsOne(), "plain Dense layers");
      assertEquals("activation 'tanh' of layer 'tanh' has no jlip equivalent", m.notConvertibleReason().orElseThrow());
      Map<String, Double> expected = Map.of("tanh/tanh", 1.0, "elu/elu", 1.0, "selu/selu", SELU, "relu6/relu6", 1.0,
          "relu_max6", 1.0, "elu_half", 1.0, "relu_max4", 1.0, "softplus/softplus", 1.0, "sigmoid/sigmoid", 0.25);
      expected.forEach((name, l) -> {
        LayerBound b = KerasInferenceLayersTest.bound(m, name);
        assertEquals(l, b.measured(), 0, name);
        assertEquals("exact", b.method(), name);
      });
      assertFalse(m.layerBounds().layerNames().contains("out/sigmoid"), m.layerBounds().layerNames().toString());
      double product = m.layerBounds().layers().stream().mapToDouble(LayerBound::measured).reduce(1, (a, b) -> a * b);
      assertEquals(product, m.lipschitzBound(), 1e-12 * product);
    }
  }

  @Test
  void kerasExportRebuildsTheSameFunctionAndBound() throws IOException {
    // Tanh, Elu, Selu, Relu6, Softplus and Sigmoid ops; ReLU(max_value=4) as Relu, Minimum, Maximum; ELU(0.5) as
    // SelectV2(Greater(x, 0), Elu(x), 0.5 * Elu(x)), one step.
    try (LoadedModel saved = KerasSavedModel.load(EXPORT); ImportedModel file = KerasFileImporter.read(FILE)) {
      assertReferenceLogit(saved);
      assertEquals(Optional.of("sigmoid"), saved.finalActivationRemoved());
      assertEquals(CertificateRule.BINARY, saved.rule());
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-9 * file.lipschitzBound());
      List<String> names = saved.layerBounds().layerNames();
      List<Double> activations = names.stream().filter(s -> !s.matches(".*/(MatMul|BiasAdd|Add|Reshape)"))
          .map(s -> KerasInferenceLayersTest.bound(saved, s).measured()).sorted().toList();
      // sigmoid; tanh, elu, relu6 twice, ELU(0.5), relu, minimum, maximum, softplus; selu
      assertEquals(List.of(0.25, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, SELU), activations);
      assertTrue(names.stream().anyMatch(s -> s.endsWith("elu_half_1/SelectV2")), names.toString());
      // The served output is the sigmoid of the rebuilt logit, on images other than the pattern too.
      int n = 16;
      float[] x = random(n, 5);
      float[][] ours = saved.logits(x, n);
      float[] served = new float[n];
      try (SavedModelBundle b = SavedModelBundle.load(EXPORT.toString(), "serve");
          TFloat32 t = TFloat32.tensorOf(Shape.of(n, 28, 28, 1), DataBuffers.of(x, true, false))) {
        var f = b.function("serving_default");
        try (var r = f.call(Map.of(f.signature().inputNames().iterator().next(), (Tensor) t))) {
          ((TFloat32) r.get(f.signature().outputNames().iterator().next()).get())
              .copyTo(DataBuffers.of(served, false, false));
        }
      }
      float[][] fromFile = file.logits(x, n);
      for (int i = 0; i < n; i++) {
        assertEquals(served[i], 1 / (1 + Math.exp(-ours[i][0])), 1e-6, "sample " + i);
        assertEquals(fromFile[i][0], ours[i][0], 1e-5, "sample " + i);
      }
    }
  }

  @Test
  void boundHoldsForRandomInputPairs() throws IOException {
    int n = 32;
    float[] xs = Fixtures.pairs(n, 784, new Random(9));
    for (Path p : new Path[] {FILE, EXPORT}) {
      try (LoadedModel m = ModelLoader.load(p)) {
        double worst = Fixtures.steepestChange(xs, m.logits(xs, 2 * n), n, 784);
        assertTrue(worst > 0 && worst <= m.lipschitzBound(), p + ": " + worst + " vs bound " + m.lipschitzBound());
      }
    }
  }

  @Test
  void inputGradientsOfTheRebuiltGraphsMatchFiniteDifferences() throws IOException {
    // What the attacks differentiate: d logit / dx along random directions, against central differences of the
    // rebuilt graph (both sources, so the export's Minimum, Maximum and ELU select are covered too).
    for (Path p : new Path[] {FILE, EXPORT}) {
      try (LoadedModel m = ModelLoader.load(p)) {
        int samples = 6;
        float[] x = random(samples, 8);
        double[][] dc = Fixtures.directionalAndCentral(m, x, Fixtures.inputGradient(m, x, samples), samples, 1e-3,
            new Random(2));
        for (int k = 0; k < samples; k++) {
          assertEquals(dc[k][1], dc[k][0], 1e-2 * Math.max(0.1, Math.abs(dc[k][1])), p + " sample " + k);
        }
        assertTrue(java.util.Arrays.stream(dc).anyMatch(v -> Math.abs(v[0]) > 1e-3), p.toString());
      }
    }
  }

  @Test
  void certificatesHoldAgainstAMinimalNormAttack() throws IOException {
    int n = 8;
    float[] x = random(n, 3);
    try (ImportedCertifiedModel m = ImportedCertifiedModel.open(EXPORT); Graph g = new Graph();
        Session s = new Session(g)) {
      float[] logits = m.logits(x, n);
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = logits[i] > 0 ? 1 : 0;
      }
      float[] radius = CertificationReport.of(m, logits, n, labels, new double[] {0.1}).radiusVsLabel();
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      Classifier c = Classifier.of(g, s, in, m.loaded().buildForward(tf, in));
      MinimalNormResult attack = MinimalNorm.run(c, x, labels, MinimalNormConfig.defaults().withoutClipping());
      // Certificates are sound wherever the attack succeeds; on some images the logit cannot change sign near by
      // (the middle sigmoid bounds its range), so the attack must succeed on half of them at least.
      Fixtures.assertAttackRespectsCertificates(radius, attack, n);
    }
  }

  @Test
  void deelLipModelKeepsItsNominalClaimOnlyWithActivationsBoundedByOne(@TempDir Path tmp) throws IOException {
    // A 1-Lipschitz deel-lip MLP with one activation inserted after its first SpectralDense.
    Path source = Fixtures.require("deel_lip_keras3/demo3_FC_MNIST08_channelfirst.keras");
    Object[][] cases = {
        {"{\"class_name\": \"Activation\", \"config\": {\"name\": \"p\", \"activation\": \"tanh\"}}", true, 1.0},
        {"{\"class_name\": \"Activation\", \"config\": {\"name\": \"p\", \"activation\": \"sigmoid\"}}", true, 0.25},
        {"{\"class_name\": \"Activation\", \"config\": {\"name\": \"p\", \"activation\": \"softplus\"}}", true, 1.0},
        {"{\"class_name\": \"Activation\", \"config\": {\"name\": \"p\", \"activation\": \"elu\"}}", true, 1.0},
        {"{\"class_name\": \"Activation\", \"config\": {\"name\": \"p\", \"activation\": \"selu\"}}", false, SELU},
        {"{\"class_name\": \"ReLU\", \"config\": {\"name\": \"p\", \"max_value\": 6.0, \"negative_slope\": 0.0,"
            + " \"threshold\": 0.0}}", true, 1.0},
        {"{\"class_name\": \"ReLU\", \"config\": {\"name\": \"p\", \"max_value\": 2.5}}", true, 1.0},
        {"{\"class_name\": \"ELU\", \"config\": {\"name\": \"p\", \"alpha\": 0.5}}", true, 1.0},
        {"{\"class_name\": \"ELU\", \"config\": {\"name\": \"p\", \"alpha\": 2.0}}", false, 2.0},
        {"{\"class_name\": \"ELU\", \"config\": {\"name\": \"p\"}}", true, 1.0}};
    for (Object[] c : cases) {
      Path edited = tmp.resolve("inserted.keras");
      JsonNode layer = JSON.readTree((String) c[0]);
      Fixtures.rewriteKeras(source, edited, layers -> layers.insert(3, layer));
      try (ImportedModel m = KerasFileImporter.read(edited)) {
        assertEquals(c[1], m.nominalIsOne(), (String) c[0]);
        String stepName = layer.path("class_name").asText().equals("Activation")
            ? "p/" + layer.path("config").path("activation").asText() : "p";
        assertEquals((double) c[2], KerasInferenceLayersTest.bound(m, stepName).measured(), 0, (String) c[0]);
        assertTrue(m.notConvertibleReason().orElseThrow().contains("'p'"), (String) c[0]);
        assertEquals(Optional.empty(), m.finalActivationRemoved(), "a sigmoid in the middle stays");
      }
    }
  }

  @Test
  void finalSigmoidOfADeelLipModelIsLeftOutAndKeepsItConvertible(@TempDir Path tmp) throws IOException {
    // Two logits behind element-wise sigmoids (multi-label): their order, hence the decision, is the logits'.
    Path source = Fixtures.require("deel_lip_keras3/demo3_FC_MNIST08_channelfirst.keras");
    Path edited = tmp.resolve("final_sigmoid.keras");
    Fixtures.rewriteKeras(source, edited, layers -> ((ObjectNode) layers.get(layers.size() - 1)
        .path("config")).put("activation", "sigmoid"));
    float[] x = Fixtures.pattern(784);
    try (ImportedModel original = KerasFileImporter.read(source); ImportedModel m = KerasFileImporter.read(edited)) {
      assertEquals(Optional.of("sigmoid"), m.finalActivationRemoved());
      assertEquals(Optional.empty(), m.notConvertibleReason());
      assertTrue(m.nominalIsOne());
      assertEquals(original.spec().layers(), m.spec().layers());
      assertArrayEquals(original.logits(x, 1)[0], m.logits(x, 1)[0], 0f);
      assertEquals(original.lipschitzBound(), m.lipschitzBound(), 0);
      assertEquals(original.rule(), m.rule());
    }
  }

  @Test
  void unboundedOrUnknownActivationsAreRefusedNamingThem(@TempDir Path tmp) throws IOException {
    Object[][] cases = {
        {"{\"class_name\": \"ReLU\", \"config\": {\"name\": \"p\", \"max_value\": 4.0, \"negative_slope\": 0.1}}",
            "layer 'p' is a ReLU with threshold 0.0, max_value 4.0 and negative_slope 0.1"},
        {"{\"class_name\": \"ReLU\", \"config\": {\"name\": \"p\", \"threshold\": 0.5}}", "threshold 0.5"},
        {"{\"class_name\": \"Activation\", \"config\": {\"name\": \"p\", \"activation\": \"exponential\"}}",
            "activation 'exponential' of layer 'p' is not supported (linear, relu, leaky_relu, relu6, tanh, sigmoid,"
                + " elu, selu, softplus, gelu, silu/swish, mish"}};
    for (Object[] c : cases) {
      Path edited = tmp.resolve("refused.keras");
      JsonNode layer = JSON.readTree((String) c[0]);
      Fixtures.rewriteKeras(FILE, edited, layers -> layers.insert(3, layer));
      var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(edited));
      assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
    }
  }

  @Test
  void aSelectOtherThanKerasEluIsRefused(@TempDir Path tmp) throws IOException {
    // where(x > 1, elu(x), 0.5 * elu(x)) is no ELU: the walk must not take it for one.
    Path dir = tmp.resolve("select");
    int edited = Fixtures.copyEditingFunctions(EXPORT, dir, node -> {
      if (!node.getOp().equals("Const") || !node.getName().endsWith("/Greater/y")) {
        return false;
      }
      var value = node.getAttrOrThrow("value").toBuilder();
      value.getTensorBuilder().clearFloatVal().clearTensorContent().addFloatVal(1f);
      node.putAttr("value", value.build());
      return true;
    });
    assertTrue(edited > 0, "no Greater in the export");
    var e = assertThrows(UnsupportedModelException.class, () -> KerasSavedModel.load(dir));
    assertTrue(e.getMessage().contains("Greater") && e.getMessage().contains("ELU(alpha)"), e.getMessage());
  }

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 784];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }
}
