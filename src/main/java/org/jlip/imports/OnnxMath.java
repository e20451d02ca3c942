package org.jlip.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jlip.imports.OnnxFile.Attribute;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Constant;
import org.jlip.imports.OnnxTranslator.Value;
import org.tensorflow.proto.AttrValue;

/**
 * ONNX's linear and normalising ops as TensorFlow ops on NHWC activations: Gemm and MatMul (alpha, beta and
 * transB folded into the weights), Add/Sub of branches or of per-channel constants, Mul/Div by them,
 * BatchNormalization, channel Concat, global pooling and a final Softmax or LogSoftmax.
 */
final class OnnxMath {
  private OnnxMath() {}

  static Value gemm(OnnxTranslator t, Node n) throws IOException {
    Attribute ta = n.attributes().get("transA");
    if (ta != null && ta.i() != 0) {
      throw new UnsupportedModelException(t.where(n) + " transposes its input (transA)");
    }
    Constant b = t.constant(n, 1);
    float alpha = t.attrF(n, "alpha", 1);
    float beta = t.attrF(n, "beta", 1);
    Attribute tb = n.attributes().get("transB");
    float[] w = b.floats();
    long[] dims = b.dims();
    if (w == null || dims.length != 2) {
      throw new UnsupportedModelException(t.where(n) + ": weight of dims " + Arrays.toString(dims) + "; expected a"
          + " float32 matrix");
    }
    if (tb != null && tb.i() != 0) {
      w = OpRules.transpose(w, (int) dims[0], (int) dims[1]);
      dims = new long[] {dims[1], dims[0]};
    }
    w = w.clone();
    for (int i = 0; i < w.length; i++) {
      w[i] *= alpha;
    }
    Value y = matMul(t, n, t.image(n, 0, false), new Constant(dims, w, null));
    if (!t.hasInput(n, 2)) {
      return y;
    }
    float[] c = t.floats(n, 2);
    float[] bias = new float[(int) dims[1]];
    if (c.length != 1 && c.length != bias.length) {
      throw new UnsupportedModelException(t.where(n) + ": bias of " + c.length + " values for " + bias.length
          + " outputs");
    }
    for (int i = 0; i < bias.length; i++) {
      bias[i] = beta * c[c.length == 1 ? 0 : i];
    }
    Activation a = (Activation) y;
    return t.emit("BiasAdd", n.name() + "/bias", a.shape(), false, Map.of(), a.ref(), t.arg(bias, bias.length));
  }

  static Value matMul(OnnxTranslator t, Node n, Activation x, Constant w) throws IOException {
    long[] d = w.dims();
    if (w.floats() == null || d.length != 2 || x.image() || x.shape().length != 1 || x.shape()[0] != d[0]) {
      throw new UnsupportedModelException(t.where(n) + ": multiplies a tensor of shape [N, "
          + OnnxTranslator.join(x.shape())
          + "] by a weight of dims " + Arrays.toString(d) + "; jlip reads a [features, outputs] float32 matrix"
          + " on a vector");
    }
    return t.emit("MatMul", n.name(), new long[] {d[1]}, false, Map.of(), x.ref(), t.arg(w.floats(), d));
  }

  static Value addOrSub(OnnxTranslator t, Node n) throws IOException {
    Value a = t.input(n, 0);
    Value b = t.input(n, 1);
    if (a instanceof Activation x && b instanceof Activation y) {
      if (!Arrays.equals(x.shape(), y.shape())) {
        throw new UnsupportedModelException(t.where(n) + " of shapes " + Arrays.toString(x.shape()) + " and "
            + Arrays.toString(y.shape()) + " (broadcasting between activations is not read)");
      }
      return t.emit(n.opType().equals("Add") ? "AddV2" : "Sub", n.name(), x.shape(), x.image(), Map.of(), x.ref(),
          y.ref());
    }
    if (n.opType().equals("Sub") && a instanceof Constant) {
      throw new UnsupportedModelException(t.where(n) + " subtracts the activation from a constant");
    }
    Activation x = (Activation) (a instanceof Activation ? a : b);
    float[] c = perChannel(t, n, a instanceof Activation ? 1 : 0, x);
    if (n.opType().equals("Sub")) {
      for (int i = 0; i < c.length; i++) {
        c[i] = -c[i];
      }
    }
    return t.emit("BiasAdd", n.name(), x.shape(), x.image(), Map.of(), x.ref(), t.arg(c, c.length));
  }

  static Value scale(OnnxTranslator t, Node n) throws IOException {
    boolean first = t.input(n, 0) instanceof Activation;
    if (n.opType().equals("Div") && !first) {
      throw new UnsupportedModelException(t.where(n) + " divides a constant by the activation");
    }
    Activation x = (Activation) t.input(n, first ? 0 : 1);
    float[] c = perChannel(t, n, first ? 1 : 0, x);
    if (n.opType().equals("Div")) {
      for (int i = 0; i < c.length; i++) {
        c[i] = 1 / c[i];
      }
    }
    return t.emit("Mul", n.name(), x.shape(), x.image(), Map.of(), x.ref(), t.arg(c, c.length));
  }

  /**
   * A constant that broadcasts along the channel axis: one value, or one per channel (shape [C], [1, C], [C, 1, 1]
   * or [1, C, 1, 1] for an image), as a per-channel vector of the NHWC activation.
   */
  static float[] perChannel(OnnxTranslator t, Node n, int i, Activation x) throws IOException {
    float[] c = t.floats(n, i);
    long[] d = t.constant(n, i).dims();
    long channels = x.shape()[x.shape().length - 1];
    long nonUnit = Arrays.stream(d).filter(v -> v != 1).count();
    boolean ok = c.length == 1 || c.length == channels && nonUnit == 1
        && (x.image() ? d.length >= 3 && d[d.length - 3] == channels : d[d.length - 1] == channels);
    if (!ok) {
      throw new UnsupportedModelException(t.where(n) + ": a constant of dims " + Arrays.toString(d) + " on an"
          + " activation of " + channels + " channels; jlip reads one value or one per channel");
    }
    float[] out = new float[(int) channels];
    for (int k = 0; k < out.length; k++) {
      out[k] = c[c.length == 1 ? 0 : k];
    }
    return out;
  }

