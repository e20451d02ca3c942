package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Optional;
import org.jlip.certify.CertificateRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functional {@code .keras} models: files written by Keras 3 itself (src/test/resources/keras, made by
 * src/test/python/make_keras_fixtures.py, logits computed by Keras) and deel-lip's Sequential fixtures rewritten
 * in Keras 3's Functional form, which must import to the same logits.
 */
class KerasFunctionalImportTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static float[] reference(String key) throws IOException {
    JsonNode refs = JSON.readTree(RESOURCES.resolve("reference-logits.json").toFile());
    float[] out = new float[refs.path(key).size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) refs.path(key).get(i).asDouble();
    }
    return out;
  }

  @Test
  void kerasFunctionalChainReproducesKerasLogitsAndItsBoundHolds() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("functional_chain.keras"))) {
      assertArrayEquals(new long[] {28, 28, 1}, m.inputShape());
      assertArrayEquals(reference("functional_chain"), m.logits(Fixtures.pattern(784), 1)[0], 1e-5f);
      assertEquals(Optional.of("softmax"), m.finalActivationRemoved(),
          "the final Activation(softmax) is left out of the logits");
      assertFalse(m.nominalIsOne(), "plain Keras layers carry no nominal bound");
      assertEquals(CertificateRule.SQRT2, m.rule());
      // The bound is a product of layer norms: no pair of inputs may change the logits faster.
      Random r = new Random(1);
      float[] x = Fixtures.pattern(784);
      float[] y = x.clone();
      double d2 = 0;
      for (int i = 0; i < y.length; i++) {
        float d = (float) (r.nextGaussian() * 1e-2);
        y[i] += d;
        d2 += d * d;
      }
      float[][] out = m.logits(concat(x, y), 2);
      double o2 = 0;
      for (int k = 0; k < out[0].length; k++) {
        o2 += (out[0][k] - out[1][k]) * (out[0][k] - out[1][k]);
      }
      assertTrue(Math.sqrt(o2 / d2) <= m.lipschitzBound(), Math.sqrt(o2 / d2) + " > " + m.lipschitzBound());
    }
  }

  @Test
  void sequentialWithSoftmaxActivationReproducesKerasLogits() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("sequential_softmax.keras"))) {
      assertEquals(Optional.of("softmax"), m.finalActivationRemoved());
      assertArrayEquals(reference("sequential_softmax"), m.logits(Fixtures.pattern(784), 1)[0], 1e-5f);
    }
  }

  @Test
  void deelLipGlobalPoolingsAndMaxMinReproduceKerasLogitsInBothLayouts() throws IOException {
    // Made by Keras with stand-ins written from deel-lip's definitions (make_keras_fixtures.py); channels_first
    // files are fed the same image in NHWC, since the importer converts the layout.
    for (String name : new String[] {"global_average_channels_last", "global_average_channels_first",
        "global_l2_channels_last", "global_l2_channels_first", "maxmin_channels_last", "maxmin_channels_first"}) {
      try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve(name + ".keras"))) {
        assertArrayEquals(new long[] {28, 28, 1}, m.inputShape(), name);
        float[] expected = reference(name);
        float[] got = m.logits(Fixtures.pattern(784), 1)[0];
        assertEquals(expected.length, got.length, name);
        for (int k = 0; k < expected.length; k++) {
          // float32 sums of 784 pooled terms scaled by sqrt(784): 1e-5 relative
          assertEquals(expected[k], got[k], 1e-5 * (1 + Math.abs(expected[k])), name + " logit " + k);
        }
      }
    }
  }

  @Test
  void frobeniusConvUsesItsWbarAndAnInflatedOneIsRefused() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("frobenius_conv.keras"))) {
      assertArrayEquals(reference("frobenius_conv"), m.logits(Fixtures.pattern(784), 1)[0], 1e-4f);
      assertEquals(2.0, m.layerBounds().layers().get(0).nominal(), 1e-12, "k_coef_lip carries into the bound");
    }
    // The same file with wbar 1.5x its Frobenius normalisation: its certificate would not hold.
    var e = assertThrows(MalformedModelException.class,
        () -> KerasFileImporter.read(RESOURCES.resolve("frobenius_conv_inflated.keras")));
    assertTrue(e.getMessage().contains("wbar Frobenius norm"), e.getMessage());
  }


  @Test
  void sequentialWithoutInputLayerTakesItsBuildInputShape(@TempDir Path tmp) throws IOException {
    Map<String, byte[]> entries = KerasZip.read(RESOURCES.resolve("sequential_softmax.keras"));
    ObjectNode config = (ObjectNode) JSON.readTree(entries.get("config.json"));
    ArrayNode layers = (ArrayNode) config.path("config").path("layers");
    JsonNode input = layers.remove(0);
    ((ObjectNode) config.path("config")).set("build_input_shape", input.path("config").path("batch_shape"));
    Path built = tmp.resolve("built.keras");
    Fixtures.writeKeras(built, JSON.writeValueAsBytes(config), entries.get("model.weights.h5"));
    try (ImportedModel m = KerasFileImporter.read(built)) {
      assertArrayEquals(new long[] {28, 28, 1}, m.inputShape());
      assertArrayEquals(reference("sequential_softmax"), m.logits(Fixtures.pattern(784), 1)[0], 1e-5f);
    }
    ((ObjectNode) config.path("config")).remove("build_input_shape");
    Fixtures.writeKeras(built, JSON.writeValueAsBytes(config), entries.get("model.weights.h5"));
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(built));
    assertTrue(e.getMessage().contains("no input shape"), e.getMessage());
  }

  @Test
  void kerasExportOfTheChainCertifiesLikeTheKerasFile() throws IOException {
    // model.export() with TF 2.21: DisableCopyOnRead in its saver, biases through Reshape/Squeeze, Flatten through
    // Shape/StridedSlice/Pack; the walk must rebuild the same chain as the .keras file.
    try (LoadedModel saved = KerasSavedModel.load(RESOURCES.resolve("functional_chain_export"));
        ImportedModel file = KerasFileImporter.read(RESOURCES.resolve("functional_chain.keras"))) {
      assertEquals(Optional.of("softmax"), saved.finalActivationRemoved());
      assertArrayEquals(reference("functional_chain"), saved.logits(Fixtures.pattern(784), 1)[0], 1e-5f);
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-9 * file.lipschitzBound());
      assertEquals(file.rule(), saved.rule());
    }
  }

  @Test
  void kerasExportedBatchNormIsADiagonalStep() throws IOException {
    // Keras 3 exports inference batch normalisation as Rsqrt/Mul/Sub/AddV2, folded to x * s + t per channel.
    try (LoadedModel saved = KerasSavedModel.load(RESOURCES.resolve("batchnorm_export"))) {
      assertArrayEquals(reference("batchnorm_export"), saved.logits(Fixtures.pattern(784), 1)[0], 1e-5f);
      var diagonal = saved.layerBounds().layers().stream().filter(b -> b.method().equals("diagonal")).toList();
      assertEquals(1, diagonal.size(), saved.layerBounds().layers().toString());
      JsonNode refs = JSON.readTree(RESOURCES.resolve("reference-logits.json").toFile());
      assertEquals(refs.path("batchnorm_export_scale_max").asDouble(), diagonal.get(0).measured(), 1e-6);
    }
  }

  @Test
  void kerasExportedGlobalAveragePoolingIsTheScaledPooling() throws IOException {
    try (LoadedModel saved = KerasSavedModel.load(RESOURCES.resolve("global_average_export"))) {
      assertArrayEquals(reference("global_average_export"), saved.logits(Fixtures.pattern(784), 1)[0], 1e-5f);
      // mean over 13 x 13 positions: 1/13 of the L2 norm of each channel
      var mean = saved.layerBounds().layers().stream().filter(b -> b.measured() < 0.1).toList();
      assertEquals(1, mean.size(), saved.layerBounds().layers().toString());
      assertEquals(1 / 13.0, mean.get(0).measured(), 1e-12);
    }
  }

  @Test
  void convolutionWithoutStridesIsAMalformedModel(@TempDir Path tmp) throws IOException {
    // A graph from elsewhere may lack what TensorFlow always writes: a clear error naming the folder, never a crash.
    Path dir = tmp.resolve("broken");
    int edited = Fixtures.copyEditingFunctions(RESOURCES.resolve("functional_chain_export"), dir, node -> {
      if (node.getOp().equals("Conv2D")) {
        node.removeAttr("strides");
        return true;
      }
      return false;
    });
    assertTrue(edited > 0, "no Conv2D in the export");
    var e = assertThrows(MalformedModelException.class, () -> KerasSavedModel.load(dir));
    assertTrue(e.getMessage().contains("broken"), e.getMessage());
  }

  @Test
  void residualModelComputesItsSkipSumAndBoundsIt() throws IOException {
    // a = Dense(x), skip = a + Dense_b(a), out = Dense(skip): recomputed here from the file's weights.
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("functional_residual.keras"))) {
      var w = m.weights();
      float[] x = {0.3f, -1.2f, 0.7f, 2.0f};
      double[] a = dense(x, w.get("a").get("kernel"), w.get("a").get("bias"));
      double[] g = dense(toFloats(a), w.get("b").get("kernel"), w.get("b").get("bias"));
      double[] s = new double[a.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = a[i] + g[i];
      }
      double[] out = dense(toFloats(s), w.get("out").get("kernel"), w.get("out").get("bias"));
      float[] got = m.logits(x, 1)[0];
      for (int k = 0; k < out.length; k++) {
        assertEquals(out[k], got[k], 1e-5 * Math.max(1, Math.abs(out[k])), "logit " + k);
      }
      double norm = m.layerBounds().layers().get(m.layerBounds().layerNames().indexOf("skip")).measured();
      double wb = org.jlip.certify.OperatorNorms.spectralNorm(w.get("b").get("kernel").values(), 4, 4);
      assertEquals(1 + wb, norm, 1e-9 * norm, "the skip's bound is 1 + ||W_b||");
      assertEquals(Optional.of("merge layer 'skip' has no jlip equivalent"), m.notConvertibleReason());
    }
  }

  private static double[] dense(float[] x, Weight kernel, Weight bias) {
    int cols = (int) kernel.shape()[1];
    double[] y = new double[cols];
    for (int j = 0; j < cols; j++) {
      y[j] = bias.values()[j];
      for (int i = 0; i < x.length; i++) {
        y[j] += x[i] * kernel.values()[i * cols + j];
      }
    }
    return y;
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  @Test
  void deelLipModelsAsFunctionalImportToTheSameLogits(@TempDir Path tmp) throws IOException {
    for (String name : new String[] {"demo3_MNIST08_channelfirst", "demo3_FC_MNIST08_channelfirst",
        "demo0_MNIST_channelfirst_False_disj_Neurons_normalized"}) {
      Path sequential = Fixtures.require("deel_lip_keras3/" + name + ".keras");
      Path functional = tmp.resolve(name + ".keras");
      asFunctional(sequential, functional);
      try (ImportedModel a = KerasFileImporter.read(sequential);
          ImportedModel b = KerasFileImporter.read(functional)) {
        float[] x = Fixtures.pattern(784);
        // Two graphs of the same maths, not of the same ops: TensorFlow may sum a convolution in another order.
        // Bit-equal in earlier CI runs, they differed by 2-3 ulps (2.3e-7 on 0.34, 1.9e-6 on 7.0) once new test
        // classes changed the order the suite runs in: process-wide TensorFlow state plays a part (reproduced by
        // running CertifierTest's export test first, in the same JVM).
        float[] expected = a.logits(x, 1)[0];
        float[] got = b.logits(x, 1)[0];
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], got[i], 1e-6f * Math.max(1, Math.abs(expected[i])), name + " logit " + i);
        }
        assertEquals(a.rule(), b.rule(), name);
        assertEquals(a.lipschitzBound(), b.lipschitzBound(), 1e-12, name);
        assertEquals(a.channelsFirst(), b.channelsFirst(), name);
      }
    }
  }

  @Test
  void anAddOfOneTensorWithItselfDoublesItAndAChannelsFirstFlattenBeforeAMergeIsRefused(@TempDir Path tmp)
      throws IOException {
    // sequential_softmax: Flatten, Dense(relu), Dense(softmax); with Add([flat, flat]) it computes f(2x).
    Path doubled = tmp.resolve("doubled.keras");
    asFunctional(RESOURCES.resolve("sequential_softmax.keras"), tmp.resolve("f.keras"));
    addTwiceAfterFlatten(tmp.resolve("f.keras"), doubled);
    try (ImportedModel plain = KerasFileImporter.read(RESOURCES.resolve("sequential_softmax.keras"));
        ImportedModel twice = KerasFileImporter.read(doubled)) {
      float[] x = Fixtures.pattern(784);
      float[] x2 = x.clone();
      for (int i = 0; i < x2.length; i++) {
        x2[i] *= 2;
      }
      assertArrayEquals(plain.logits(x2, 1)[0], twice.logits(x, 1)[0], 1e-5f);
      assertEquals(2 * plain.lipschitzBound(), twice.lipschitzBound(), 1e-9 * plain.lipschitzBound());
    }
    Path cf = tmp.resolve("cf.keras");
    asFunctional(RESOURCES.resolve("flatten_default_channels_first.keras"), tmp.resolve("g.keras"));
    addTwiceAfterFlatten(tmp.resolve("g.keras"), cf);
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(cf));
    assertTrue(e.getMessage().contains("merge layer 'twice' reads a Flatten of a channels_first tensor"),
        e.getMessage());
  }

  /** Inserts Add([flat, flat]) named 'twice' after the Flatten of a Functional chain, feeding the next layer. */
  private static void addTwiceAfterFlatten(Path functional, Path out) throws IOException {
    Map<String, byte[]> entries = KerasZip.read(functional);
    JsonNode config = JSON.readTree(entries.get("config.json"));
    ArrayNode layers = (ArrayNode) config.path("config").path("layers");
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).path("class_name").asText().equals("Flatten")) {
        String flat = layers.get(i).path("name").asText();
        ObjectNode add = JSON.createObjectNode().put("class_name", "Add").put("name", "twice");
        add.putObject("config").put("name", "twice");
        ArrayNode args = add.putArray("inbound_nodes").addObject().putArray("args").addArray();
        for (int k = 0; k < 2; k++) {
          ObjectNode t = args.addObject().put("class_name", "__keras_tensor__");
          t.putObject("config").putArray("keras_history").add(flat).add(0).add(0);
        }
        ((ArrayNode) layers.get(i + 1).path("inbound_nodes").get(0).path("args").get(0).path("config")
            .path("keras_history")).set(0, "twice");
        layers.insert(i + 1, add);
        break;
      }
    }
    Fixtures.writeKeras(out, JSON.writeValueAsBytes(config), entries.get("model.weights.h5"));
  }

  /**
   * Rewrites a Sequential {@code .keras} in the form Keras 3 saves a Functional chain (checked against
   * functional_chain.keras): named layers, each with one inbound node whose keras_history names the layer before
   * it, flat input_layers/output_layers triples; the weight file is unchanged (groups are named by class).
   */
  static void asFunctional(Path sequential, Path out) throws IOException {
    Map<String, byte[]> entries = KerasZip.read(sequential);
    JsonNode config = JSON.readTree(entries.get("config.json"));
    ArrayNode layers = (ArrayNode) config.path("config").path("layers");
    String previous = null;
    for (int i = 0; i < layers.size(); i++) {
      ObjectNode l = (ObjectNode) layers.get(i);
      String name = l.path("config").path("name").asText("layer_" + i);
      l.put("name", name);
      ArrayNode inbound = l.putArray("inbound_nodes");
      if (previous != null) {
        ObjectNode node = inbound.addObject();
        ObjectNode tensor = node.putArray("args").addObject();
        tensor.put("class_name", "__keras_tensor__");
        tensor.putObject("config").putArray("keras_history").add(previous).add(0).add(0);
        node.putObject("kwargs");
      }
      previous = name;
    }
    ObjectNode c = (ObjectNode) config.path("config");
    c.putArray("input_layers").add(layers.get(0).path("name").asText()).add(0).add(0);
    c.putArray("output_layers").add(previous).add(0).add(0);
    ((ObjectNode) config).put("class_name", "Functional");
    Fixtures.writeKeras(out, JSON.writeValueAsBytes(config), entries.get("model.weights.h5"));
  }


  private static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
