package org.jlip.imports;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Predicate;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * The Python-made fixture models (../shared/models/python), the pattern input of their README, and helpers shared by
 * the import tests: random input pairs for measured bounds, edited copies of SavedModels.
 */
final class Fixtures {
  static final Path ROOT = Path.of("..", "shared", "models", "python");

  private Fixtures() {}

  static Path require(String relative) {
    Path p = ROOT.resolve(relative);
    assumeTrue(Files.exists(p), "fixture " + p + " is absent (shared/models/python not installed)");
    return p;
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
}