  static Value concat(OnnxTranslator t, Node n) throws IOException {
    List<Activation> parts = new ArrayList<>();
    for (int i = 0; i < n.inputs().size(); i++) {
      parts.add(t.image(n, i, false));
    }
    Activation first = parts.get(0);
    int rank = first.shape().length + 1;
    long axis = t.attrI(n, "axis", 1);
    axis = axis < 0 ? axis + rank : axis;
    if (axis < 1 || axis >= rank) {
      throw new UnsupportedModelException(t.where(n) + " on axis " + t.attrI(n, "axis", 1) + " of a rank " + rank
          + " tensor; jlip reads concatenations after the batch axis");
    }
    if (parts.size() == 1) {
      // The identity: PyTorch's circular padding writes one when an axis has no padding.
      return first;
    }
    int held = first.image() ? new int[] {0, 3, 1, 2}[(int) axis] : (int) axis;
    long[] shape = first.shape().clone();
    shape[held - 1] = 0;
    String[] refs = new String[parts.size() + 1];
    for (int i = 0; i < parts.size(); i++) {
      shape[held - 1] += parts.get(i).shape()[held - 1];
      refs[i] = parts.get(i).ref();
    }
    refs[parts.size()] = t.intScalar(held);
    return t.emit("ConcatV2", n.name(), shape, first.image(), Map.of("N", AttrValue.newBuilder().setI(parts.size())
        .build()), refs);
  }

  static Value globalPool(OnnxTranslator t, Node n) throws IOException {
    return global(t, n, t.image(n, 0, true), n.opType().equals("GlobalMaxPool") ? "Max" : "Mean", true);
  }

  /**
   * ReduceMean of an image over H and W ({@code x.mean((2, 3))}, a global average pooling), keeping the axes as a
   * 1x1 image or not; axes from the attribute (opset < 18) or the second input.
   */
  static Value reduceMean(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, false);
    long[] axes = t.hasInput(n, 1) ? t.constant(n, 1).longs() : t.attrInts(n, "axes", null);
    long[] nchw = axes == null ? null : Arrays.stream(axes).map(a -> a < 0 ? a + 4 : a).sorted().toArray();
    if (!x.image() || nchw == null || !Arrays.equals(nchw, new long[] {2, 3})) {
      throw new UnsupportedModelException(t.where(n) + ": a mean over axes " + Arrays.toString(axes) + " of "
          + (x.image() ? "an image" : "a tensor of shape [N, " + OnnxTranslator.join(x.shape()) + "]") + "; jlip reads"
          + " ReduceMean over H and W of an image [N, C, H, W] (global average pooling)");
    }
    return global(t, n, x, "Mean", t.attrI(n, "keepdims", 1) != 0);
  }

  private static Value global(OnnxTranslator t, Node n, Activation x, String op, boolean keep) {
    long c = x.shape()[2];
    Activation pooled = t.emit(op, n.name(), new long[] {c}, false, Map.of(), x.ref(), t.intArg(1, 2));
    if (!keep) {
      return pooled;
    }
    // ONNX keeps [N, C, 1, 1]: the same values, held as a 1x1 image.
    Activation row = t.emit("ExpandDims", n.name() + "/h", new long[] {1, c}, false, Map.of(), pooled.ref(),
        t.intArg(1));
    return t.emit("ExpandDims", n.name() + "/w", new long[] {1, 1, c}, true, Map.of(), row.ref(), t.intArg(1));
  }

  static Value batchNorm(OnnxTranslator t, Node n) throws IOException {
    Activation in = t.image(n, 0, false);
    Activation x = OnnxChannelAxis.toLast(t, n.name(), in);
    long c = x.shape()[x.shape().length - 1];
    String[] refs = new String[5];
    refs[0] = x.ref();
    for (int i = 1; i <= 4; i++) {
      float[] v = t.floats(n, i);
      if (v.length != c) {
        throw new UnsupportedModelException(t.where(n) + ": input " + i + " has " + v.length + " values for " + c
            + " channels");
      }
      refs[i] = t.arg(v, c);
    }
    if (n.attributes().containsKey("training_mode") && n.attributes().get("training_mode").i() != 0) {
      throw new UnsupportedModelException(t.where(n) + " is in training mode");
    }
    Activation y = t.emit("FusedBatchNormV3", n.name(), x.shape(), x.image(), Map.of("epsilon",
        OnnxTranslator.real(t.attrF(n, "epsilon", 1e-5f)), "is_training", OnnxTranslator.flag(false)), refs);
    return OnnxChannelAxis.back(t, n.name(), y, in);
  }

  static Value softmax(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, false);
    long axis = t.attrI(n, "axis", -1);
    if (x.image() || x.shape().length != 1 || (axis != -1 && axis != 1)) {
      throw new UnsupportedModelException(t.where(n) + " over axis " + axis + " of a tensor of shape [N, "
          + OnnxTranslator.join(x.shape()) + "]; jlip reads a softmax over the logits of a vector");
    }
    t.finalActivation(n.opType().equals("Softmax") ? "softmax" : "log_softmax");
    return t.emit("Softmax", n.name(), x.shape(), false, Map.of(), x.ref());
  }
}
