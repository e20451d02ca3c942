package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jlip.layers.FullSortConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.GroupSortConfig;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.MaxMinConfig;
import org.jlip.layers.ScaledAveragePooling2DConfig;
import org.jlip.layers.ScaledGlobalAveragePooling2DConfig;
import org.jlip.layers.ScaledGlobalL2NormPooling2DConfig;
import org.jlip.layers.ScaledL2NormPooling2DConfig;

/**
 * Weight-free Keras layers that map to a jlip layer by their configuration alone (deel-lip's sort-like activations
 * and scaled poolings, Keras's GlobalAveragePooling2D), as pure functions apart from {@link KerasFileImporter}.
 */
final class KerasWeightFreeLayers {
  private KerasWeightFreeLayers() {}

  /**
   * deel-lip's GroupSort/GroupSort2/FullSort/MaxMin. They act along the last axis of the layer's own layout
   * (channels_last) or its channel axis (channels_first, MaxMin only): in an NCHW model the last axis is the
   * image width, NHWC axis 2; the channel axis is NHWC axis 3.
   *
   * @param name the layer's name, null for an activation of another layer
   */
  static LayerConfig sortLike(Path file, String type, JsonNode c, String name, long[] shape, boolean channelsFirst)
      throws UnsupportedModelException {
    boolean lastAxis = c.path("data_format").asText("channels_last").equals("channels_last");
    int axis;
    if (shape.length == 1) {
      axis = -1;
    } else if (channelsFirst) {
      axis = lastAxis ? 2 : 3;
    } else {
      axis = lastAxis ? -1 : 3;
    }
    double k = c.path("k_coef_lip").asDouble(1.0);
    JsonNode n = c.path("n");
    return switch (type) {
      case "GroupSort2" -> new GroupSort2Config(axis, k, name);
      case "FullSort" -> new FullSortConfig(axis, k, name);
      case "GroupSort" -> n.isNull() || n.isMissingNode() ? new FullSortConfig(axis, k, name)
          : n.asInt() == 2 ? new GroupSort2Config(axis, k, name) : new GroupSortConfig(n.asInt(), axis, k, name);
      case "MaxMin" -> new MaxMinConfig(axis, k, name);
      default -> throw new UnsupportedModelException(file + ": activation " + type + (name == null ? ""
          : " of layer '" + name + "'") + " is not supported (GroupSort, GroupSort2, FullSort, MaxMin, "
          + KerasFileImporter.ACTIVATIONS + ")");
    };
  }

  /** deel-lip's ScaledL2NormPooling2D / ScaledAveragePooling2D, whose strides must be their pool size. */
  static LayerConfig scaledPooling(Path file, String type, String name, JsonNode c, double k)
      throws UnsupportedModelException {
    long[] p = KerasFileImporter.ints(c.path("pool_size"), 0);
    JsonNode strides = c.path("strides");
    if (!strides.isMissingNode() && !strides.isNull() && !Arrays.equals(KerasFileImporter.ints(strides, 0), p)) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' strides differ from its pool size");
    }
    List<Integer> pool = List.of((int) p[0], (int) p[1]);
    return type.equals("ScaledL2NormPooling2D") ? new ScaledL2NormPooling2DConfig(pool, k, name)
        : new ScaledAveragePooling2DConfig(pool, k, name);
  }

  /** deel-lip's scaled global poolings, or Keras's plain mean as the scaled one with k = 1/sqrt(H*W). */
  static LayerConfig globalPooling(Path file, String type, String name, JsonNode c, long[] shape, double k)
      throws UnsupportedModelException {
    KerasInferenceLayers.requireImage(file, type, name, c, shape);
    double kk = type.equals("GlobalAveragePooling2D") ? 1 / Math.sqrt((double) shape[0] * shape[1]) : k;
    return type.equals("ScaledGlobalL2NormPooling2D") ? new ScaledGlobalL2NormPooling2DConfig(kk, name)
        : new ScaledGlobalAveragePooling2DConfig(kk, name);
  }
}
