package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jlip.certify.CertificateRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy Keras HDF5 model files (src/test/python/make_h5_fixtures.py): Keras 3's .h5 twins of .keras fixtures, a
 * deel-lip-style model and a Keras 2-style file must give Keras's logits and the .keras files' bounds; broken files
 * give errors that name what is wrong.
 */
class LegacyH5Test {
  private static final Path KERAS = Path.of("src", "test", "resources", "keras");
  private static final Path H5 = KERAS.resolve("h5");

  private static JsonNode refs() throws IOException {
    return new ObjectMapper().readTree(H5.resolve("reference-logits.json").toFile());
  }

  private static float[] pattern(ImportedModel m) {
    int size = (int) Arrays.stream(m.inputShape()).reduce(1, (a, b) -> a * b);
    long[] s = m.inputShape();
    // Keras's pattern runs over the model's own layout; jlip takes NHWC.
    return m.channelsFirst() ? Fixtures.nchwPattern((int) s[2], (int) s[0], (int) s[1]) : Fixtures.pattern(size);
  }

  private static void assertLogits(JsonNode want, float[] got, String what) {
    assertEquals(want.size(), got.length, what);
    for (int k = 0; k < got.length; k++) {
      double w = want.get(k).asDouble();
      assertEquals(w, got[k], 1e-5 * Math.max(1, Math.abs(w)), what + " logit " + k);
    }
  }

  @Test
  void h5TwinsGiveKerassLogitsAndTheKerasFilesBounds() throws IOException {
    JsonNode refs = refs();
    List<String> twins = List.of("functional_chain", "plain_cnn_bn_channels_last", "plain_cnn_bn_channels_first",
        "nested_models", "merges", "depthwise_channels_last", "prelu_channels_last", "dense_on_image_channels_last",
        "activations_mlp");
    for (String name : twins) {
      try (ImportedModel h5 = KerasFileImporter.read(H5.resolve(name + ".h5"));
          ImportedModel keras = KerasFileImporter.read(KERAS.resolve(name + ".keras"))) {
        assertArrayEquals(keras.inputShape(), h5.inputShape(), name);
        assertLogits(refs.path(name), h5.logits(pattern(h5), 1)[0], name);
        assertEquals(keras.lipschitzBound(), h5.lipschitzBound(), 1e-9 * keras.lipschitzBound(), name);
        assertEquals(keras.layerBounds().layerNames(), h5.layerBounds().layerNames(), name);
        assertEquals(keras.rule(), h5.rule(), name);
        int size = pattern(h5).length;
        float[] xs = Fixtures.pairs(4, size, new Random(name.hashCode()));
        float[][] a = h5.logits(xs, 8);
        float[][] b = keras.logits(xs, 8);
        for (int i = 0; i < a.length; i++) {
          assertArrayEquals(b[i], a[i], 1e-6f, name + " input " + i);
        }
      }
    }
  }

  @Test
  void deelLipLayersReadTheirWbarFromTheWeightList() throws IOException {
    // Keras's logits come from wbar (the fixture's call reads it); the raw kernels would give others.
    try (ImportedModel h5 = KerasFileImporter.read(H5.resolve("deel_lip_style.h5"));
        ImportedModel keras = KerasFileImporter.read(H5.resolve("deel_lip_style.keras"))) {
      assertLogits(refs().path("deel_lip_style"), h5.logits(Fixtures.pattern(12 * 12), 1)[0], "h5");
      assertLogits(refs().path("deel_lip_style"), keras.logits(Fixtures.pattern(12 * 12), 1)[0], ".keras");
      assertEquals(CertificateRule.DISJOINT, h5.rule());
      assertTrue(h5.nominalIsOne());
      assertEquals(keras.lipschitzBound(), h5.lipschitzBound(), 1e-9);
      // An orthogonal wbar times the conv coefficient 12/34 (3x3 on 12 x 12) is at most 3 x 12/34; then 1 and 1.
      assertEquals(1.0, h5.layerBounds().nominal(), 1e-12);
      assertTrue(h5.lipschitzBound() > 0.5 && h5.lipschitzBound() <= 3 * 12.0 / 34 * (1 + 1e-5),
          "bound " + h5.lipschitzBound());
    }
  }

