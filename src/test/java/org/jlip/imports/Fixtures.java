package org.jlip.imports;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The Python-made fixture models (../shared/models/python) and the pattern input of their README. */
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
}
