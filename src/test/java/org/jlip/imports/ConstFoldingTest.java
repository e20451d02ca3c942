package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jlip.imports.FunctionRebuilder.Const;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/** The shape plumbing evaluated on constants: Flatten's shape computation and a bias read through reshapes. */
class ConstFoldingTest {
  private static NodeDef node(String op, String attr, AttrValue value) {
    NodeDef.Builder b = NodeDef.newBuilder().setOp(op).setName(op.toLowerCase());
    return attr == null ? b.build() : b.putAttr(attr, value).build();
  }

  private static Const ints(long... v) {
    return new Const(null, v, new long[] {v.length});
  }

  @Test
  void flattenShapeComputationGivesBatchAndSize() throws Exception {
    Const shape = ConstFolding.shapeOf(new long[] {12, 12, 6});
    assertArrayEquals(new long[] {-1, 12, 12, 6}, shape.longs());
    Const batch = ConstFolding.fold(node("StridedSlice", "shrink_axis_mask", AttrValue.newBuilder().setI(1).build()),
        List.of(shape, ints(0), ints(1), ints(1)), "w");
    assertArrayEquals(new long[] {-1}, batch.longs());
    assertArrayEquals(new long[0], batch.shape());
    Const target = ConstFolding.fold(node("Pack", "axis", AttrValue.newBuilder().setI(0).build()),
        List.of(batch, new Const(null, new long[] {864}, new long[0])), "w");
    assertArrayEquals(new long[] {-1, 864}, target.longs());
    // without shrinking, with an end mask: x[1:]
    Const tail = ConstFolding.fold(node("StridedSlice", "end_mask", AttrValue.newBuilder().setI(1).build()),
        List.of(shape, ints(1), ints(0), ints(1)), "w");
    assertArrayEquals(new long[] {12, 12, 6}, tail.longs());
  }

  @Test
  void biasThroughReshapeAndSqueezeKeepsItsValues() throws Exception {
    Const bias = new Const(new float[] {1, 2, 3}, null, new long[] {3});
    Const r = ConstFolding.fold(node("Reshape", null, null), List.of(bias, ints(1, 1, 1, -1)), "w");
    assertArrayEquals(new long[] {1, 1, 1, 3}, r.shape());
    Const all = ConstFolding.fold(node("Squeeze", null, null), List.of(r), "w");
    assertArrayEquals(new long[] {3}, all.shape());
    Const some = ConstFolding.fold(node("Squeeze", "squeeze_dims",
        AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addI(0).addI(-2)).build()), List.of(r), "w");
    assertArrayEquals(new long[] {1, 3}, some.shape());
    assertArrayEquals(new float[] {1, 2, 3}, some.floats());
  }

  @Test
  void normalizationsStandardDeviationIsFoldedWithItsFloor() throws Exception {
    // Keras's Normalization divides by max(sqrt(variance), 1e-7).
    Const sd = ConstFolding.fold(node("Sqrt", null, null), List.of(new Const(new float[] {4, 0, 0.25f}, null,
        new long[] {1, 1, 1, 3})), "w");
    Const floored = ConstFolding.fold(node("Maximum", null, null),
        List.of(sd, new Const(new float[] {1e-7f}, null, new long[0])), "w");
    assertArrayEquals(new float[] {2, 1e-7f, 0.5f}, floored.floats());
    assertArrayEquals(new long[] {1, 1, 1, 3}, floored.shape());
    Const clipped = ConstFolding.fold(node("Minimum", null, null),
        List.of(new Const(new float[] {1}, null, new long[0]), sd), "w");
    assertArrayEquals(new float[] {1, 0, 0.5f}, clipped.floats());
  }

  @Test
  void whatItCannotEvaluateIsAnError() {
    Const f = new Const(new float[] {1}, null, new long[0]);
    assertThrows(UnsupportedModelException.class,
        () -> ConstFolding.fold(node("Pack", null, null), List.of(f, f), "w"));
    assertThrows(UnsupportedModelException.class,
        () -> ConstFolding.fold(node("Reshape", null, null), List.of(ints(1, 2, 3), ints(2, 2)), "w"));
    assertThrows(UnsupportedModelException.class,
        () -> ConstFolding.fold(node("Reshape", null, null), List.of(ints(1, 2), f), "w"));
    assertThrows(UnsupportedModelException.class,
        () -> ConstFolding.fold(node("StridedSlice", null, null), List.of(ints(1, 2), f, f, f), "w"));
    assertThrows(UnsupportedModelException.class, () -> ConstFolding.fold(node("StridedSlice", "ellipsis_mask",
        AttrValue.newBuilder().setI(1).build()), List.of(ints(1, 2), ints(0), ints(1), ints(1)), "w"));
  }
}
