package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Plain Keras layers that jlip certifies but has no training layer for: MaxPooling2D and AveragePooling2D
 * ({@link Step.Pool}), GlobalMaxPooling2D ({@link Step.GlobalMax}), inference BatchNormalization
 * ({@link Step.Scale}), Reshape ({@link Step.Reshape}) and the
 * element-wise activations other than relu ({@link Step.Elementwise}: leaky ReLUs, ReLU with a max_value, ELU and
 * the tanh, sigmoid, relu6, elu, selu and softplus activations). Their bounds come from their configuration and
 * weights, not from a construction.
 */
final class KerasInferenceLayers {
  /** Keras's default slope of the LeakyReLU layer (Keras 3 negative_slope, Keras 2 alpha). */
  static final double LEAKY_RELU_SLOPE = 0.3;
  /** The slope of the "leaky_relu" activation (keras.activations.leaky_relu, tf.nn.leaky_relu). */
  static final float LEAKY_RELU_ACTIVATION_SLOPE = 0.2f;
  private static final double BATCH_NORM_EPSILON = 1e-3;

  /** Reads variable {@code index} of the layer's weight group, recording it as {@code role}. */
  @FunctionalInterface
  interface Vars {
    Weight read(String index, String role) throws IOException;
  }

  private KerasInferenceLayers() {}

