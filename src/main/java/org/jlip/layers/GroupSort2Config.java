package org.jlip.layers;

/** GroupSort with groups of two: (min, max) of each pair along {@code axis} (default -1). */
public record GroupSort2Config(Integer axis, Double kCoefLip, String name) implements LayerConfig {

  public GroupSort2Config {
    axis = axis == null ? -1 : axis;
    if (axis == 0) {
      throw new IllegalArgumentException("axis must not be the batch axis 0, got 0");
    }
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  public GroupSort2Config() {
    this(null, null, null);
  }

  @Override
  public LipLayer create() {
    return new GroupSort(new GroupSortConfig(2, axis, kCoefLip, name), this);
  }
}
