package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jlip.layers.ScaledGlobalAveragePooling2DConfig;

/**
 * Keras's 1-D layers on a sequence [T, C] (channels_last): each runs as its 2-D twin on the [1, T, C] image between
 * reshapes, which are exact steps of bound 1, so its bound is the 2-D layer's. Conv1D with padding "causal" pads
 * k - 1 zeros before the sequence, then convolves without padding, as Keras does.
 */
final class KerasSequenceLayers {
  private KerasSequenceLayers() {}

  /**
   * Conv1D: kernel [k, C, F] as a [1, k, C, F] convolution, strides s along the sequence; the bias and activation
   * are left to the caller, between the convolution and {@link #back}.
   */
  static List<Step> conv(Path file, String name, JsonNode c, long[] shape, Weight kernel)
      throws UnsupportedModelException, MalformedModelException {
    requireSequence(file, "Conv1D", name, c, shape);
    int k = single(file, name, "kernel_size", c.path("kernel_size"));
    int s = single(file, name, "strides", c.path("strides"));
    if (single(file, name, "dilation_rate", c.path("dilation_rate")) != 1 || c.path("groups").asInt(1) != 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Conv1D) has dilation_rate "
          + c.path("dilation_rate") + " and groups " + c.path("groups") + "; jlip imports 1-D convolutions with"
          + " dilation 1 and groups 1");
    }
    long[] ks = kernel.shape();
    if (ks.length != 3 || ks[0] != k || ks[1] != shape[1]) {
      throw new MalformedModelException(file + ": layer '" + name + "' (Conv1D) has a kernel of shape "
          + Arrays.toString(ks) + "; expected [" + k + ", " + shape[1] + ", filters] for input "
          + Arrays.toString(shape));
    }
    String padding = c.path("padding").asText("valid").toLowerCase(Locale.ROOT);
    if (!List.of("valid", "same", "causal").contains(padding)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Conv1D) has padding '" + padding
          + "'; supported: valid, same, causal");
    }
    List<Step> steps = new ArrayList<>();
    steps.add(asImage(name, shape));
    if (padding.equals("causal")) {
      steps.add(new Step.Pad(name + "/causal", new long[] {0, k - 1, 0}, new long[] {0, 0, 0}));
    }
    steps.add(new Step.Conv(name, kernel.values(), 1, k, (int) ks[1], (int) ks[2], 1, s,
        padding.equals("causal") ? "valid" : padding, Double.POSITIVE_INFINITY));
    return steps;
  }

  /** MaxPooling1D / AveragePooling1D: a [1, p] pool with strides [1, s] on the [1, T, C] image, then back. */
  static List<Step> pool(Path file, String type, String name, JsonNode c, long[] shape)
      throws UnsupportedModelException {
    requireSequence(file, type, name, c, shape);
    int p = single(file, name, "pool_size", c.path("pool_size"));
    JsonNode st = c.path("strides");
    int s = st.isMissingNode() || st.isNull() ? p : single(file, name, "strides", st);
    String padding = c.path("padding").asText("valid").toLowerCase(Locale.ROOT);
    if (!padding.equals("valid") && !padding.equals("same")) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") has padding '" + padding
          + "'; supported: valid, same");
    }
    Step.Pool pool = new Step.Pool(name, type.equals("MaxPooling1D"), 1, p, 1, s, padding);
    long[] out = pool.outputShape(new long[] {1, shape[0], shape[1]});
    if (out[1] < 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") pools " + p + " on input "
          + Arrays.toString(shape) + " with padding valid: no output left");
    }
    return List.of(asImage(name, shape), pool, back(name, out));
  }

  /** GlobalAveragePooling1D (the mean over T: k = 1/sqrt(T) of the scaled pooling) and GlobalMaxPooling1D. */
  static List<Step> global(Path file, String type, String name, JsonNode c, long[] shape)
      throws UnsupportedModelException {
    requireSequence(file, type, name, c, shape);
    if (c.path("keepdims").asBoolean(false)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") has keepdims true; jlip"
          + " reads global poolings that yield one value per channel");
    }
    Step pooled = type.equals("GlobalMaxPooling1D") ? new Step.GlobalMax(name)
        : new Step.Layer(name, new ScaledGlobalAveragePooling2DConfig(1 / Math.sqrt(shape[0]), name));
    return List.of(asImage(name, shape), pooled);
  }

  /** ZeroPadding1D: padding p or [before, after] zeros along the sequence, an exact step of bound 1. */
  static Step.Pad zeroPadding(Path file, String name, JsonNode c, long[] shape) throws UnsupportedModelException {
    requireSequence(file, "ZeroPadding1D", name, c, shape);
    JsonNode p = c.path("padding");
    long[] v = p.isArray() && p.size() == 2 ? new long[] {p.get(0).asLong(-1), p.get(1).asLong(-1)}
        : p.isIntegralNumber() ? new long[] {p.asLong(), p.asLong()} : null;
    if (v == null || v[0] < 0 || v[1] < 0) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (ZeroPadding1D) has padding " + p
          + "; expected one or two sizes >= 0");
    }
    return new Step.Pad(name, new long[] {v[0], 0}, new long[] {v[1], 0});
  }

  /** The reshape from the [1, T', F] image a 2-D step left back to the sequence [T', F]. */
  static Step.Reshape back(String name, long[] image) {
    return new Step.Reshape(name + "/as_sequence", new long[] {image[1], image[2]});
  }

  private static Step.Reshape asImage(String name, long[] shape) {
    return new Step.Reshape(name + "/as_image", new long[] {1, shape[0], shape[1]});
  }

  private static void requireSequence(Path file, String type, String name, JsonNode c, long[] shape)
      throws UnsupportedModelException {
    if (shape.length != 2 || c.path("data_format").asText("channels_last").equals("channels_first")) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") needs a sequence input"
          + " [steps, channels] in channels_last, got input " + Arrays.toString(shape) + " and data_format "
          + c.path("data_format").asText("channels_last"));
    }
  }

  /** A 1-D size: a positive int, or a list of one (Keras writes both). */
  private static int single(Path file, String name, String key, JsonNode n) throws UnsupportedModelException {
    JsonNode v = n.isArray() && n.size() == 1 ? n.get(0) : n;
    if (n.isMissingNode() && !key.equals("kernel_size") && !key.equals("pool_size")) {
      return 1;
    }
    if (!v.isIntegralNumber() || v.asInt() < 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' has " + key + " " + n
          + "; expected one positive size");
    }
    return v.asInt();
  }
}