  /**
   * MaxPooling2D / AveragePooling2D on an NHWC image: pool_size and strides (null: the pool size) are (H, W) in
   * both layouts; the layer's data_format must be the model's, since the importer converts the whole model.
   */
  static Step.Pool pool(Path file, String type, String name, JsonNode c, long[] shape, boolean channelsFirst)
      throws UnsupportedModelException {
    String format = c.path("data_format").asText("channels_last");
    if (shape.length != 3 || format.equals("channels_first") != channelsFirst) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") needs an image input in the"
          + " model's layout (" + (channelsFirst ? "channels_first" : "channels_last") + "), got input "
          + Arrays.toString(shape) + " and data_format " + format);
    }
    int[] p = pair(file, name, "pool_size", c.path("pool_size"));
    JsonNode st = c.path("strides");
    int[] s = st.isMissingNode() || st.isNull() ? p : pair(file, name, "strides", st);
    String padding = c.path("padding").asText("valid").toLowerCase(java.util.Locale.ROOT);
    if (!padding.equals("valid") && !padding.equals("same")) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' has padding '" + padding
          + "'; supported: valid, same");
    }
    Step.Pool pool = new Step.Pool(name, type.equals("MaxPooling2D"), p[0], p[1], s[0], s[1], padding);
    long[] out = pool.outputShape(shape);
    if (out[0] < 1 || out[1] < 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' pools " + Arrays.toString(p) + " on input "
          + Arrays.toString(shape) + " with padding valid: no output left");
    }
    return pool;
  }

  /**
   * Inference BatchNormalization x * s + t along the channel axis, s = gamma / sqrt(moving_variance + epsilon),
   * t = beta - moving_mean * s (gamma 1 when {@code scale} is false, beta 0 when {@code center} is false). Keras 3
   * writes its variables in the order gamma, beta, moving_mean, moving_variance, leaving out the disabled ones.
   * The axis must be the channel axis: -1 (channels_last, or a vector) or 1 (channels_first images).
   */
  static Step.Scale batchNormalization(Path file, String name, JsonNode c, long[] shape, boolean channelsFirst,
      Vars vars) throws IOException {
    int rank = shape.length + 1;
    boolean nchw = channelsFirst && shape.length == 3;
    int channel = nchw ? 1 : rank - 1;
    JsonNode a = c.path("axis");
    if (a.isArray() && a.size() == 1) {
      a = a.get(0);
    }
    int axis = a.isMissingNode() ? -1 : a.isIntegralNumber() ? a.asInt() : Integer.MIN_VALUE;
    if (axis == Integer.MIN_VALUE || (axis < 0 ? axis + rank : axis) != channel) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (BatchNormalization) normalises axis "
          + c.path("axis") + "; jlip supports the channel axis only: "
          + (nchw ? "1 (channels_first image input)" : "-1 (" + (rank - 1) + "-d input)"));
    }
    double eps = c.path("epsilon").asDouble(BATCH_NORM_EPSILON);
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      throw new MalformedModelException(file + ": layer '" + name + "' epsilon must be finite and >= 0, got " + eps);
    }
    boolean scale = c.path("scale").asBoolean(true);
    boolean center = c.path("center").asBoolean(true);
    int n = (int) shape[shape.length - 1];
    int next = 0;
    float[] gamma = scale ? values(file, name, vars.read(Integer.toString(next++), "gamma"), n) : null;
    float[] beta = center ? values(file, name, vars.read(Integer.toString(next++), "beta"), n) : null;
    float[] mean = values(file, name, vars.read(Integer.toString(next++), "moving_mean"), n);
    float[] var = values(file, name, vars.read(Integer.toString(next), "moving_variance"), n);
    float[] s = new float[n];
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      double si = (scale ? gamma[i] : 1.0) / Math.sqrt(var[i] + eps);
      double ti = (center ? beta[i] : 0.0) - mean[i] * si;
      if (!Double.isFinite(si) || !Double.isFinite(ti) || !(var[i] + eps > 0)) {
        throw new MalformedModelException(file + ": layer '" + name + "' channel " + i + " has moving_variance "
            + var[i] + " and epsilon " + eps + " (scale " + si + ", shift " + ti + "): not a finite normalisation");
      }
      s[i] = (float) si;
      t[i] = (float) ti;
    }
    return new Step.Scale(name, s, t);
  }

  /**
   * The negative slope of a LeakyReLU layer (Keras 3 negative_slope, Keras 2 alpha; default 0.3) or of a ReLU
   * layer.
   */
  static float slope(Path file, String type, String name, JsonNode c) throws UnsupportedModelException {
    JsonNode v = c.has("negative_slope") ? c.path("negative_slope") : c.path("alpha");
    double alpha = v.isNumber() ? v.asDouble() : type.equals("LeakyReLU") ? LEAKY_RELU_SLOPE : 0;
    if (!Double.isFinite(alpha)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' has negative_slope " + v);
    }
    return (float) alpha;
  }

  /** A Keras ReLU, LeakyReLU or ELU layer; RELU for max(x, 0) itself. */
  static Step.Elementwise activationLayer(Path file, String type, String name, JsonNode c)
      throws UnsupportedModelException {
    return type.equals("ELU") ? elu(file, name, c) : relu(file, type, name, c);
  }

  /**
   * A Keras ReLU or LeakyReLU layer with threshold 0: max(x, 0) (RELU, which the importer maps to jlip's ReLU),
   * its leaky form (negative_slope, no max_value), relu6 (max_value 6) or min(max(x, 0), max_value) for another
   * max_value > 0.
   */
  private static Step.Elementwise relu(Path file, String type, String name, JsonNode c)
      throws UnsupportedModelException {
    float slope = slope(file, type, name, c);
    JsonNode max = c.path("max_value");
    boolean capped = !max.isNull() && !max.isMissingNode();
    double m = max.asDouble(Double.NaN);
    if (c.path("threshold").asDouble(0) != 0 || capped && (slope != 0 || !(m > 0) || Double.isInfinite(m))) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' is a " + type + " with threshold "
          + c.path("threshold").asDouble(0) + ", max_value " + max + " and negative_slope " + slope + "; supported:"
          + " threshold 0 with either a finite max_value > 0 (min(max(x, 0), max_value)) or a negative_slope");
    }
    if (!capped) {
      return new Step.Elementwise(name, slope == 0 ? ElementwiseFunction.RELU : ElementwiseFunction.LEAKY_RELU,
          slope);
    }
    return m == 6 ? new Step.Elementwise(name, ElementwiseFunction.RELU6, 0f)
        : new Step.Elementwise(name, ElementwiseFunction.CLIPPED_RELU, (float) m);
  }

  /** A Keras ELU layer: x above 0, alpha * (exp(x) - 1) below (alpha default 1). */
  private static Step.Elementwise elu(Path file, String name, JsonNode c) throws UnsupportedModelException {
    double alpha = c.path("alpha").asDouble(1.0);
    if (!Double.isFinite(alpha)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (ELU) has alpha " + c.path("alpha"));
    }
    return new Step.Elementwise(name, ElementwiseFunction.ELU, (float) alpha);
  }

  /**
   * The step of a Keras activation string other than relu, linear and softmax, with Keras's default parameter
   * (leaky_relu's slope 0.2, elu's alpha 1), or null when jlip cannot bound it.
   */
  static Step.Elementwise activation(String activation, String stepName) {
    return switch (activation) {
      case "leaky_relu" -> new Step.Elementwise(stepName, ElementwiseFunction.LEAKY_RELU,
          LEAKY_RELU_ACTIVATION_SLOPE);
      case "elu" -> new Step.Elementwise(stepName, ElementwiseFunction.ELU, 1f);
      case "relu6", "tanh", "sigmoid", "selu", "softplus", "gelu", "mish", "softsign", "hard_sigmoid", "hard_silu" ->
          new Step.Elementwise(stepName, ElementwiseFunction.valueOf(activation.toUpperCase(java.util.Locale.ROOT)),
              0f);
      case "silu", "swish" -> new Step.Elementwise(stepName, ElementwiseFunction.SILU, 1f);
      case "hard_swish" -> new Step.Elementwise(stepName, ElementwiseFunction.HARD_SILU, 0f);
      default -> null;
    };
  }

  /** A global pooling needs an image input and keepdims false (it then yields one value per channel). */
  static void requireImage(Path file, String type, String name, JsonNode c, long[] shape)
      throws UnsupportedModelException {
    if (c.path("keepdims").asBoolean(false) || shape.length != 3) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + ") needs an image input and"
          + " keepdims false, got input " + Arrays.toString(shape) + " and keepdims "
          + c.path("keepdims").asBoolean(false));
    }
  }

  /**
   * Reshape to target_shape (one entry may be -1). In a channels_first model only between vectors: jlip holds
   * images as NHWC, so reshaping to or from an NCHW image would need a transpose as well.
   */
  static Step.Reshape reshape(Path file, String name, JsonNode c, long[] shape, boolean channelsFirst)
      throws UnsupportedModelException {
    JsonNode t = c.path("target_shape");
    long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    long[] target = new long[t.size()];
    int free = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      target[i] = t.get(i).asLong();
      if (target[i] == -1 && free < 0) {
        free = i;
      } else if (target[i] < 1) {
        free = -2;
        break;
      } else {
        known *= target[i];
      }
    }
    if (free >= 0 && known > 0 && size % known == 0) {
      target[free] = size / known;
      known = size;
    }
    if (!t.isArray() || target.length == 0 || free == -2 || known != size) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Reshape) has target_shape " + t
          + ", which does not hold its input " + Arrays.toString(shape));
    }
    if (channelsFirst && (shape.length != 1 || target.length != 1)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Reshape) reshapes " + Arrays.toString(shape)
          + " to " + t + " in a channels_first model; jlip reads such models as channels_last and imports a Reshape"
          + " there only between vectors");
    }
    return new Step.Reshape(name, target);
  }

  private static float[] values(Path file, String layer, Weight w, int channels) throws MalformedModelException {
    if (w.values().length != channels) {
      throw new MalformedModelException(file + ": layer '" + layer + "' (BatchNormalization) has a variable of shape "
          + Arrays.toString(w.shape()) + " for " + channels + " channels");
    }
    return w.values();
  }

  private static int[] pair(Path file, String name, String key, JsonNode n) throws UnsupportedModelException {
    int[] v = n.isArray() && n.size() == 2 ? new int[] {n.get(0).asInt(), n.get(1).asInt()}
        : n.isIntegralNumber() ? new int[] {n.asInt(), n.asInt()} : null;
    if (v == null || v[0] < 1 || v[1] < 1) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' has " + key + " " + n
          + "; expected one or two positive sizes");
    }
    return v;
  }

  /**
   * Keras's Rescaling, x * scale + offset, each a number or one value per channel (the last axis here, or axis 1
   * of a channels_first image, which jlip holds last): bound max |scale|.
   */
  static Step.Scale rescaling(Path file, String name, JsonNode c, long[] shape) throws UnsupportedModelException {
    int channels = (int) shape[shape.length - 1];
    return new Step.Scale(name, perChannel(file, name, "scale", c.path("scale"), 1f, channels),
        perChannel(file, name, "offset", c.path("offset"), 0f, channels));
  }

  private static float[] perChannel(Path file, String name, String field, JsonNode v, float missing, int channels)
      throws UnsupportedModelException {
    float[] out = new float[channels];
    if (v.isMissingNode() || v.isNull()) {
      Arrays.fill(out, missing);
    } else if (v.isNumber()) {
      Arrays.fill(out, (float) v.asDouble());
    } else if (v.isArray() && v.size() == channels && allNumbers(v)) {
      for (int i = 0; i < channels; i++) {
        out[i] = (float) v.get(i).asDouble();
      }
    } else {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Rescaling) has " + field + " " + v
          + "; jlip imports a number or one number per channel (" + channels + ")");
    }
    return out;
  }

  private static boolean allNumbers(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isNumber()) {
        return false;
      }
    }
    return true;
  }
}
