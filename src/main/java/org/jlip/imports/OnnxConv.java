package org.jlip.imports;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxTranslator.Activation;
import org.jlip.imports.OnnxTranslator.Constant;

/**
 * ONNX's windowed ops on images, as TensorFlow NHWC ops: Conv (kernel OIHW to HWIO; groups as TensorFlow's grouped
 * or depthwise form; dilations as zeros between the taps), MaxPool and AveragePool, and Pad. Explicit pads become TensorFlow's SAME where they are the
 * same numbers (total / 2 before, the rest after) and mean the same, else a Pad before a VALID window: zeros for a
 * convolution and for an average that counts its padding (PyTorch's default), the lowest float for a max pool
 * (ONNX's -infinity never wins). An average that leaves its padding out is read only with SAME's pads.
 */
final class OnnxConv {
  private OnnxConv() {}

  static Activation conv(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, true);
    Constant w = t.constant(n, 1);
    long[] d = w.dims();
    if (w.floats() == null || d.length != 4) {
      throw new UnsupportedModelException(t.where(n) + ": kernel of dims " + Arrays.toString(d) + "; expected a"
          + " float32 [out, in / group, kh, kw] kernel of a 2-D convolution");
    }
    long cout = d[0];
    long cin = x.shape()[2];
    long group = t.attrI(n, "group", 1);
    if (group < 1 || cin % group != 0 || cout % group != 0 || d[1] * group != cin) {
      throw new UnsupportedModelException(t.where(n) + ": kernel " + Arrays.toString(d) + " with group " + group
          + " on " + cin + " input channels");
    }
    long[] dil = t.attrInts(n, "dilations", new long[] {1, 1});
    if (dil.length != 2 || Arrays.stream(dil).anyMatch(v -> v < 1 || v > 64)) {
      throw new UnsupportedModelException(t.where(n) + ": dilations " + Arrays.toString(dil) + "; jlip reads two"
          + " factors in 1..64");
    }
    int kh = (int) d[2];
    int kw = (int) d[3];
    // A dilated kernel is an ordinary one with zeros between its taps: its pads and window use that size.
    int eh = (kh - 1) * (int) dil[0] + 1;
    int ew = (kw - 1) * (int) dil[1] + 1;
    long[] strides = t.attrInts(n, "strides", new long[] {1, 1});
    Window win = window(t, n, x, eh, ew, strides, 0f);
    float[] k = w.floats();
    boolean depthwise = group > 1 && group == cin;
    int per = (int) d[1];
    // OIHW -> HWIO, or [kh, kw, C, multiplier] for a depthwise convolution (output o = c * multiplier + j).
    float[] hwio = new float[k.length];
    for (int o = 0; o < cout; o++) {
      for (int i = 0; i < per; i++) {
        for (int y = 0; y < kh; y++) {
          for (int z = 0; z < kw; z++) {
            float v = k[((o * per + i) * kh + y) * kw + z];
            hwio[((y * kw + z) * per + i) * (int) cout + o] = v;
          }
        }
      }
    }
    long[] kdims = depthwise ? new long[] {kh, kw, cin, cout / cin} : new long[] {kh, kw, per, cout};
    if (eh != kh || ew != kw) {
      Weight dilated = DepthwiseKernels.dilated(new Weight(hwio, kdims), (int) dil[0], (int) dil[1]);
      hwio = dilated.values();
      kdims = dilated.shape();
    }
    if (win.padding.equals("VALID") && (win.input[0] < eh || win.input[1] < ew)) {
      throw new MalformedModelException(t.where(n) + ": a " + eh + " x " + ew + " kernel (dilated) on an image of "
          + win.input[0] + " x " + win.input[1] + " (padded) leaves no output");
    }
    long[] out = {Step.outSize(win.input[0], eh, (int) strides[0], win.padding),
        Step.outSize(win.input[1], ew, (int) strides[1], win.padding), cout};
    Activation y = t.emit(depthwise ? "DepthwiseConv2dNative" : "Conv2D", n.name(), out, true,
        Map.of("strides", OnnxTranslator.ints(1, strides[0], strides[1], 1), "padding",
            OnnxTranslator.string(win.padding), "data_format", OnnxTranslator.string("NHWC")),
        win.ref, t.arg(hwio, kdims));
    return withBias(t, n, y, cout);
  }

  /** y plus the node's bias (input 2) per output channel, or y when the node has none. */
  static Activation withBias(OnnxTranslator t, Node n, Activation y, long cout) throws IOException {
    if (!t.hasInput(n, 2)) {
      return y;
    }
    float[] b = t.floats(n, 2);
    if (b.length != cout) {
      throw new UnsupportedModelException(t.where(n) + ": bias of " + b.length + " values for " + cout
          + " output channels");
    }
    return t.emit("BiasAdd", n.name() + "/bias", y.shape(), true, Map.of(), y.ref(), t.arg(b, cout));
  }

  static Activation pool(OnnxTranslator t, Node n) throws IOException {
    return pool(t, n, t.image(n, 0, true));
  }

  /** MaxPool or AveragePool {@code n} of {@code x} (an image: the node's input, or what stands for it). */
  static Activation pool(OnnxTranslator t, Node n, Activation x) throws IOException {
    long[] k = t.attrInts(n, "kernel_shape", null);
    long[] strides = t.attrInts(n, "strides", new long[] {1, 1});
    long[] dil = t.attrInts(n, "dilations", new long[] {1, 1});
    if (k == null || k.length != 2 || strides.length != 2 || Arrays.stream(dil).anyMatch(v -> v != 1)
        || t.attrI(n, "ceil_mode", 0) != 0) {
      throw new UnsupportedModelException(t.where(n) + ": kernel_shape " + Arrays.toString(k) + ", strides "
          + Arrays.toString(strides) + ", dilations " + Arrays.toString(dil) + ", ceil_mode "
          + t.attrI(n, "ceil_mode", 0) + "; jlip reads 2-D windows without dilation or ceil_mode");
    }
    boolean max = n.opType().equals("MaxPool");
    // A max pool's padding never wins (ONNX pads with -infinity, here the lowest float: every window holds an
    // input); an average that counts its padding (PyTorch's default) averages zeros.
    boolean includePad = t.attrI(n, "count_include_pad", 0) != 0;
    Float fill = max ? Float.valueOf(-Float.MAX_VALUE) : includePad ? Float.valueOf(0f) : null;
    Window win = window(t, n, x, (int) k[0], (int) k[1], strides, fill);
    if (!max && !includePad && win.padding.equals("VALID") && win.padded) {
      throw new UnsupportedModelException(t.where(n) + " leaves its padding out of the average only where"
          + " TensorFlow's SAME padding does; these pads are not SAME's");
    }
    boolean valid = win.padding.equals("VALID");
    if (k[0] < 1 || k[1] < 1 || strides[0] < 1 || strides[1] < 1
        || valid && (win.input[0] < k[0] || win.input[1] < k[1])) {
      throw new MalformedModelException(t.where(n) + ": a " + k[0] + " x " + k[1] + " window with strides "
          + Arrays.toString(strides) + " on an image of " + win.input[0] + " x " + win.input[1] + " leaves no output");
    }
    long[] out = {Step.outSize(win.input[0], (int) k[0], (int) strides[0], win.padding),
        Step.outSize(win.input[1], (int) k[1], (int) strides[1], win.padding), x.shape()[2]};
    return t.emit(max ? "MaxPool" : "AvgPool", n.name(), out, true, Map.of("ksize",
        OnnxTranslator.ints(1, k[0], k[1], 1), "strides", OnnxTranslator.ints(1, strides[0], strides[1], 1),
        "padding", OnnxTranslator.string(win.padding), "data_format", OnnxTranslator.string("NHWC")), win.ref);
  }

  /** Pad (mode constant) of an image's H and W axes; pads and value from the inputs (opset 11+) or attributes. */
  static Activation pad(OnnxTranslator t, Node n) throws IOException {
    Activation x = t.image(n, 0, true);
    long[] p = t.hasInput(n, 1) ? t.constant(n, 1).longs() : t.attrInts(n, "pads", null);
    String mode = t.attrS(n, "mode", "constant");
    boolean copies = !mode.equals("constant");
    float[] value = copies ? new float[] {0f} : t.hasInput(n, 2) ? t.floats(n, 2)
        : new float[] {t.attrF(n, "value", 0f)};
    if (p == null || p.length != 8 || value.length != 1 || !Float.isFinite(value[0])
        || t.hasInput(n, 3) || p[0] != 0 || p[1] != 0 || p[4] != 0 || p[5] != 0) {
      throw new UnsupportedModelException(t.where(n) + ": pads " + Arrays.toString(p) + " in mode " + mode + " with "
          + Arrays.toString(value) + "; jlip reads padding of H and W ([0, 0, top, left, 0, 0, bottom, right]) by"
          + " one finite constant or by copies (reflect, edge, wrap)");
    }
    return copies ? copyPadded(t, n, x, p, mode) : padded(t, n, x, p[2], p[6], p[3], p[7], value[0]);
  }

  /** Pad in mode reflect, edge or wrap: a GatherV2 of the border-copying indices along H, then W. */
  private static Activation copyPadded(OnnxTranslator t, Node n, Activation x, long[] p, String mode)
      throws IOException {
    Activation y = x;
    for (int axis = 0; axis < 2; axis++) {
      long before = p[2 + axis];
      long after = p[6 + axis];
      if (before == 0 && after == 0) {
        continue;
      }
      int[] src = CopyPadding.sources(Math.toIntExact(y.shape()[axis]), Math.toIntExact(Math.min(before, 1 << 21)),
          Math.toIntExact(Math.min(after, 1 << 21)), mode, t.where(n));
      long[] out = y.shape().clone();
      out[axis] = src.length;
      y = t.emit("GatherV2", n.name() + "/" + mode + (axis == 0 ? "_h" : "_w"), out, true, Map.of(), y.ref(),
          t.intArg(Arrays.stream(src).asLongStream().toArray()), t.intScalar(axis + 1));
    }
    return y;
  }

  private record Window(String ref, long[] input, String padding, boolean padded) {}

  /**
   * Where the window runs: "VALID" on the input, "SAME" when the pads are TensorFlow's (for an average pool only if
   * it leaves the padding out, {@code fill} null), or "VALID" on a copy padded with {@code fill}.
   */
  private static Window window(OnnxTranslator t, Node n, Activation x, int kh, int kw, long[] strides, Float fill)
      throws IOException {
    if (strides.length != 2 || strides[0] < 1 || strides[1] < 1) {
      throw new UnsupportedModelException(t.where(n) + ": strides " + Arrays.toString(strides));
    }
    long[] s = x.shape();
    String auto = t.attrS(n, "auto_pad", "NOTSET");
    long[] same = {samePad(s[0], kh, strides[0])[0], samePad(s[1], kw, strides[1])[0],
        samePad(s[0], kh, strides[0])[1], samePad(s[1], kw, strides[1])[1]};
    long[] pads = switch (auto) {
      case "NOTSET" -> t.attrInts(n, "pads", new long[4]);
      case "VALID" -> new long[4];
      case "SAME_UPPER" -> same;
      default -> throw new UnsupportedModelException(t.where(n) + ": auto_pad " + auto + " is not read");
    };
    if (pads.length != 4 || Arrays.stream(pads).anyMatch(v -> v < 0 || v > 1 << 16)) {
      throw new UnsupportedModelException(t.where(n) + ": pads " + Arrays.toString(pads) + "; expected four"
          + " non-negative numbers [top, left, bottom, right]");
    }
    if (Arrays.stream(pads).allMatch(v -> v == 0)) {
      return new Window(x.ref(), s, "VALID", false);
    }
    if (Arrays.equals(pads, same) && (fill == null || fill != 0f || n.opType().equals("Conv"))) {
      return new Window(x.ref(), s, "SAME", true);
    }
    if (fill == null) {
      return new Window(x.ref(), s, "VALID", true);
    }
    Activation p = padded(t, n, x, pads[0], pads[2], pads[1], pads[3], fill);
    return new Window(p.ref(), p.shape(), "VALID", true);
  }

  private static Activation padded(OnnxTranslator t, Node n, Activation x, long top, long bottom, long left,
      long right, float fill) throws IOException {
    long[] s = x.shape();
    long[] out = {s[0] + top + bottom, s[1] + left + right, s[2]};
    KerasResizeLayers.requireSize(t.where(n), out[0], out[1], s);
    if (fill != 0f) {
      return t.emit("PadV2", n.name() + "/pad", out, true, Map.of(), x.ref(), t.paddings(top, bottom, left, right),
          t.arg(new float[] {fill}));
    }
    return t.emit("Pad", n.name() + "/pad", out, true, Map.of(), x.ref(), t.paddings(top, bottom, left, right));
  }

  /** TensorFlow's SAME padding on one axis: [before, after], before = total / 2. */
  private static long[] samePad(long n, int k, long s) {
    long out = (n + s - 1) / s;
    long total = Math.max((out - 1) * s + k - n, 0);
    return new long[] {total / 2, total - total / 2};
  }
}
