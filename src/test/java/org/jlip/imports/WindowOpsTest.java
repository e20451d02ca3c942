package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jlip.imports.FunctionRebuilder.Const;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * Pad and StridedSlice of the activation as Keras exports ZeroPadding2D and Cropping2D, MirrorPad as gathers, and what
 * is refused: a non-finite fill, mirror pads wider than the axis, and slices that stride, shrink or cut the batch
 * axis.
 */
class WindowOpsTest {
  private static final long[] SHAPE = {3, 12, 10};

  private static NodeDef node(String op, long beginMask, long endMask, long shrinkMask) {
    return NodeDef.newBuilder().setOp(op).setName("n").putAttr("begin_mask", i(beginMask))
        .putAttr("end_mask", i(endMask)).putAttr("shrink_axis_mask", i(shrinkMask)).build();
  }

  private static AttrValue i(long v) {
    return AttrValue.newBuilder().setI(v).build();
  }

  private static Const ints(long... v) {
    return new Const(null, v, new long[] {v.length});
  }

  @Test
  void zeroPaddingOfTheAxesAfterTheBatch() throws Exception {
    Const p = new Const(null, new long[] {0, 0, 0, 0, 1, 2, 0, 3}, new long[] {4, 2});
    Step.Pad pad = WindowOps.pad(node("Pad", 0, 0, 0), SHAPE, p, null, "w");
    assertArrayEquals(new long[] {3, 15, 13}, pad.outputShape(SHAPE));
    assertArrayEquals(new long[] {3, 15, 13},
        WindowOps.pad(node("PadV2", 0, 0, 0), SHAPE, p, new Const(new float[] {0}, null, new long[0]), "w")
            .outputShape(SHAPE));
    // MirrorPad copies values: one gather per padded axis (1 then 2), bounded by sqrt of the most copies.
    NodeDef reflect = node("MirrorPad", 0, 0, 0).toBuilder().putAttr("mode", OnnxTranslator.string("REFLECT"))
        .build();
    java.util.List<Step> mirror = WindowOps.mirrorPad(reflect, SHAPE, p, "w");
    assertEquals(2, mirror.size());
    assertArrayEquals(new long[] {3, 15, 13}, mirror.get(1).outputShape(mirror.get(0).outputShape(SHAPE)));
    assertEquals(Math.sqrt(2), mirror.get(0).bound(SHAPE).measured(), 1e-12);
    Const tooWide = new Const(null, new long[] {0, 0, 0, 0, 12, 0, 0, 0}, new long[] {4, 2});
    String wide = assertThrows(UnsupportedModelException.class,
        () -> WindowOps.mirrorPad(reflect, SHAPE, tooWide, "w")).getMessage();
    assertTrue(wide.contains("REFLECT padding of 12 and 0 on an axis of 12 (at most 11 each)"), wide);
    // A constant other than 0 (ONNX pads a max pool with the lowest float) is still exactly 1-Lipschitz.
    Step.Pad filled = WindowOps.pad(node("PadV2", 0, 0, 0), SHAPE, p, new Const(new float[] {-2.5f}, null,
        new long[0]), "w");
    assertEquals(-2.5f, filled.value());
    assertEquals(1.0, filled.bound(SHAPE).measured());
    String infinite = assertThrows(UnsupportedModelException.class, () -> WindowOps.pad(node("PadV2", 0, 0, 0),
        SHAPE, p, new Const(new float[] {Float.NEGATIVE_INFINITY}, null, new long[0]), "w")).getMessage();
    assertTrue(infinite.contains("one finite constant"), infinite);
    Const batch = new Const(null, new long[] {1, 0, 0, 0, 1, 2, 0, 3}, new long[] {4, 2});
    assertThrows(UnsupportedModelException.class, () -> WindowOps.pad(node("Pad", 0, 0, 0), SHAPE, batch, null,
        "w"));
  }

  @Test
  void cropResolvesMasksAndNegativeEnds() throws Exception {
    // x[:, :, 2:-1, 1:-1] as Keras writes Cropping2D(((2, 1), (1, 1))) in channels_first: masks on axes 0 and 1.
    Step.Crop crop = WindowOps.stridedSlice(node("StridedSlice", 3, 3, 0), SHAPE, ints(0, 0, 2, 1),
        ints(0, 0, -1, -1), ints(1, 1, 1, 1), "w");
    assertArrayEquals(new long[] {0, 2, 1}, crop.begin());
    assertArrayEquals(new long[] {3, 9, 8}, crop.outputShape(SHAPE));
  }

  @Test
  void slicesThatAreNoCropAreRefused() {
    String strided = assertThrows(UnsupportedModelException.class, () -> WindowOps.stridedSlice(
        node("StridedSlice", 15, 15, 0), SHAPE, ints(0, 0, 0, 0), ints(0, 0, 0, 0), ints(1, 1, 2, 1), "w"))
        .getMessage();
    assertTrue(strided.contains("unit-stride block"), strided);
    assertThrows(UnsupportedModelException.class, () -> WindowOps.stridedSlice(node("StridedSlice", 15, 15, 2),
        SHAPE, ints(0, 0, 0, 0), ints(0, 1, 0, 0), ints(1, 1, 1, 1), "w"));
    String batch = assertThrows(UnsupportedModelException.class, () -> WindowOps.stridedSlice(
        node("StridedSlice", 14, 14, 0), SHAPE, ints(0, 0, 0, 0), ints(4, 0, 0, 0), ints(1, 1, 1, 1), "w"))
        .getMessage();
    assertTrue(batch.contains("slices the batch axis"), batch);
  }
}
