package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jlip.attack.MinimalNormConfig;
import org.jlip.certify.OperatorNorms;
import org.jlip.layers.LayerBound;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Merge layers in a Functional model (src/test/python/make_keras_fixtures.py: merges): a residual Add, an Average
 * of a projection and a conv + BatchNormalization branch, a Concatenate of a 1x1 conv and an overlapping max pool,
 * and a Subtract of two vectors.
 */
class MergesTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final int SIZE = 12 * 10 * 3;

  @Test
  void theExportIsReadAsTheSameMergesWithTheSameBound() throws IOException {
    // model.export() writes AddV2, AddV2 then RealDiv by 2 (Average), ConcatV2 on axis -1 and Sub of branches.
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("merges");
    try (LoadedModel saved = ModelLoader.load(RESOURCES.resolve("merges_export"));
        LoadedModel file = ModelLoader.load(RESOURCES.resolve("merges.keras"));
        ImportedCertifiedModel served = ImportedCertifiedModel.open(RESOURCES.resolve("merges_export"))) {
      float[] got = saved.logits(Fixtures.pattern(SIZE), 1)[0];
      float[] viaSignature = served.logits(Fixtures.pattern(SIZE), 1);
      for (int k = 0; k < refs.size(); k++) {
        double tol = 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble()));
        assertEquals(refs.get(k).asDouble(), got[k], tol, "logit " + k);
        assertEquals(refs.get(k).asDouble(), viaSignature[k], tol, "served logit " + k);
      }
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-6 * file.lipschitzBound());
      assertEquals(4, saved.layerBounds().layers().stream().filter(b -> b.method().equals("branches")).count());
      Fixtures.assertSameInputGradient(saved, file, Fixtures.pairs(1, SIZE, new Random(8)), 2, 1e-4);
    }
  }

  @Test
  void certificatesOfAResidualNetworkHoldAgainstAMinimalNormAttack() throws IOException {
    // A network of unit-norm dense layers on 4 x 4 images: Average(shortcut, dense-relu-dense), Concatenate of two
    // denses, a head. Its bound is small, so radii are large enough for an attack to test them.
    Random r = new Random(12);
    int d = 16;
    List<Step> steps = List.of(new Step.Reshape("flat", new long[] {d}), unitDense("stem", d, d, r),
        new Step.Merge("avg", Step.MergeKind.AVERAGE, List.of(List.of(), List.of(unitDense("b1", d, d, r),
            new Step.Elementwise("relu", ElementwiseFunction.RELU, 0f), unitDense("b2", d, d, r))), -1),
        new Step.Merge("cat", Step.MergeKind.CONCATENATE, List.of(List.of(unitDense("p", d, 8, r)),
            List.of(unitDense("q", d, 8, r))), 0),
        unitDense("head", 16, 3, r));
    int n = 16;
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    try (ImportedCertifiedModel m = ImportedCertifiedModel.of(new ChainModel("residual", new long[] {4, 4, 1}, steps,
        false, null, false))) {
      // Bounds: Average (1 + 1) / 2 = 1 and Concatenate sqrt(1 + 1) over unit-norm layers.
      assertEquals(Math.sqrt(2), m.bound().measured(), 1e-5);
      Fixtures.assertCertificatesHoldUnderAttack(m, x, n, MinimalNormConfig.defaults().withoutClipping());
    }
  }

  /** A dense layer with a random kernel scaled to spectral norm 1. */
  private static Step.Linear unitDense(String name, int rows, int cols, Random r) {
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    double norm = OperatorNorms.spectralNorm(w, rows, cols);
    for (int i = 0; i < w.length; i++) {
      w[i] /= (float) norm;
    }
    return new Step.Linear(name, w, rows, cols, Double.POSITIVE_INFINITY, false);
  }

  @Test
  void channelsFirstMergesConcatenateChannelsAndWidthOnBothPaths() throws IOException {
    // Concatenate(axis=1) joins the channels, which jlip holds last in the .keras path and the export keeps first
    // (NCHW ConcatV2); Concatenate(axis=3) joins the width in both.
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("merges_channels_first");
    float[] x = Fixtures.nchwPattern(3, 12, 10);
    try (LoadedModel file = ModelLoader.load(RESOURCES.resolve("merges_channels_first.keras"));
        ImportedCertifiedModel saved = ImportedCertifiedModel.open(RESOURCES.resolve(
            "merges_channels_first_export"))) {
      float[] a = file.logits(x, 1)[0];
      float[] b = saved.logits(x, 1);
      float[] rebuilt = saved.loaded().logits(x, 1)[0];
      for (int k = 0; k < refs.size(); k++) {
        double tol = 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble()));
        assertEquals(refs.get(k).asDouble(), a[k], tol, ".keras logit " + k);
        assertEquals(refs.get(k).asDouble(), b[k], tol, "served logit " + k);
        assertEquals(refs.get(k).asDouble(), rebuilt[k], tol, "rebuilt export logit " + k);
      }
      assertEquals(file.lipschitzBound(), saved.loaded().lipschitzBound(), 1e-6 * file.lipschitzBound());
    }
  }

  @Test
  void mergesGiveKerassLogitsAndTheirBoundsCombineTheBranches() throws IOException {
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("merges");
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("merges.keras"))) {
      float[] got = m.logits(Fixtures.pattern(SIZE), 1)[0];
      for (int k = 0; k < refs.size(); k++) {
        assertEquals(refs.get(k).asDouble(), got[k], 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble())),
            "logit " + k);
      }
      List<String> names = m.layerBounds().layerNames();
      List<LayerBound> bounds = m.layerBounds().layers();
      assertEquals(List.of("c0", "c0/bias", "ReLU", "add", "relu1", "avg", "cat", "gap", "sub", "logits",
          "logits/bias"), names);
      // The residual Add: 1 (the shortcut) + the product of the block's two convolutions' bounds (measured here
      // from the file's kernels on the 12 x 10 input with the DFT bound, as for any convolution).
      var w = m.weights();
      double r1 = OperatorNorms.convDftBound(w.get("r1").get("kernel").values(), 3, 3, 4, 4, 12,
          10, 1, 1, "same");
      double r2 = OperatorNorms.convDftBound(w.get("r2").get("kernel").values(), 3, 3, 4, 4, 12,
          10, 1, 1, "same");
      assertEquals(1 + r1 * r2, bounds.get(names.indexOf("add")).measured(), 1e-9 * (1 + r1 * r2));
      Fixtures.assertBoundHolds(m, 16, SIZE, 17, "");
      int samples = 4;
      float[] x = Fixtures.pairs(samples / 2, SIZE, new Random(3));
      double[][] dc = Fixtures.directionalAndCentral(m, x, Fixtures.inputGradient(m, x, samples), samples, 1e-3,
          new Random(4));
      for (int k = 0; k < samples; k++) {
        assertEquals(dc[k][1], dc[k][0], 5e-3 + 2e-3 * Math.abs(dc[k][1]), "sample " + k);
      }
    }
  }

  /**
   * Keras's Maximum and Minimum of two convolution branches (make_extremum_merge_fixtures.py) read from the file and
   * from the export (a TensorFlow Maximum or Minimum of two activations) as the same merge: TensorFlow's logits, one
   * bound, and the signature's own logits on the probes.
   */
  @Test
  void maximumAndMinimumMergesReadFromBothFormats() throws IOException {
    Path dir = RESOURCES.resolve("extremum");
    JsonNode refs = new ObjectMapper().readTree(dir.resolve("reference-logits.json").toFile());
    for (String kind : new String[] {"maximum", "minimum"}) {
      float[] x = Fixtures.referenceInputs(refs.path(kind).path("inputs"));
      try (LoadedModel saved = ModelLoader.load(dir.resolve(kind + "_export"));
          LoadedModel file = ModelLoader.load(dir.resolve(kind + ".keras"));
          ImportedCertifiedModel served = ImportedCertifiedModel.open(dir.resolve(kind + "_export"))) {
        assertEquals(saved.lipschitzBound(), served.bound().measured(), 1e-9 * saved.lipschitzBound(), kind);
        Fixtures.assertReferenceLogits(refs.path(kind).path("logits"), saved.logits(x, 4), kind + " export");
        Fixtures.assertReferenceLogits(refs.path(kind).path("logits"), file.logits(x, 4), kind + " file");
        assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-6 * file.lipschitzBound(), kind);
        assertEquals(1, saved.layerBounds().layers().stream().filter(b -> b.method().equals("branches")).count());
        Fixtures.assertBoundHolds(saved, 16, 60, 5, kind);
      }
    }
  }

  /**
   * The root sum of squares is what an element-wise maximum needs, not the larger branch bound: with A = e1 e1^T and
   * B = e1 e2^T (both of norm 1), max(x A, x B) = (relu(x1), relu(x1)) moves by sqrt(2) when x moves by 1.
   */
  @Test
  void anElementwiseMaximumIsBoundedByTheRootSumOfSquares() {
    double inf = Double.POSITIVE_INFINITY;
    Step.Merge max = new Step.Merge("max", Step.MergeKind.MAXIMUM, List.of(
        List.of(new Step.Linear("a", new float[] {1, 0, 0, 0}, 2, 2, inf, false)),
        List.of(new Step.Linear("b", new float[] {0, 1, 0, 0}, 2, 2, inf, false))), -1);
    assertEquals(Math.sqrt(2), max.bound(new long[] {2}).measured(), 1e-9);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> y = max.apply(tf, tf.constant(new float[][] {{1, 0}, {0, 0}}), new long[] {2});
      try (TFloat32 t = (TFloat32) s.runner().fetch(y).run().get(0)) {
        double dx = Math.hypot(t.getFloat(0, 0) - t.getFloat(1, 0), t.getFloat(0, 1) - t.getFloat(1, 1));
        assertEquals(Math.sqrt(2), dx, 1e-6);
      }
    }
  }
}
