package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Activations with weights that jlip certifies but has no training layer for: Keras's PReLU (also what deel-lip's
 * PReLUlip builds) and deel-lip's Householder. Both act along Keras's axes, so in a channels_first model their
 * weights and axes are moved to jlip's NHWC layout here.
 */
final class KerasParametricActivations {

  private KerasParametricActivations() {}

  /**
   * A PReLU layer: alpha has the layer input's shape in Keras's layout, with 1 on its shared axes. In a
   * channels_first image model that is [C, H, W], transposed here to [H, W, C].
   */
  static Step.PRelu prelu(Path file, String name, long[] shape, boolean channelsFirst, Weight alpha)
      throws MalformedModelException {
    boolean nchw = channelsFirst && shape.length == 3;
    long[] keras = nchw ? new long[] {shape[2], shape[0], shape[1]} : shape;
    long[] a = alpha.shape();
    boolean fits = a.length == keras.length;
    for (int i = 0; fits && i < a.length; i++) {
      fits = a[i] == 1 || a[i] == keras[i];
    }
    if (!fits) {
      throw new MalformedModelException(file + ": layer '" + name + "' (PReLU) has alpha of shape "
          + Arrays.toString(a) + "; its input " + Arrays.toString(keras) + " (Keras layout) needs that shape with 1"
          + " on shared axes");
    }
    requireFinite(file, name, "PReLU", "alpha", alpha.values());
    if (!nchw) {
      return new Step.PRelu(name, alpha.values(), a);
    }
    int c = (int) a[0];
    int h = (int) a[1];
    int w = (int) a[2];
    float[] hwc = new float[alpha.values().length];
    for (int ci = 0; ci < c; ci++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          hwc[(y * w + x) * c + ci] = alpha.values()[(ci * h + y) * w + x];
        }
      }
    }
    return new Step.PRelu(name, hwc, new long[] {h, w, c});
  }

  /**
   * deel-lip's Householder: it splits Keras's last axis in halves, which in a channels_first image model is the
   * width. Its call does not apply k_coef_lip, and its versions need not agree on that, so a file with another
   * coefficient than 1 is refused rather than guessed.
   */
  static Step.Householder householder(Path file, String name, JsonNode c, long[] shape, boolean channelsFirst,
      Weight theta) throws MalformedModelException, UnsupportedModelException {
    String format = c.path("data_format").asText("channels_last");
    double k = c.path("k_coef_lip").asDouble(1.0);
    if (!format.equals("channels_last") || k != 1.0) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Householder) has data_format " + format
          + " and k_coef_lip " + c.path("k_coef_lip") + "; jlip imports data_format channels_last (deel-lip's only"
          + " one) with k_coef_lip 1: deel-lip's Householder does not apply its coefficient, so another value is"
          + " ambiguous");
    }
    int axis = channelsFirst && shape.length == 3 ? 1 : shape.length - 1;
    long n = shape.length == 0 ? 0 : shape[axis];
    if (n % 2 != 0 || theta.shape().length != 1 || theta.shape()[0] * 2 != n) {
      throw new MalformedModelException(file + ": layer '" + name + "' (Householder) has theta of shape "
          + Arrays.toString(theta.shape()) + " on input " + Arrays.toString(shape) + " (NHWC); it needs [" + n / 2
          + "], one angle per pair of the " + n + " values it splits in halves"
          + (n % 2 != 0 ? " (an odd count)" : ""));
    }
    requireFinite(file, name, "Householder", "theta", theta.values());
    return new Step.Householder(name, theta.values(), axis);
  }

  private static void requireFinite(Path file, String name, String type, String weight, float[] values)
      throws MalformedModelException {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new MalformedModelException(file + ": layer '" + name + "' (" + type + ") " + weight + "[" + i
            + "] is " + values[i]);
      }
    }
  }
}
