package org.jlip.layers;

/** GroupSort whose group is the whole axis: sorts along {@code axis} (default -1). */
public record FullSortConfig(Integer axis, Double kCoefLip, String name) implements LayerConfig {

  public FullSortConfig {
    axis = axis == null ? -1 : axis;
    if (axis == 0) {
      throw new IllegalArgumentException("axis must not be the batch axis 0, got 0");
    }
    kCoefLip = Check.positive("kCoefLip", kCoefLip, 1.0);
    name = Check.name(name);
  }

  @Override
  public LipLayer create() {
    return GroupSort.fullSort(this);
  }
}
