package org.jlip.imports;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Keras's merge layers (Add, Subtract, Average, Concatenate, Maximum, Minimum) as a {@link Step.Merge} of imported
 * branches.
 */
final class KerasMerges {
  private KerasMerges() {}

  /**
   * The merge of {@code branches} on inputs of shape {@code in} (jlip's layout: NHWC images); Concatenate's axis
   * is mapped from Keras's layout to jlip's.
   */
  static Step.Merge of(Path file, String name, String type, JsonNode c, List<List<Step>> branches, long[] in,
      boolean channelsFirst) throws UnsupportedModelException {
    Step.MergeKind kind = Step.MergeKind.valueOf(type.toUpperCase(java.util.Locale.ROOT));
    if (kind == Step.MergeKind.SUBTRACT && branches.size() != 2) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (Subtract) has " + branches.size()
          + " inputs, expected 2");
    }
    int axis = -1;
    if (kind == Step.MergeKind.CONCATENATE) {
      // Keras's axis over (batch, its layout); jlip holds a channels_first image's (C, H, W) as (H, W, C).
      long[] out = in;
      for (Step step : branches.get(0)) {
        out = step.outputShape(out);
      }
      int rank = out.length + 1;
      int a = c.path("axis").asInt(-1);
      int keras = (a < 0 ? a + rank : a) - 1;
      axis = keras < 0 || keras >= out.length ? Integer.MIN_VALUE
          : channelsFirst && out.length == 3 ? KerasLayoutLayers.hereOfKeras(keras) : keras;
      if (axis == Integer.MIN_VALUE) {
        throw new UnsupportedModelException(file + ": layer '" + name + "' (Concatenate) joins axis " + a
            + " of inputs of shape " + Arrays.toString(out) + " after the batch axis; jlip concatenates one axis"
            + " after the batch axis");
      }
    }
    Step.Merge merge = new Step.Merge(name, kind, branches, axis);
    try {
      merge.outputShape(in);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedModelException(file + ": layer '" + name + "' (" + type + "): " + e.getMessage()
          + "; jlip imports merges of equal shapes (Concatenate: equal but for the joined axis)");
    }
    return merge;
  }
}
