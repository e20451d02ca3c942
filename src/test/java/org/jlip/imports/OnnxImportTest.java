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
import java.util.Random;
import org.jlip.testing.GraphEval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX models exported by PyTorch (src/test/python/make_onnx_fixtures.py; both of torch.onnx.export's exporters,
 * external data included): PyTorch's outputs, a bound that holds, and refusals of what cannot be read.
 */
class OnnxImportTest {
  // -Donnx.dir=... runs the same checks on fixtures made another way (another opset or exporter).
  private static final Path DIR = Path.of(System.getProperty("onnx.dir", "src/test/resources/onnx"));

  private static JsonNode refs() throws IOException {
    return new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile());
  }

  @Test
  void pytorchModelsGiveTorchsOutputsAndBoundsThatHold() throws IOException {
    Object[][] cases = {{"residual_cnn", 1, 12, 12}, {"residual_cnn_dynamo", 1, 12, 12}, {"pooled_cnn", 3, 8, 8},
        {"mlp", 1, 28, 28}, {"torchlip_style", 1, 12, 12}, {"torchlip_style_dynamo", 1, 12, 12},
        {"padded_pools", 2, 13, 13}, {"interpolated", 2, 14, 16}, {"interpolated_dynamo", 2, 14, 16},
        {"mlp_bn", 3, 2, 2}, {"gated", 2, 6, 6}, {"gated_dynamo", 2, 6, 6}, {"l2_pooled", 2, 8, 8},
        {"l2_pooled_dynamo", 2, 8, 8}, {"rearranged", 2, 8, 8}, {"rearranged_dynamo", 2, 8, 8}};
    for (Object[] c : cases) {
      String name = (String) c[0];
      if (!Files.exists(DIR.resolve(name + ".onnx")) && System.getProperty("onnx.dir") != null) {
        System.out.println("not in " + DIR + ": " + name);
        continue;
      }
      int ch = (int) c[1];
      int h = (int) c[2];
      int w = (int) c[3];
      JsonNode ref = refs().path(name);
      float[] x = GraphEval.nchwToNhwc(Fixtures.referenceInputs(ref.path("inputs")), 4, ch, h, w);
      try (LoadedModel m = ModelLoader.load(DIR.resolve(name + ".onnx"))) {
        assertArrayEquals(new long[] {h, w, ch}, m.inputShape(), name);
        float[][] logits = m.logits(x, 4);
        String last = m.finalActivationRemoved().orElse("none");
        for (float[] row : logits) {
          finalActivation(last, row);
        }
        Fixtures.assertReferenceLogits(ref.path("logits"), logits, name + " (after its " + last + ")");
        int size = h * w * ch;
        Fixtures.assertBoundHolds(m, 16, size, 5, name);
      }
    }
  }

  /** A model converted from TensorFlow takes NHWC images and transposes them first: jlip feeds them as they are. */
  @Test
  void anNhwcInputTransposedFirstIsTakenAsIs() throws IOException {
    JsonNode ref = refs().path("channels_last_input");
    try (LoadedModel m = ModelLoader.load(DIR.resolve("channels_last_input.onnx"))) {
      assertArrayEquals(new long[] {6, 5, 3}, m.inputShape());
      Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(Fixtures.referenceInputs(ref.path("inputs")), 4),
          "channels_last_input");
    }
  }

  /**
   * One model through both of PyTorch's exporters: the same function and input gradients. The dynamo exporter folds
   * each batch norm into the convolution before it, which can only tighten the product of the layers' bounds.
   */
  @Test
  void bothExportersGiveTheSameModel() throws IOException {
    try (LoadedModel script = ModelLoader.load(DIR.resolve("residual_cnn.onnx"));
        LoadedModel dynamo = ModelLoader.load(DIR.resolve("residual_cnn_dynamo.onnx"))) {
      assertTrue(dynamo.lipschitzBound() <= script.lipschitzBound() * (1 + 1e-9),
          dynamo.lipschitzBound() + " vs " + script.lipschitzBound());
      float[] xs = Fixtures.pairs(4, 144, new Random(7));
      float[][] a = script.logits(xs, 8);
      float[][] b = dynamo.logits(xs, 8);
      for (int i = 0; i < 8; i++) {
        assertArrayEquals(a[i], b[i], 1e-5f, "sample " + i);
      }
      assertEquals("log_softmax", script.finalActivationRemoved().orElseThrow());
      Fixtures.assertSameInputGradient(dynamo, script, Fixtures.pairs(1, 144, new Random(6)), 2, 1e-4);
    }
  }

  /**
   * deel-torchlip's GroupSort sorts rows of the whole batch reshaped to [-1, n]: on an NCHW image, pairs along the
   * width. Both exporters write it differently (Slice or Split, TopK's k computed or constant); each becomes one
   * exactly bounded step per activation, and the model's logits are PyTorch's (the test above).
   */
  @Test
  void torchlipActivationsAreOneStepEach() throws IOException {
    for (String f : new String[] {"torchlip_style.onnx", "torchlip_style_dynamo.onnx"}) {
      try (LoadedModel m = ModelLoader.load(DIR.resolve(f))) {
        var layers = m.layerBounds().layers();
        long exactOnes = layers.stream().filter(b -> b.method().equals("exact") && b.measured() == 1.0).count();
        long weighted = layers.stream().filter(b -> !b.method().equals("exact")).count();
        assertEquals(5, weighted, f + ": two convolutions and three dense layers");
        assertTrue(exactOnes >= 4 + 4, f + ": biases, the sorts, MaxMin and reshapes: " + m.layerBounds().table());
      }
    }
  }

  @Test
  void certificatesOfAnOnnxModelHoldAgainstAMinimalNormAttack() throws IOException {
    Random r = new Random(8);
    int n = 12;
    float[] x = new float[n * 144];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    try (ImportedCertifiedModel m = ImportedCertifiedModel.open(DIR.resolve("residual_cnn_dynamo.onnx"))) {
      Fixtures.assertCertificatesHoldUnderAttack(m, x, n, org.jlip.attack.MinimalNormConfig.defaults()
          .withoutClipping());
    }
  }

  @Test
  void externalDataOutsideTheModelsFolderIsRefused(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("model"));
    byte[] onnx = Files.readAllBytes(DIR.resolve("mlp.onnx"));
    Files.write(dir.resolve("mlp.onnx"), replace(onnx, "mlp.onnx.data", "../x.onnx.dat"));
    Files.copy(DIR.resolve("mlp.onnx.data"), tmp.resolve("x.onnx.dat"));
    var e = assertThrows(UntrustedModelException.class, () -> ModelLoader.load(dir.resolve("mlp.onnx")).close());
    assertTrue(e.getMessage().contains("not a file in the model's folder"), e.getMessage());
    Files.write(dir.resolve("mlp.onnx"), onnx);
    Files.write(dir.resolve("mlp.onnx.data"), new byte[100]);
    var short_ = assertThrows(UntrustedModelException.class, () -> ModelLoader.load(dir.resolve("mlp.onnx")).close());
    assertTrue(short_.getMessage().contains("reads bytes"), short_.getMessage());
  }

  /**
   * PyTorch's LPPool2d (p = 2), deel-torchlip's L2 pooling, arrives as Pow, AveragePool, Sign, Abs, Relu, Mul and
   * Pow: jlip reads it as one L2 pooling and a factor sqrt(k_h k_w), whose product on non-overlapping 2x2 windows
   * is 1, as for the window's norm. Powers and means that are not poolings are refused with the reason.
   */
  @Test
  void l2PoolingIsReadAsOneBoundedStepAndOtherPowersAndMeansAreRefused() throws IOException {
    try (LoadedModel m = ModelLoader.load(DIR.resolve("l2_pooled_dynamo.onnx"))) {
      var layers = m.layerBounds().layers();
      int pool = 0;
      while (pool < layers.size() && !(layers.get(pool).method().equals("exact") && layers.get(pool).measured() == 0.5)) {
        pool++;
      }
      assertTrue(pool + 1 < layers.size(), m.layerBounds().table());
      assertEquals(2.0, layers.get(pool + 1).measured(), 1e-6, m.layerBounds().table());
    }
    var mean = assertThrows(UnsupportedModelException.class,
        () -> ModelLoader.load(DIR.resolve("channel_mean.onnx")).close());
    assertTrue(mean.getMessage().contains("a mean over axes [1] of an image; jlip reads ReduceMean over H and W"),
        mean.getMessage());
    var cubed = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(DIR.resolve("cubed.onnx")).close());
    assertTrue(cubed.getMessage().contains("Pow of an activation by 3.0; jlip reads Pow only in L2 pooling"),
        cubed.getMessage());
  }

  /**
   * Values moved, not mixed (deel-torchlip's InvertibleDownSampling as concatenated strided slices and as its
   * functional reshapes, pixel_shuffle as DepthToSpace, pixel_unshuffle, a crop): in both exports every step
   * between the three convolutions and the dense layer is exactly 1, so the bound is the weights' product.
   */
  @Test
  void rearrangementsAreBoundedByOne() throws IOException {
    for (String f : new String[] {"rearranged.onnx", "rearranged_dynamo.onnx"}) {
      try (LoadedModel m = ModelLoader.load(DIR.resolve(f))) {
        var layers = m.layerBounds().layers();
        double weights = 1;
        for (var b : layers) {
          if (b.method().equals("exact")) {
            assertEquals(1.0, b.measured(), 0, f + ": " + b);
          } else {
            weights *= b.measured();
          }
        }
        assertEquals(4, layers.stream().filter(b -> !b.method().equals("exact")).count(),
            f + ": " + m.layerBounds().table());
        assertEquals(weights, m.lipschitzBound(), 1e-9 * weights, f + ": " + m.layerBounds().table());
      }
    }
  }

  /** Found by fuzzing: one edited byte shrinks an image below its pooling window; refused, not passed to TF. */
  @Test
  void aWindowLargerThanItsImageIsRefused(@TempDir Path tmp) throws IOException {
    byte[] b = Files.readAllBytes(DIR.resolve("l2_pooled.onnx"));
    b[1276] = 15;
    Path file = tmp.resolve("l2_pooled_edited.onnx");
    Files.write(file, b);
    var e = assertThrows(MalformedModelException.class, () -> ModelLoader.load(file).close());
    assertTrue(e.getMessage().contains("leaves no output"), e.getMessage());
  }

  @Test
  void anOpWithoutABoundIsNamed(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("hardmax.onnx");
    Files.write(file, replace(Files.readAllBytes(DIR.resolve("pooled_cnn.onnx")), "Softmax", "Hardmax"));
    var e = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(file).close());
    assertTrue(e.getMessage().contains("(Hardmax)") && e.getMessage().contains("op Hardmax is not read"),
        e.getMessage());
  }

  private static void finalActivation(String kind, float[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : z) {
      sum += Math.exp(v - max);
    }
    for (int k = 0; k < z.length; k++) {
      if (kind.equals("softmax")) {
        z[k] = (float) (Math.exp(z[k] - max) / sum);
      } else if (kind.equals("log_softmax")) {
        z[k] = (float) (z[k] - max - Math.log(sum));
      }
    }
  }

  /** The bytes with one ASCII string replaced by another of the same length or not (a protobuf string field). */
  static byte[] replace(byte[] data, String from, String to) {
    String s = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = s.indexOf(from);
    assertTrue(at > 0, from + " not found");
    if (from.length() == to.length()) {
      return s.replace(from, to).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    throw new IllegalArgumentException("a string of another length would change the enclosing messages' sizes");
  }

  /**
   * BatchNormalization and PRelu act on ONNX's axis 1 when the tensor is not an image
   * (make_onnx_channel_axis_fixtures.py): a sequence [N, 3, 5], a square one [N, 4, 4] (where reading the last axis
   * fitted and gave wrong logits silently; [N, 3, 5] was refused) and a convolution's output reshaped to [N, 3, 20].
   */
  @Test
  void perChannelOpsOnTensorsThatAreNotImagesActOnTheChannels() throws IOException {
    Path dir = Path.of("src", "test", "resources", "onnx", "channel_axis");
    JsonNode refs = new ObjectMapper().readTree(dir.resolve("reference-logits.json").toFile());
    for (String name : new String[] {"sequence", "sequence_square", "conv_reshaped"}) {
      float[] x = Fixtures.referenceInputs(refs.path(name).path("inputs"));
      try (LoadedModel m = ModelLoader.load(dir.resolve(name + ".onnx"))) {
        Fixtures.assertReferenceLogits(refs.path(name).path("logits"), m.logits(x, 4), name);
        int size = x.length / 4;
        Fixtures.assertBoundHolds(m, 16, size, 17, name);
      }
    }
  }
}
