package org.jlip.layers;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** STUB: to be implemented. */
public final class GroupSort extends AbstractLipLayer<GroupSortConfig> {

  public GroupSort(GroupSortConfig config) {
    super(config, "group_sort");
  }

  /** GroupSort2 (n = 2) keeping its own configuration for round trips. */
  public GroupSort(GroupSortConfig config, GroupSort2Config original) {
    super(config, "group_sort2");
  }

  /** FullSort: n is the axis length, known at build. */
  public static GroupSort fullSort(FullSortConfig config) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public boolean isLipschitz() {
    return true;
  }

  @Override
  public double nominalLipschitz() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public LayerBound bound(Session session) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