  @Test
  void keras2DeelLipFileWithAnUnnamedWbar() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(H5.resolve("keras2_deel_lip.h5"));
        ImportedModel keras3 = KerasFileImporter.read(H5.resolve("deel_lip_style.keras"))) {
      assertLogits(refs().path("keras2_deel_lip"), m.logits(Fixtures.pattern(12 * 12), 1)[0], "keras2_deel_lip");
      assertEquals(CertificateRule.DISJOINT, m.rule());
      assertEquals(keras3.lipschitzBound(), m.lipschitzBound(), 1e-9);
    }
  }

  @Test
  void keras2FileWithByteStringNamesAndListAxes() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(H5.resolve("keras2_cnn.h5"));
        ImportedModel keras3 = KerasFileImporter.read(KERAS.resolve("plain_cnn_bn_channels_last.keras"))) {
      assertLogits(refs().path("keras2_cnn"), m.logits(Fixtures.pattern(784), 1)[0], "keras2_cnn");
      assertEquals(keras3.lipschitzBound(), m.lipschitzBound(), 1e-9 * keras3.lipschitzBound());
      assertEquals(java.util.Optional.of("softmax"), m.finalActivationRemoved());
    }
  }

  /** Keras splits a long weight_names attribute into weight_names0, weight_names1, ...: read in order. */
  @Test
  void chunkedWeightNamesAreReadInOrder() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(H5.resolve("chunked_names.h5"))) {
      assertLogits(refs().path("functional_chain"), m.logits(Fixtures.pattern(784), 1)[0], "chunked_names");
    }
  }

  /** TF 2.0-2.3 wrote a Sequential without an InputLayer entry: its first layer carries batch_input_shape. */
  @Test
  void keras2SequentialWithTheShapeOnItsFirstLayer() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(H5.resolve("keras2_mlp_tf20.h5"))) {
      assertArrayEquals(new long[] {784}, m.inputShape());
      assertLogits(refs().path("keras2_mlp_tf20"), m.logits(Fixtures.pattern(784), 1)[0], "keras2_mlp_tf20");
      Fixtures.assertBoundHolds(m, 8, 784, 3, "");
    }
  }

  @Test
  void modelLoaderTellsH5FilesByTheirSignature(@TempDir Path tmp) throws IOException {
    Path renamed = tmp.resolve("model.bin");
    Files.copy(H5.resolve("functional_chain.h5"), renamed);
    try (LoadedModel m = ModelLoader.load(renamed)) {
      assertLogits(refs().path("functional_chain"), m.logits(Fixtures.pattern(784), 1)[0], "renamed");
    }
    Path text = tmp.resolve("notes.h5");
    Files.writeString(text, "not a model");
    var e = assertThrows(MalformedModelException.class, () -> ModelLoader.load(text));
    assertTrue(e.getMessage().contains("Keras HDF5"), e.getMessage());
  }

  @Test
  void brokenFilesSayWhatIsWrong(@TempDir Path tmp) throws IOException {
    var weightsOnly = assertThrows(MalformedModelException.class,
        () -> KerasFileImporter.read(H5.resolve("weights_only.weights.h5")));
    assertTrue(weightsOnly.getMessage().contains("without a model_config"), weightsOnly.getMessage());
    var badJson = assertThrows(MalformedModelException.class,
        () -> KerasFileImporter.read(H5.resolve("bad_config.h5")));
    assertTrue(badJson.getMessage().contains("model_config is not valid JSON"), badJson.getMessage());
    var missing = assertThrows(MalformedModelException.class,
        () -> KerasFileImporter.read(H5.resolve("missing_weight.h5")));
    assertTrue(missing.getMessage().contains("layer 'd'") && missing.getMessage().contains("tiny/d/bias"),
        missing.getMessage());
    // A file cut short fails with a malformed-model error, unless the cut only removed bytes no weight uses.
    byte[] all = Files.readAllBytes(H5.resolve("functional_chain.h5"));
    for (int cut : new int[] {8, 100, 2000, all.length / 2, all.length - 10}) {
      Path p = tmp.resolve("cut" + cut + ".h5");
      Files.write(p, Arrays.copyOf(all, cut));
      try (ImportedModel m = KerasFileImporter.read(p)) {
        assertTrue(cut > all.length / 2, "cut at " + cut + " loaded");
        assertLogits(refs().path("functional_chain"), m.logits(Fixtures.pattern(784), 1)[0], "cut at " + cut);
      } catch (MalformedModelException expected) {
        assertTrue(expected.getMessage().contains(p.toString()), expected.getMessage());
      }
    }
  }
}
