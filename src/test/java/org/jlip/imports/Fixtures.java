package org.jlip.imports;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;

/**
 * The Python-made fixture models (../shared/models/python), the pattern input of their README, and helpers shared by
 * the import tests: random input pairs for measured bounds, input gradients of rebuilt graphs, edited copies of
 * SavedModels.
 */
final class Fixtures {
  static final Path ROOT = Path.of("..", "shared", "models", "python");

  private Fixtures() {}

  /** Writes a .keras zip of {@code config} (config.json) and {@code weights} (model.weights.h5). */
  static void writeKeras(Path out, byte[] config, byte[] weights) throws IOException {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
      z.putNextEntry(new ZipEntry("config.json"));
      z.write(config);
      z.closeEntry();
      z.putNextEntry(new ZipEntry("model.weights.h5"));
      z.write(weights);
      z.closeEntry();
    }
  }

  /** Copies the .keras file {@code source} to {@code out} with {@code edit} applied to its model's layer list. */
  static void rewriteKeras(Path source, Path out, Consumer<ArrayNode> edit) throws IOException {
    Map<String, byte[]> entries = KerasZip.read(source);
    ObjectMapper json = new ObjectMapper();
    JsonNode config = json.readTree(entries.get("config.json"));
    edit.accept((ArrayNode) config.path("config").path("layers"));
    writeKeras(out, json.writeValueAsBytes(config), entries.get("model.weights.h5"));
  }

  static Path require(String relative) {
    Path p = ROOT.resolve(relative);
    assumeTrue(Files.exists(p), "fixture " + p + " is absent (shared/models/python not installed)");
    return p;
  }

  /**
   * Keras's channels_first input x[c, h, w] = (i % 7) / 7, i row-major over (C, H, W), as the (H, W, C) image jlip
   * takes.
   */
  static float[] nchwPattern(int c, int h, int w) {
    float[] nhwc = new float[c * h * w];
    for (int k = 0; k < c; k++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          nhwc[(y * w + x) * c + k] = ((k * h + y) * w + x) % 7 / 7f;
        }
      }
    }
    return nhwc;
  }

  /**
   * Asserts that every sample is certified (radius > 0), that no adversarial example the attack found lies inside
   * its certified radius, and that the attack found some on at least half the n samples (a weak attack would let
   * any certificate pass).
   */
  static void assertAttackRespectsCertificates(float[] radius, org.jlip.attack.MinimalNormResult attack, int n) {
    int found = 0;
    for (int i = 0; i < n; i++) {
      org.junit.jupiter.api.Assertions.assertTrue(radius[i] > 0, "sample " + i);
      if (attack.found(i)) {
        found++;
        org.junit.jupiter.api.Assertions.assertTrue(attack.norm()[i] >= radius[i], "sample " + i
            + ": adversarial at " + attack.norm()[i] + " inside the certified radius " + radius[i]);
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(found >= n / 2, found + " adversarial examples found of " + n);
  }

  /**
   * Certifies {@code n} inputs against the model's own predictions, runs the minimal-norm attack on them, and asserts
   * that no adversarial example lies inside a certificate and that the attack found one for most inputs.
   */
  static void assertCertificatesHoldUnderAttack(ImportedCertifiedModel m, float[] x, int n,
      org.jlip.attack.MinimalNormConfig config) {
    float[] logits = m.logits(x, n);
    int k = logits.length / n;
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 1; j < k; j++) {
        labels[i] = logits[i * k + j] > logits[i * k + labels[i]] ? j : labels[i];
      }
    }
    float[] radius = org.jlip.certify.CertificationReport.of(m, logits, n, labels, new double[] {0.1})
        .radiusVsLabel();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      long[] shape = new long[m.loaded().inputShape().length + 1];
      shape[0] = -1;
      System.arraycopy(m.loaded().inputShape(), 0, shape, 1, shape.length - 1);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
      var c = org.jlip.attack.Classifier.of(g, s, in, m.loaded().buildForward(tf, in));
      assertAttackRespectsCertificates(radius, org.jlip.attack.MinimalNorm.run(c, x, labels, config), n);
    }
  }

  /** The values of a reference file's "inputs" (one entry per sample, nested any depth), row-major. */
  static float[] referenceInputs(JsonNode inputs) {
    List<Float> values = new ArrayList<>();
    ArrayDeque<JsonNode> stack = new ArrayDeque<>();
    stack.push(inputs);
    while (!stack.isEmpty()) {
      JsonNode n = stack.pop();
      if (n.isArray()) {
        for (int i = n.size() - 1; i >= 0; i--) {
          stack.push(n.get(i));
        }
      } else {
        values.add((float) n.asDouble());
      }
    }
    float[] x = new float[values.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = values.get(i);
    }
    return x;
  }

  /** Asserts logits equal a reference file's "logits" rows to 1e-5 relative (1e-5 absolute below 1). */
  static void assertReferenceLogits(JsonNode want, float[][] got, String what) {
    org.junit.jupiter.api.Assertions.assertEquals(want.size(), got.length, what + ": samples");
    for (int s = 0; s < got.length; s++) {
      org.junit.jupiter.api.Assertions.assertEquals(want.get(s).size(), got[s].length, what + ": logits");
      for (int k = 0; k < got[s].length; k++) {
        double w = want.get(s).get(k).asDouble();
        org.junit.jupiter.api.Assertions.assertEquals(w, got[s][k], 1e-5 * Math.max(1, Math.abs(w)),
            what + " sample " + s + " logit " + k);
      }
    }
  }

  /** x[i] = (i % 7) / 7, row-major. */
  static float[] pattern(int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i % 7) / 7f;
    }
    return x;
  }

  /**
   * 2n inputs of {@code size} values in [0, 1): input n + p is paired with input p, half the pairs far apart (even
   * p), half within about 1e-3 per value, so both the saturated and the local regimes of a network are probed.
   */
  static float[] pairs(int n, int size, Random r) {
    float[] xs = new float[2 * n * size];
    for (int i = 0; i < n * size; i++) {
      xs[i] = r.nextFloat();
      float d = (i / size) % 2 == 0 ? r.nextFloat() - xs[i] : (float) (r.nextGaussian() * 1e-3);
      xs[n * size + i] = xs[i] + d;
    }
    return xs;
  }

  /**
   * Asserts that {@code m} changes at a positive rate no steeper than its bound over the {@link #pairs} of {@code
   * n} pairs from {@code seed}; returns that measured rate.
   */
  static double assertBoundHolds(LoadedModel m, int n, int size, long seed, String what) {
    float[] xs = pairs(n, size, new Random(seed));
    double worst = steepestChange(xs, m.logits(xs, 2 * n), n, size);
    org.junit.jupiter.api.Assertions.assertTrue(worst > 0 && worst <= m.lipschitzBound(), what + " (" + m.source()
        + "): " + worst + " vs bound " + m.lipschitzBound());
    return worst;
  }

  /** max over the pairs of {@link #pairs} of ||out[p] - out[n + p]|| / ||x_p - x_{n+p}||: a measured bound. */
  static double steepestChange(float[] xs, float[][] out, int n, int size) {
    double worst = 0;
    for (int p = 0; p < n; p++) {
      double d2 = 0;
      for (int i = 0; i < size; i++) {
        double d = xs[p * size + i] - xs[(n + p) * size + i];
        d2 += d * d;
      }
      double o2 = 0;
      for (int k = 0; k < out[p].length; k++) {
        o2 += Math.pow(out[p][k] - out[n + p][k], 2);
      }
      worst = Math.max(worst, Math.sqrt(o2 / d2));
    }
    return worst;
  }

  /**
   * Copies the SavedModel in {@code src} to {@code dir} with {@code edit} applied to every node of its function
   * library; returns how many nodes it changed (those for which it returned true).
   */
  static int copyEditingFunctions(Path src, Path dir, Predicate<NodeDef.Builder> edit) throws IOException {
    Files.createDirectories(dir.resolve("variables"));
    for (String f : new String[] {"variables/variables.index", "variables/variables.data-00000-of-00001"}) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    var model = SavedModel.parseFrom(Files.readAllBytes(src.resolve("saved_model.pb"))).toBuilder();
    int edited = 0;
    for (var f : model.getMetaGraphsBuilder(0).getGraphDefBuilder().getLibraryBuilder().getFunctionBuilderList()) {
      for (var node : f.getNodeDefBuilderList()) {
        edited += edit.test(node) ? 1 : 0;
      }
    }
    Files.write(dir.resolve("saved_model.pb"), model.build().toByteArray());
    return edited;
  }

  /** d(sum of logits)/dx of the model's rebuilt graph at the n inputs x: what the attacks follow. */
  static float[] inputGradient(LoadedModel m, float[] x, int n) {
    long[] dims = new long[m.inputShape().length + 1];
    dims[0] = -1;
    System.arraycopy(m.inputShape(), 0, dims, 1, m.inputShape().length);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
      Output<?> grad = g.addGradients(tf.reduceSum(m.buildForward(tf, in), tf.constant(new int[] {0, 1}))
          .asOutput(), new Output<?>[] {in.asOutput()})[0];
      float[] gx = new float[x.length];
      dims[0] = n;
      try (TFloat32 t = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(x, true, false));
          var res = s.runner().feed(in, t).fetch(grad).run()) {
        ((TFloat32) res.get(0)).copyTo(DataBuffers.of(gx, false, false));
      }
      return gx;
    }
  }

  /**
   * Asserts that two models' input gradients at the n images x agree to {@code relative} of the reference's largest
   * component; returns the tested model's gradient.
   */
  static float[] assertSameInputGradient(LoadedModel tested, LoadedModel reference, float[] x, int n,
      double relative) {
    float[] g = inputGradient(tested, x, n);
    float[] want = inputGradient(reference, x, n);
    double scale = 0;
    for (float v : want) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < g.length; i++) {
      org.junit.jupiter.api.Assertions.assertEquals(want[i], g[i], relative * scale, "input " + i);
    }
    return g;
  }

  /**
   * For each of the n images x, {directional derivative of the sum of logits along a random unit-scale direction
   * from the gradient g, the central difference of the model's logits with step h along it}.
   */
  static double[][] directionalAndCentral(LoadedModel m, float[] x, float[] g, int n, double h, Random r) {
    int size = x.length / n;
    float[] plus = x.clone();
    float[] minus = x.clone();
    double[][] out = new double[n][2];
    for (int i = 0; i < x.length; i++) {
      double d = r.nextGaussian() / Math.sqrt(size);
      plus[i] = (float) (x[i] + h * d);
      minus[i] = (float) (x[i] - h * d);
      out[i / size][0] += g[i] * d;
    }
    float[][] up = m.logits(plus, n);
    float[][] down = m.logits(minus, n);
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < up[k].length; j++) {
        out[k][1] += (up[k][j] - down[k][j]) / (2 * h);
      }
    }
    return out;
  }
}
