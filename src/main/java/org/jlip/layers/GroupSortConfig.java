package org.jlip.layers;

/**
 * Sorts each consecutive group of {@code n} values along {@code axis} (default -1, the last; an axis counts
 * the batch dimension as 0, negative values count from the end). n must divide the axis length.
 */
public record GroupSortConfig(Integer n, Integer axis, Double kCoefLip, String name) implements LayerConfig {

  public GroupSortConfig {
    n = Check.positive("n", n, 2);
    axis = axis == null ? -1 : axis;
    if (axis == 0) {
      throw new IllegalArgumentException("axis must not be the batch axis 0, got 0");
    }
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  public GroupSortConfig(int n) {
    this(n, null, null, null);
  }

  @Override
  public LipLayer create() {
    return new GroupSort(this);
  }
}
