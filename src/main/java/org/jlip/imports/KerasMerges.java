package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Keras's merge layers (Add, Subtract, Average, Concatenate) as a {@link Step.Merge} of imported branches. */
final class KerasMerges {
  private KerasMerges() {}

  /**
   * The merge of {@code branches} on inputs of shape {@code in} (jlip's layout: NHWC images). Concatenate must
   * join the channel axis: Keras's last axis, or axis 1 of a channels_first image, which jlip holds last.
   */
  static Step.Merge of(Path file, String name, String type, JsonNode c, List<List<Step>> branches, long[] in,
      boolean channelsFirst) throws UnsupportedModelException {
    Step.MergeKind kind = Step.MergeKind.valueOf(type.toUpperCase(java.util.Locale.ROOT));
    if (kind == Step.MergeKind.SUBTRACT && branches.size() != 2) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Subtract) has " + branches.size()
          + " inputs, expected 2");
    }
    Step.Merge merge = new Step.Merge(name, kind, branches);
    long[] out;
    try {
      out = merge.outputShape(in);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + "): " + e.getMessage()
          + "; jlip imports merges of equal shapes (Concatenate: equal but for the channel axis)");
    }
    if (kind == Step.MergeKind.CONCATENATE) {
      int rank = out.length + 1;
      int axis = c.path("axis").asInt(-1);
      int channel = channelsFirst && out.length == 3 ? 1 : rank - 1;
      if ((axis < 0 ? axis + rank : axis) != channel) {
        throw new UnsupportedModelException(file + ": layer '" + name + "' (Concatenate) joins axis " + axis
            + " of outputs of shape " + Arrays.toString(out) + "; jlip imports concatenations of the channel axis ("
            + (channel == 1 ? "1" : "-1") + ") only");
      }
    }
    return merge;
  }
}
