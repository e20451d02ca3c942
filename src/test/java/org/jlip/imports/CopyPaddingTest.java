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
import org.jlip.layers.LayerBound;
import org.jlip.testing.GraphEval;
import org.junit.jupiter.api.Test;

/**
 * Padding that copies border values (src/test/python/make_copy_padding_fixtures.py): PyTorch's padding_mode reflect,
 * replicate and circular through ONNX (Pad modes reflect, edge, wrap), and MirrorPad (reflect, symmetric) in a Keras
 * export, each read as gathers along H and W whose bound is exact.
 */
class CopyPaddingTest {
  private static final Path ONNX = Path.of("src", "test", "resources", "onnx", "padding");
  private static final Path KERAS = Path.of("src", "test", "resources", "keras", "mirror");

  @Test
  void copyPaddedModelsGiveTheirLibrarysOutputsAndBoundsThatHold() throws IOException {
    JsonNode torch = new ObjectMapper().readTree(ONNX.resolve("reference-logits.json").toFile());
    JsonNode keras = new ObjectMapper().readTree(KERAS.resolve("reference-logits.json").toFile());
    Object[][] cases = {{ONNX.resolve("copy_padded_dynamo.onnx"), torch.path("copy_padded_dynamo"), true},
        {ONNX.resolve("copy_padded.onnx"), torch.path("copy_padded"), true},
        {ONNX.resolve("circular_rows.onnx"), torch.path("circular_rows"), true},
        {KERAS.resolve("mirror_padded_export"), keras.path("mirror_padded"), false}};
    for (Object[] c : cases) {
      JsonNode ref = (JsonNode) c[1];
      float[] x = Fixtures.referenceInputs(ref.path("inputs"));
      if ((boolean) c[2]) {
        x = GraphEval.nchwToNhwc(x, 4, 2, 6, 5);
      }
      try (LoadedModel m = ModelLoader.load((Path) c[0])) {
        Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(x, 4), c[0].toString());
        float[] xs = Fixtures.pairs(16, 60, new Random(8));
        double worst = Fixtures.steepestChange(xs, m.logits(xs, 32), 16, 60);
        assertTrue(worst > 0 && worst <= m.lipschitzBound(), c[0] + ": " + worst + " vs " + m.lipschitzBound());
        float[] g = Fixtures.inputGradient(m, xs, 8);
        for (double[] pair : Fixtures.directionalAndCentral(m, java.util.Arrays.copyOf(xs, 8 * 60), g, 8, 1e-3,
            new Random(9))) {
          assertEquals(pair[1], pair[0], 1e-3 * Math.max(1, Math.abs(pair[1])), c[0] + ": gradient");
        }
      }
    }
  }

  /** numpy.pad's modes (reflect, symmetric, edge, wrap) on [0, 1, 2] with 2 before and 2 after. */
  @Test
  void sourcesAreNumpysPadModes() throws UnsupportedModelException {
    assertArrayEquals(new int[] {2, 1, 0, 1, 2, 1, 0}, CopyPadding.sources(3, 2, 2, "reflect", "w"));
    assertArrayEquals(new int[] {1, 0, 0, 1, 2, 2, 1}, CopyPadding.sources(3, 2, 2, "SYMMETRIC", "w"));
    assertArrayEquals(new int[] {0, 0, 0, 1, 2, 2, 2}, CopyPadding.sources(3, 2, 2, "edge", "w"));
    assertArrayEquals(new int[] {1, 2, 0, 1, 2, 0, 1}, CopyPadding.sources(3, 2, 2, "wrap", "w"));
    String wide = assertThrows(UnsupportedModelException.class, () -> CopyPadding.sources(3, 3, 0, "reflect", "w"))
        .getMessage();
    assertTrue(wide.contains("at most 2 each"), wide);
    String mode = assertThrows(UnsupportedModelException.class, () -> CopyPadding.sources(3, 1, 1, "mirror", "w"))
        .getMessage();
    assertTrue(mode.contains("padding mode mirror"), mode);
  }

  /** The gathers against TensorFlow's own MirrorPad, and their bound against the norm of the operator. */
  @Test
  void gathersAreTensorFlowsMirrorPadWithAnExactBound() throws UnsupportedModelException {
    Random r = new Random(3);
    long[] in = {5, 4, 2};
    int[][] pads = {{1, 1, 1, 1}, {4, 0, 0, 3}, {2, 3, 1, 0}};
    for (String mode : new String[] {"REFLECT", "SYMMETRIC"}) {
      for (int[] p : pads) {
        if (mode.equals("REFLECT") && p[3] > 3) {
          continue;
        }
        Step.Gather rows = new Step.Gather("h", 0, CopyPadding.sources(5, p[0], p[1], mode, "w"));
        Step.Gather cols = new Step.Gather("w", 1, CopyPadding.sources(4, p[2], p[3], mode, "w"));
        long[] mid = rows.outputShape(in);
        float[] x = new float[3 * 40];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) r.nextGaussian();
        }
        long[] shape = {3, 5, 4, 2};
        float[] ours = GraphEval.run(shape, x, (tf, v) -> cols.apply(tf, rows.apply(tf, v, in), mid));
        float[] theirs = GraphEval.run(shape, x, (tf, v) -> tf.mirrorPad(v, tf.constant(new int[][] {{0, 0},
            {p[0], p[1]}, {p[2], p[3]}, {0, 0}}), mode));
        assertArrayEquals(theirs, ours, 0f, mode + " " + java.util.Arrays.toString(p));
        double norm = GraphEval.operatorNorm(in, (tf, v) -> cols.apply(tf, rows.apply(tf, v, in), mid));
        LayerBound a = rows.bound(in);
        LayerBound b = cols.bound(mid);
        assertEquals(norm, a.measured() * b.measured(), 1e-5 * norm, mode + " " + java.util.Arrays.toString(p));
      }
    }
  }

  /** Circular padding and the convolution it feeds are bounded together: the circular convolution's exact norm. */
  @Test
  void circularPaddingAndItsConvolutionAreBoundedAsOneCircularConvolution() throws Exception {
    Random r = new Random(4);
    long[] in = {5, 4, 2};
    // Pads split evenly and all before, with a 3x3 and a 3x2 kernel.
    int[][] cases = {{1, 1, 1, 1, 3, 3}, {2, 0, 1, 0, 3, 2}};
    for (int[] c : cases) {
      float[] k = new float[c[4] * c[5] * 2 * 3];
      for (int i = 0; i < k.length; i++) {
        k[i] = (float) r.nextGaussian();
      }
      Step.Gather rows = new Step.Gather("h", 0, CopyPadding.sources(5, c[0], c[1], "wrap", "w"));
      Step.Gather cols = new Step.Gather("w", 1, CopyPadding.sources(4, c[2], c[3], "wrap", "w"));
      Step.Conv conv = new Step.Conv("c", k, c[4], c[5], 2, 3, 1, 1, "valid", Double.POSITIVE_INFINITY);
      java.util.List<Step> fused = CircularConvs.fuse(java.util.List.of(rows, cols, conv));
      assertEquals(1, fused.size(), java.util.Arrays.toString(c));
      Step circular = fused.get(0);
      assertArrayEquals(new long[] {5, 4, 3}, circular.outputShape(in));
      double norm = GraphEval.operatorNorm(in, (tf, v) -> circular.apply(tf, v, in));
      LayerBound b = circular.bound(in);
      assertEquals(norm, b.measured(), 1e-5 * norm, java.util.Arrays.toString(c));
      long[] mid = rows.outputShape(in);
      double product = rows.bound(in).measured() * cols.bound(mid).measured()
          * conv.bound(cols.outputShape(mid)).measured();
      assertTrue(product > 1.5 * norm, product + " vs " + norm);
    }
    // Reflect padding is not a torus: it stays three steps.
    Step.Gather reflect = new Step.Gather("h", 0, CopyPadding.sources(5, 1, 1, "reflect", "w"));
    Step.Gather cols = new Step.Gather("w", 1, CopyPadding.sources(4, 1, 1, "wrap", "w"));
    Step.Conv conv = new Step.Conv("c", new float[9 * 6], 3, 3, 2, 3, 1, 1, "valid", Double.POSITIVE_INFINITY);
    assertEquals(3, CircularConvs.fuse(java.util.List.of(reflect, cols, conv)).size());
    // Either gather first: they act on different axes.
    Step.Gather rows = new Step.Gather("h", 0, CopyPadding.sources(5, 1, 1, "wrap", "w"));
    assertTrue(CircularConvs.fuse(java.util.List.of(cols, rows, conv)).get(0) instanceof Step.CircularConv);
    // Both exporters' circular padding: Pad in mode wrap (dynamo), slices concatenated along H, then W (TorchScript).
    String[][] files = {{"copy_padded_dynamo.onnx", "node_conv2d_2"}, {"copy_padded.onnx", "/c/Conv"}};
    for (String[] f : files) {
      try (LoadedModel m = ModelLoader.load(ONNX.resolve(f[0]))) {
        int at = m.layerBounds().layerNames().indexOf(f[1]);
        assertEquals("dft-circular", m.layerBounds().layers().get(at).method(), f[0]);
      }
    }
  }
}
