package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keras's Normalization layer at inference: (x - mean) / max(sqrt(variance), 1e-7), or with invert
 * x * max(sqrt(variance), 1e-7) + mean, as a {@link Step.Scale} (bound: the largest |scale|). mean and variance
 * come from the config when given there, else from the layer's variables (mean, variance, count) written by
 * adapt(). jlip reads one value for all (axis null) or one per channel (the channel axis).
 */
final class KerasNormalization {
  /** Keras's backend epsilon, the floor of the standard deviation. */
  static final double EPSILON = 1e-7;

  private KerasNormalization() {}

  static Step.Scale of(Path file, String name, JsonNode c, long[] shape, boolean channelsFirst,
      KerasInferenceLayers.Vars vars) throws IOException {
    int channels = (int) shape[shape.length - 1];
    int rank = shape.length + 1;
    JsonNode a = c.path("axis");
    if (a.isArray() && a.size() == 1) {
      a = a.get(0);
    }
    int channel = channelsFirst && shape.length == 3 ? 1 : rank - 1;
    boolean single = a.isNull();
    if (!single && !(a.isIntegralNumber() && (a.asInt() < 0 ? a.asInt() + rank : a.asInt()) == channel)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Normalization) normalises axis " + a
          + "; jlip reads axis null (one mean and variance) or the channel axis ("
          + (channel == 1 ? "1" : "-1") + ") only");
    }
    float[] mean;
    float[] variance;
    if (c.hasNonNull("mean") || c.hasNonNull("variance")) {
      mean = values(file, name, "mean", c.path("mean"), channels);
      variance = values(file, name, "variance", c.path("variance"), channels);
    } else {
      mean = broadcast(file, name, "mean", vars.read("0", "mean").values(), channels);
      variance = broadcast(file, name, "variance", vars.read("1", "variance").values(), channels);
    }
    boolean invert = c.path("invert").asBoolean(false);
    float[] s = new float[channels];
    float[] t = new float[channels];
    for (int i = 0; i < channels; i++) {
      double sd = Math.max(Math.sqrt(variance[i]), EPSILON);
      if (!(variance[i] >= 0) || !Float.isFinite(mean[i]) || Double.isInfinite(sd)) {
        throw new MalformedModelException(file + ": layer '" + name + "' (Normalization) channel " + i + " has mean "
            + mean[i] + " and variance " + variance[i] + "; expected a finite mean and a finite variance >= 0");
      }
      s[i] = (float) (invert ? sd : 1 / sd);
      t[i] = (float) (invert ? mean[i] : -mean[i] / sd);
    }
    return new Step.Scale(name, s, t);
  }

  /** A number, or a (nested) list of 1 or {@code channels} numbers. */
  private static float[] values(Path file, String name, String field, JsonNode v, int channels)
      throws UnsupportedModelException {
    List<Float> flat = new ArrayList<>();
    if (!flatten(v, flat)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Normalization) has " + field + " " + v
          + "; expected a number or a list of numbers");
    }
    float[] out = new float[flat.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = flat.get(i);
    }
    try {
      return broadcast(file, name, field, out, channels);
    } catch (MalformedModelException e) {
      throw new UnsupportedModelException(e.getMessage());
    }
  }

  private static boolean flatten(JsonNode v, List<Float> out) {
    if (v.isNumber()) {
      out.add((float) v.asDouble());
      return true;
    }
    if (!v.isArray()) {
      return false;
    }
    for (JsonNode e : v) {
      if (!flatten(e, out)) {
        return false;
      }
    }
    return true;
  }

  private static float[] broadcast(Path file, String name, String field, float[] v, int channels)
      throws MalformedModelException {
    if (v.length == channels) {
      return v;
    }
    if (v.length != 1) {
      throw new MalformedModelException(file + ": layer '" + name + "' (Normalization) has " + v.length + " "
          + field + " values for " + channels + " channels");
    }
    float[] out = new float[channels];
    Arrays.fill(out, v[0]);
    return out;
  }
}
