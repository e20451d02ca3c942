package org.jlip.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks of command-line values shared by several commands; each failure is a usage error (exit code 2). */
final class CliChecks {
  /** A report's model names become file names inside --out: no separators, no "." or "..". */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private CliChecks() {}

  static void atLeastOne(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be >= 1, got " + value);
    }
  }

  /** Radii given with --eps (null: the defaults) must be finite and positive. */
  static void radii(List<Double> eps) {
    if (eps == null) {
      return;
    }
    for (double e : eps) {
      if (!(e > 0) || Double.isInfinite(e)) {
        throw new IllegalArgumentException("--eps values must be finite and > 0, got " + e);
      }
    }
  }

  /** NAME=PATH pairs, in order; a name must be a plain file name and appear once. */
  static Map<String, Path> namedModels(List<String> pairs) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? "" : pair.substring(0, eq);
      if (eq < 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException("--model takes NAME=PATH, got '" + pair + "'");
      }
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("--model name '" + name + "' must be letters, digits, '_', '.' or '-'"
            + " (not starting with '.' or '-'): it names the model's files in --out");
      }
      if (out.put(name, Path.of(pair.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("--model name '" + name + "' is given twice");
      }
    }
    return out;
  }

  /**
   * The images of {@code data} fit a model taking {@code input} (NHWC, no batch): the same number of values, and,
   * for images (not flat (n, d) samples, which come as 1 x d x 1) fed to an image model, the same [H, W, C]. Data
   * in another layout (NCHW, transposed) would otherwise be reshaped into the model's shape and scramble the pixels.
   */
  static void imagesFit(long[] input, int h, int w, int c, Object data) {
    long expected = java.util.Arrays.stream(input).reduce(1, (a, b) -> a * b);
    boolean flat = h == 1 && c == 1;
    boolean sameImage = input.length == 3 && input[0] == h && input[1] == w && input[2] == c;
    if (expected != (long) h * w * c || (!flat && input.length == 3 && !sameImage)) {
      throw new IllegalArgumentException("the model takes inputs of shape " + java.util.Arrays.toString(input)
          + " (NHWC) but " + data + " holds images of shape [" + h + ", " + w + ", " + c + "]; jlip reads images as"
          + " (n, H, W, C) or (n, H, W), or flat (n, H*W*C) samples in that order");
    }
  }
}
