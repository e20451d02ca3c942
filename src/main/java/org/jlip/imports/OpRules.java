package org.jlip.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jlip.imports.FunctionRebuilder.Act;
import org.jlip.imports.FunctionRebuilder.Const;
import org.jlip.imports.FunctionRebuilder.Resource;
import org.jlip.imports.FunctionRebuilder.Rows;
import org.jlip.imports.FunctionRebuilder.Val;
import org.jlip.layers.ScaledGlobalAveragePooling2DConfig;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;

/** What each supported op does to the walk's values: a step on the activation, or constant plumbing. */
final class OpRules {
  private OpRules() {}

  static List<Val> apply(FunctionRebuilder w, NodeDef n, List<Val> in, String where) throws IOException {
    String op = n.getOp();
    if (in.stream().anyMatch(v -> v instanceof Rows)) {
      return TensordotRows.apply(w, n, in, where);
    }
    switch (op) {
      case "Identity", "StopGradient", "Snapshot":
        return List.of(in.get(0));
      case "IdentityN":
        return in;
      case "NoOp":
        return List.of();
      case "Const":
        return List.of(constant(n, where));
      case "ReadVariableOp":
        if (!(in.get(0) instanceof Resource r)) {
          throw new UnsupportedModelException(where + ": reads something other than a captured variable");
        }
        return List.of(w.readVariable(r.variable()));
      case "StatefulPartitionedCall", "PartitionedCall":
        return w.call(n.getAttrOrThrow("f").getFunc().getName(), in);
      case "Shape":
        // Keras's channels_first Flatten takes the batch size from the activation before its transpose.
        if (!(in.get(0) instanceof Act a)) {
          throw new UnsupportedModelException(where + ": the shape of something other than the activation");
        }
        return List.of(ConstFolding.shapeOf(w.shapes.get(a.pos())));
      case "Squeeze", "ExpandDims":
        if (!(in.get(0) instanceof Act)) {
          return List.of(ConstFolding.fold(n, in, where));
        }
        break;
      case "Pack", "Rsqrt", "Sqrt", "Neg":
        return List.of(ConstFolding.fold(n, in, where));
      case "Cast":
        if (in.get(0) instanceof Act && n.getAttrOrThrow("SrcT").getType() == DataType.DT_FLOAT
            && n.getAttrOrThrow("DstT").getType() == DataType.DT_FLOAT) {
          return List.of(in.get(0));
        }
        return List.of(ConstFolding.fold(n, in, where));
      case "StridedSlice":
        if (!(in.get(0) instanceof Act)) {
          return List.of(ConstFolding.fold(n, in, where));
        }
        break;
      case "Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "GatherV2", "Prod", "ConcatV2":
        if (in.stream().allMatch(v -> v instanceof Const)) {
          return List.of(ConstFolding.fold(n, in, where));
        }
        break;
      case "Reshape":
        if (!(in.get(0) instanceof Act)) {
          return List.of(ConstFolding.fold(n, in, where));
        }
        break;
      default:
        break;
    }
    if (in.stream().filter(v -> v instanceof Act).count() > 1 && BranchMerge.KINDS.containsKey(op)) {
      return BranchMerge.merge(w, n, in, where);
    }
    int actIndex = activationIndex(w, in, where);
    String name = n.getName();
    Step.Elementwise elementwise = ElementwiseFunction.ofOp(op, name);
    if (elementwise != null) {
      return w.step(elementwise);
    }
    switch (op) {
      case "MatMul": {
        requireAct(actIndex, 0, where);
        Const k = constIn(in, 1, where, 2);
        if (flag(n, "transpose_a")) {
          throw new UnsupportedModelException(where + ": transpose_a is not supported");
        }
        int rows = (int) k.shape()[0];
        int cols = (int) k.shape()[1];
        float[] m = k.floats();
        if (flag(n, "transpose_b")) {
          m = transpose(m, rows, cols);
          int t = rows;
          rows = cols;
          cols = t;
        }
        return w.step(new Step.Linear(name, m, rows, cols, Double.POSITIVE_INFINITY, false));
      }
      case "Conv2D", "DepthwiseConv2dNative": {
        requireAct(actIndex, 0, where);
        boolean nchw = channelsFirst(n, w, where);
        Const k = constIn(in, 1, where, 4);
        long[] s = ints(n, "strides");
        if (nchw) {
          s = new long[] {s[0], s[2], s[3], s[1]};
        }
        if (s.length != 4 || s[0] != 1 || s[3] != 1) {
          throw new UnsupportedModelException(where + ": strides " + Arrays.toString(ints(n, "strides"))
              + " step over the batch or channel axis");
        }
        long[] d = n.containsAttr("dilations") ? ints(n, "dilations") : new long[] {1, 1, 1, 1};
        if (Arrays.stream(d).anyMatch(x -> x != 1)) {
          throw new UnsupportedModelException(where + ": dilations " + Arrays.toString(d) + " are not supported");
        }
        long[] ks = k.shape();
        float[] kernel = k.floats();
        long cout = ks[3];
        long channels = w.shape.length == 3 ? (nchw ? w.shape[0] : w.shape[2]) : -1;
        if (op.equals("Conv2D") && channels > ks[2] && channels % ks[2] == 0 && cout % (channels / ks[2]) == 0) {
          // A grouped convolution (Keras's Conv2D(groups=g)): the same map as its block-diagonal full kernel.
          kernel = DepthwiseKernels.grouped(kernel, (int) ks[0], (int) ks[1], (int) ks[2], (int) cout,
              (int) (channels / ks[2]));
          ks = new long[] {ks[0], ks[1], channels, cout};
        }
        if (op.equals("DepthwiseConv2dNative")) {
          // [kh, kw, C, multiplier]: one filter per input channel, run as the block-diagonal convolution.
          kernel = DepthwiseKernels.blockDiagonal(kernel, (int) ks[0], (int) ks[1], (int) ks[2], (int) ks[3]);
          cout = ks[2] * ks[3];
        }
        List<Val> out = inLayout(w, nchw, new Step.Conv(name, kernel, (int) ks[0], (int) ks[1], (int) ks[2],
            (int) cout, (int) s[1], (int) s[2], padding(n, where), Double.POSITIVE_INFINITY));
        if (nchw && op.equals("Conv2D")) {
          w.channelsFirstConv2d = ((Act) out.get(0)).id();
        }
        return out;
      }
      case "Conv2DBackpropInput": {
        // tf.nn.conv2d_transpose (Keras's Conv2DTranspose): inputs are the output size, the kernel, the activation.
        requireAct(actIndex, 2, where);
        boolean nchw = channelsFirst(n, w, where);
        long[] size = constIn(in, 0, where, 1).longs();
        Const k = constIn(in, 1, where, 4);
        long[] s = ints(n, "strides");
        long[] d = n.containsAttr("dilations") ? ints(n, "dilations") : new long[] {1, 1, 1, 1};
        if (nchw) {
          s = new long[] {s[0], s[2], s[3], s[1]};
          size = size == null || size.length != 4 ? size : new long[] {size[0], size[2], size[3], size[1]};
        }
        if (s.length != 4 || s[0] != 1 || s[3] != 1 || Arrays.stream(d).anyMatch(x -> x != 1)) {
          throw new UnsupportedModelException(where + ": strides " + Arrays.toString(ints(n, "strides"))
              + " and dilations " + Arrays.toString(d) + " (jlip reads spatial strides and dilation 1)");
        }
        long[] ks = k.shape();
        if (size == null || size.length != 4 || size[3] != ks[2] || k.floats() == null) {
          throw new UnsupportedModelException(where + ": output size " + Arrays.toString(size) + " for a kernel of"
              + " shape " + Arrays.toString(ks) + " (expected [batch, H, W, " + ks[2] + "] and a float kernel)");
        }
        KerasResizeLayers.requireSize(where, size[1], size[2], new long[] {size[1], size[2], ks[2]});
        return inLayout(w, nchw, new Step.ConvTranspose(name, k.floats(), (int) ks[0], (int) ks[1], (int) ks[2],
            (int) ks[3], (int) s[1], (int) s[2], padding(n, where), size[1], size[2], Double.POSITIVE_INFINITY));
      }
      case "BiasAdd", "Add", "AddV2": {
        Const b = constIn(in, 1 - actIndex, where, -1);
        boolean nchw = op.equals("BiasAdd")
            ? channelsFirst(n, w, where) || biasOfChannelsFirstConv2d(w, in.get(actIndex), b)
            : firstAxisChannels(b, w.shape);
        return inLayout(w, nchw, new Step.Bias(name, nchw ? b.floats() : perChannel(b, where)));
      }
      case "Transpose": {
        requireAct(actIndex, 0, where);
        long[] p = constIn(in, 1, where, 1).longs();
        if (p == null || p.length != w.shape.length + 1 || p[0] != 0) {
          throw new UnsupportedModelException(where + ": permutes the axes of " + Arrays.toString(w.shape)
              + " (after the batch axis) by " + Arrays.toString(p) + "; jlip reads only permutations that keep the"
              + " batch axis first");
        }
        int[] perm = new int[p.length - 1];
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) {
          perm[i] = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, p[i + 1] - 1));
          identity &= perm[i] == i;
        }
        Act a = (Act) in.get(actIndex);
        if (identity && a.pos() == w.steps.size()) {
          // TensorFlow's tensordot transposes by the identity when it contracts the last axis.
          return List.of(a);
        }
        return w.step(new Step.Transpose(name, perm));
      }
      case "Sub": {
        requireAct(actIndex, 0, where);
        Const k = constIn(in, 1, where, -1);
        boolean nchw = firstAxisChannels(k, w.shape);
        float[] b = (nchw ? k.floats() : perChannel(k, where)).clone();
        for (int i = 0; i < b.length; i++) {
          b[i] = -b[i];
        }
        return inLayout(w, nchw, new Step.Bias(name, b));
      }
      case "Mul": {
        Const k = constIn(in, 1 - actIndex, where, -1);
        return scale(w, name, perChannelOrFirstAxis(k, w.shape, where), firstAxisChannels(k, w.shape));
      }
      case "RealDiv": {
        // Keras's Normalization: (x - mean) / max(sqrt(variance), epsilon).
        requireAct(actIndex, 0, where);
        Const k = constIn(in, 1, where, -1);
        float[] r = perChannelOrFirstAxis(k, w.shape, where).clone();
        for (int i = 0; i < r.length; i++) {
          float d = r[i];
          r[i] = 1 / d;
          if (!Float.isFinite(r[i])) {
            throw new UnsupportedModelException(where + ": divides by " + d + ", not a finite scale");
          }
        }
        return scale(w, name, r, firstAxisChannels(k, w.shape));
      }
      case "StridedSlice":
        requireAct(actIndex, 0, where);
        return w.step(WindowOps.stridedSlice(n, w.shape, constIn(in, 1, where, 1), constIn(in, 2, where, 1),
            constIn(in, 3, where, 1), where));
      case "MirrorPad": {
        requireAct(actIndex, 0, where);
        List<Val> out = List.of(in.get(0));
        for (Step s : WindowOps.mirrorPad(n, w.shape, constIn(in, 1, where, 2), where)) {
          out = w.step(s);
        }
        return out;
      }
      case "GatherV2": {
        // Copies along an axis after the batch (ONNX's edge and wrap padding are read as these).
        requireAct(actIndex, 0, where);
        long[] axis = constIn(in, 2, where, 0).longs();
        long[] idx = constIn(in, 1, where, 1).longs();
        if (axis == null || axis.length != 1 || axis[0] < 1 || axis[0] > w.shape.length || idx == null
            || n.getAttrOrDefault("batch_dims", AttrValue.getDefaultInstance()).getI() != 0) {
          throw new UnsupportedModelException(where + ": gathers the activation along axis " + Arrays.toString(axis)
              + "; jlip reads a vector of indices along one axis after the batch axis");
        }
        int[] indices = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
          if (idx[i] < 0 || idx[i] >= w.shape[(int) axis[0] - 1]) {
            throw new UnsupportedModelException(where + ": index " + idx[i] + " out of " + w.shape[(int) axis[0] - 1]);
          }
          indices[i] = (int) idx[i];
        }
        return w.step(new Step.Gather(name, (int) axis[0] - 1, indices));
      }
      case "Pad", "PadV2":
        requireAct(actIndex, 0, where);
        return w.step(WindowOps.pad(n, w.shape, constIn(in, 1, where, 2),
            op.equals("PadV2") ? constIn(in, 2, where, -1) : null, where));
      case "ResizeBilinear", "ResizeNearestNeighbor": {
        requireAct(actIndex, 0, where);
        long[] size = constIn(in, 1, where, 1).longs();
        // Both default to false in the op's registration, and a node may leave defaults out.
        boolean align = n.getAttrOrDefault("align_corners", AttrValue.getDefaultInstance()).getB();
        boolean half = n.getAttrOrDefault("half_pixel_centers", AttrValue.getDefaultInstance()).getB();
        if (size == null || size.length != 2 || size[0] < 1 || size[1] < 1 || size[0] > 1 << 16 || size[1] > 1 << 16
            || w.shape.length != 3 || align && half) {
          throw new UnsupportedModelException(where + ": resizes an activation of shape " + Arrays.toString(w.shape)
              + " to " + Arrays.toString(size) + " (align_corners " + align + ", half_pixel_centers " + half
              + "); expected an [H, W, C] image, a size of two values in 1..65536 and at most one of the two flags");
        }
        KerasResizeLayers.requireSize(where, size[0], size[1], w.shape);
        return w.step(new Step.Resize(name, op.equals("ResizeNearestNeighbor"), (int) size[0], (int) size[1],
            align, half));
      }
      case "Tile": {
        requireAct(actIndex, 0, where);
        long[] m = constIn(in, 1, where, 1).longs();
        if (m == null || m.length != w.shape.length + 1 || m[0] != 1
            || Arrays.stream(m).anyMatch(k -> k < 1 || k > 1 << 16)) {
          throw new UnsupportedModelException(where + ": tiles an activation of shape " + Arrays.toString(w.shape)
              + " by " + Arrays.toString(m) + "; jlip reads one count in 1..65536 per axis, 1 on the batch axis");
        }
        long total = 1;
        for (int i = 0; i < w.shape.length; i++) {
          total = Math.multiplyExact(total, Math.multiplyExact(w.shape[i], m[i + 1]));
          if (total > TensorProtos.MAX_ELEMENTS) {
            throw new UnsupportedModelException(where + ": tiles an activation of shape " + Arrays.toString(w.shape)
                + " by " + Arrays.toString(m) + ", more than the " + TensorProtos.MAX_ELEMENTS + " values per sample"
                + " jlip accepts");
          }
        }
        return w.step(new Step.Tile(name, Arrays.copyOfRange(m, 1, m.length)));
      }
      case "Mean", "Max": {
        // Keras's GlobalAveragePooling2D (the mean over H and W, i.e. the scaled pooling with k = 1/sqrt(H*W))
        // and GlobalMaxPooling2D (the max over H and W); their 1-D twins over the steps of a sequence [T, C], read
        // on the [1, T, C] image.
        requireAct(actIndex, 0, where);
        long[] axes = constIn(in, 1, where, -1).longs();
        int rank = w.shape.length + 1;
        long[] over = axes == null ? null : Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
        // channels_first: the same over the last axes ([C, H, W] or [C, T]), read after moving C last.
        boolean imageNchw = w.shape.length == 3 && Arrays.equals(over, new long[] {2, 3});
        boolean sequenceNct = w.shape.length == 2 && Arrays.equals(over, new long[] {2});
        boolean image = imageNchw || w.shape.length == 3 && Arrays.equals(over, new long[] {1, 2});
        boolean sequence = sequenceNct || w.shape.length == 2 && Arrays.equals(over, new long[] {1});
        if (flag(n, "keep_dims") || !(image || sequence)) {
          throw new UnsupportedModelException(where + ": a " + op.toLowerCase(java.util.Locale.ROOT)
              + " other than over H and W of an image or over the steps of a sequence");
        }
        if (imageNchw || sequenceNct) {
          w.step(new Step.Transpose(name + "/channels_last", imageNchw ? new int[] {1, 2, 0} : new int[] {1, 0}));
        }
        if (sequence) {
          w.step(new Step.Reshape(name + "/as_image", new long[] {1, w.shape[0], w.shape[1]}));
        }
        if (op.equals("Max")) {
          return w.step(new Step.GlobalMax(name));
        }
        double k = 1 / Math.sqrt((double) w.shape[0] * w.shape[1]);
        return w.step(new Step.Layer(name, new ScaledGlobalAveragePooling2DConfig(k, null)));
      }
      case "LeakyRelu":
        return w.step(new Step.Elementwise(name, ElementwiseFunction.LEAKY_RELU,
            n.containsAttr("alpha") ? n.getAttrOrThrow("alpha").getF() : 0.2f));
      case "Minimum", "Maximum": {
        // Keras's ReLU(max_value) for a max_value other than 6: Relu, then a clip by scalar constants.
        float[] c = constIn(in, 1 - actIndex, where, -1).floats();
        if (c == null || c.length != 1) {
          throw new UnsupportedModelException(where + ": " + op + " with a non-scalar constant");
        }
        return w.step(new Step.Elementwise(name, op.equals("Minimum") ? ElementwiseFunction.MINIMUM
            : ElementwiseFunction.MAXIMUM, c[0]));
      }
      case "Greater":
        throw new UnsupportedModelException(where + ": a comparison (such as ReLU's threshold) outside the one"
            + " pattern jlip reads, Keras's ELU(alpha): SelectV2(Greater(x, 0), Elu(x), alpha * Elu(x))");
      case "MaxPool", "AvgPool": {
        requireNhwc(n, where);
        long[] k = ints(n, "ksize");
        long[] s = ints(n, "strides");
        if (k[0] != 1 || k[3] != 1 || s[0] != 1 || s[3] != 1) {
          throw new UnsupportedModelException(where + ": pooling over the batch or channel axis");
        }
        return w.step(new Step.Pool(name, op.equals("MaxPool"), (int) k[1], (int) k[2], (int) s[1], (int) s[2],
            padding(n, where)));
      }
      case "FusedBatchNorm", "FusedBatchNormV3": {
        requireAct(actIndex, 0, where);
        requireNhwc(n, where);
        if (flag(n, "is_training")) {
          throw new UnsupportedModelException(where + ": batch normalisation in training form");
        }
        float eps = n.containsAttr("epsilon") ? n.getAttrOrThrow("epsilon").getF() : 1e-4f;
        float[] gamma = constIn(in, 1, where, 1).floats();
        float[] beta = constIn(in, 2, where, 1).floats();
        float[] mean = constIn(in, 3, where, 1).floats();
        float[] var = constIn(in, 4, where, 1).floats();
        float[] scale = new float[gamma.length];
        float[] shift = new float[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
          scale[c] = (float) (gamma[c] / Math.sqrt(var[c] + eps));
          shift[c] = beta[c] - mean[c] * scale[c];
        }
        return w.step(new Step.Scale(name, scale, shift));
      }
      case "ExpandDims", "Squeeze":
        requireAct(actIndex, 0, where);
        return w.step(new Step.Reshape(name, op.equals("ExpandDims")
            ? expandDims(w.shape, constIn(in, 1, where, -1).longs(), where) : squeeze(n, w.shape, where)));
      case "Reshape": {
        requireAct(actIndex, 0, where);
        Const s = constIn(in, 1, where, 1);
        if (TensordotRows.mergesBatch(s.longs(), w.shape)) {
          return List.of(TensordotRows.rows(w, (Act) in.get(0), where));
        }
        long[] target = Arrays.copyOfRange(s.longs(), 1, s.longs().length);
        long known = Arrays.stream(target).filter(x -> x > 0).reduce(1, (a, b) -> a * b);
        long total = Arrays.stream(w.shape).reduce(1, (a, b) -> a * b);
        boolean inferred = Arrays.stream(target).anyMatch(x -> x == -1);
        if (known <= 0 || (inferred ? total % known != 0 : known != total)) {
          throw new UnsupportedModelException(where + ": reshapes the " + Arrays.toString(w.shape) + " values of each"
              + " sample to " + Arrays.toString(s.longs()) + " with the batch axis first, which moves values across the"
              + " batch axis; jlip certifies one sample at a time and reads only reshapes that keep it");
        }
        for (int i = 0; i < target.length; i++) {
          if (target[i] == -1) {
            target[i] = total / known;
          }
        }
        return w.step(new Step.Reshape(name, target));
      }
      case "Split", "ConcatV2", "Square", "Sum", "Min", "TopKV2":
        throw new UnsupportedModelException(where + ": outside the op patterns jlip reads for it: deel-lip's"
            + " GroupSort2 (Split, Minimum, Maximum, ConcatV2), GroupSort/FullSort (Neg, TopKV2, Neg), MaxMin (Relu,"
            + " Neg, Relu, ConcatV2), Householder (Split, Sin, Cos, SelectV2, ConcatV2) and L2 poolings (Square,"
            + " AvgPool or Sum, Sqrt)");
      case "Softmax":
        if (((Act) in.get(actIndex)).pos() != w.steps.size()) {
          throw new UnsupportedModelException(where + ": a softmax of an earlier activation");
        }
        w.softmax = true;
        return List.of(w.current(true));
      default:
        throw new UnsupportedModelException(where + ": no Lipschitz bound for this op");
    }
  }

  /**
   * The index of the one input that is the current activation.
   *
   * @throws UnsupportedModelException for a branch, an op after a softmax, or an op on constants only
   */
  private static int activationIndex(FunctionRebuilder w, List<Val> in, String where)
      throws UnsupportedModelException {
    int actIndex = -1;
    for (int i = 0; i < in.size(); i++) {
      if (in.get(i) instanceof Act a) {
        if (actIndex >= 0) {
          throw new UnsupportedModelException(where + ": combines two activations in a way jlip cannot bound; it"
              + " joins branches only by AddV2/Add, Sub, ConcatV2, Maximum and Minimum (and reads GELU, SiLU, Mish and hard SiLU"
              + " whole)");
        }
        actIndex = i;
        if (a.softmax()) {
          throw new UnsupportedModelException(where + ": follows a Softmax; a softmax can only be the last op");
        }
        if (!w.valid(a)) {
          throw new UnsupportedModelException(where + ": reads an activation inside branches that a merge has"
              + " already joined; jlip reads branches that meet only at their merge");
        }
        if (a.pos() != w.steps.size()) {
          // A second branch from a fork: a merge (Add, Sub, ConcatV2) must join it with the first.
          w.branchFrom(a);
        }
      }
    }
    if (actIndex < 0) {
      throw new UnsupportedModelException(where + ": computes on constants only; jlip does not fold constant"
          + " subgraphs");
    }
    return actIndex;
  }

  /** Refuses {@code x} unless it is the current activation. */
  static void requireCurrent(FunctionRebuilder w, Val x, String where) throws UnsupportedModelException {
    activationIndex(w, List.of(x), where);
  }

  /** {@code s} on {@code x}, which must be the current activation (a pattern of several ops matched whole). */
  static List<Val> step(FunctionRebuilder w, Step s, Val x, String where) throws UnsupportedModelException {
    activationIndex(w, List.of(x), where);
    return w.step(s);
  }

  /**
   * x times {@code values}: one per channel of an NCHW image ({@code nchw}, run between transposes), or a scalar or
   * one per channel of the last axis.
   */
  private static List<Val> scale(FunctionRebuilder w, String name, float[] values, boolean nchw)
      throws UnsupportedModelException {
    if (nchw) {
      return inLayout(w, true, new Step.Scale(name, values, new float[values.length]));
    }
    int channels = (int) w.shape[w.shape.length - 1];
    float[] scale = values.length == channels ? values : new float[channels];
    if (values.length != channels) {
      Arrays.fill(scale, values[0]);
    }
    return w.step(new Step.Scale(name, scale, new float[channels]));
  }

  private static float[] perChannelOrFirstAxis(Const k, long[] shape, String where)
      throws UnsupportedModelException {
    return firstAxisChannels(k, shape) ? k.floats() : perChannel(k, where);
  }

  /** The values of a scalar or per-channel constant ([C] or [1, ..., 1, C]). */
  private static float[] perChannel(Const c, String where) throws UnsupportedModelException {
    long[] s = c.shape();
    if (c.floats() == null || s.length > 1 && Arrays.stream(s).limit(s.length - 1).anyMatch(x -> x != 1)) {
      throw new UnsupportedModelException(where + ": combines the activation with a constant of shape "
          + Arrays.toString(s) + "; only a scalar or per-channel constant is supported");
    }
    return c.floats();
  }

  private static void requireAct(int actual, int expected, String where) throws UnsupportedModelException {
    if (actual != expected) {
      throw new UnsupportedModelException(where + ": the activation is input " + actual + ", expected " + expected);
    }
  }

  /**
   * Whether a convolution or bias reads NCHW (Keras 3's channels_first convolutions): then its step runs between
   * two transposes, from [C, H, W] to [H, W, C] and back.
   */
  private static boolean channelsFirst(NodeDef n, FunctionRebuilder w, String where)
      throws UnsupportedModelException {
    String f = n.containsAttr("data_format") ? n.getAttrOrThrow("data_format").getS().toStringUtf8() : "NHWC";
    if (f.equals("NCHW") && w.shape.length == 3) {
      return true;
    }
    if (!f.equals("NHWC")) {
      throw new UnsupportedModelException(where + ": data_format " + f + " on an input of shape "
          + Arrays.toString(w.shape) + " (NHWC, or NCHW on an image)");
    }
    return false;
  }

  /**
   * Whether an NHWC BiasAdd on the output of an NCHW Conv2D adds per channel. Keras 3 writes a channels_first
   * convolution's bias so when the filters equal the output's width (its TensorFlow add picks NHWC from the last
   * axis). TensorFlow's graph optimiser, on by default in Python, TF Serving and TensorFlow Java, fuses such a bias
   * into the Conv2D and adds it per channel, as the layer means; after a depthwise or transposed convolution,
   * which it does not fuse, the bias is added along the width as written (both measured with TensorFlow 2.21).
   * The probe check against the signature has the last word.
   */
  private static boolean biasOfChannelsFirstConv2d(FunctionRebuilder w, Val x, Const b) {
    return x instanceof Act a && a.id() == w.channelsFirstConv2d && w.shape.length == 3 && b.floats() != null
        && b.floats().length == w.shape[0];
  }

  /**
   * Whether constant {@code c} holds one value per channel of an NCHW image activation {@code shape} ([C, H, W]):
   * shape [C, 1, 1] or [1, C, 1, 1], C > 1 (a channels_first bias or scale added by broadcasting).
   */
  private static boolean firstAxisChannels(Const c, long[] shape) {
    long[] s = c.shape();
    long[] t = s.length == 4 && s[0] == 1 ? Arrays.copyOfRange(s, 1, 4) : s;
    return shape.length == 3 && c.floats() != null && shape[0] > 1 && t.length == 3 && t[0] == shape[0]
        && t[1] == 1 && t[2] == 1;
  }

  /** The step, or in NCHW the step between the transposes to NHWC and back. */
  private static List<Val> inLayout(FunctionRebuilder w, boolean nchw, Step s) throws UnsupportedModelException {
    if (!nchw) {
      return w.step(s);
    }
    w.step(new Step.Transpose(s.name() + "/to_nhwc", new int[] {1, 2, 0}));
    w.step(s);
    return w.step(new Step.Transpose(s.name() + "/to_nchw", new int[] {2, 0, 1}));
  }

  private static void requireNhwc(NodeDef n, String where) throws UnsupportedModelException {
    if (n.containsAttr("data_format") && !n.getAttrOrThrow("data_format").getS().toStringUtf8().equals("NHWC")) {
      throw new UnsupportedModelException(where + ": data_format "
          + n.getAttrOrThrow("data_format").getS().toStringUtf8() + " (only NHWC)");
    }
  }

  private static String padding(NodeDef n, String where) throws UnsupportedModelException {
    String p = n.getAttrOrThrow("padding").getS().toStringUtf8();
    if (!p.equals("SAME") && !p.equals("VALID")) {
      throw new UnsupportedModelException(where + ": padding " + p + " (only SAME or VALID)");
    }
    return p.toLowerCase(java.util.Locale.ROOT);
  }

  static boolean flag(NodeDef n, String attr) {
    return n.containsAttr(attr) && n.getAttrOrThrow(attr).getB();
  }

  private static long[] ints(NodeDef n, String attr) {
    AttrValue a = n.getAttrOrThrow(attr);
    return a.getList().getIList().stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The per-sample shape after ExpandDims at {@code axis} (of the batched tensor; Keras's Conv1D and 1-D poolings
   * insert the image height at 1): an exact reshape, refused before the batch axis.
   */
  private static long[] expandDims(long[] shape, long[] axis, String where) throws UnsupportedModelException {
    int rank = shape.length + 1;
    long a = axis == null || axis.length != 1 ? -rank - 2 : axis[0] < 0 ? axis[0] + rank + 1 : axis[0];
    if (a < 1 || a > rank) {
      throw new UnsupportedModelException(where + ": ExpandDims at axis " + Arrays.toString(axis) + " of a rank "
          + rank + " activation; jlip reads new axes after the batch axis only");
    }
    long[] out = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      out[i] = i == a - 1 ? 1 : shape[j++];
    }
    return out;
  }

  /** The per-sample shape after Squeeze of its listed axes, each of size 1 and none the batch axis. */
  private static long[] squeeze(NodeDef n, long[] shape, String where) throws UnsupportedModelException {
    List<Long> dims = n.containsAttr("squeeze_dims") ? n.getAttrOrThrow("squeeze_dims").getList().getIList()
        : List.of();
    int rank = shape.length + 1;
    boolean[] drop = new boolean[shape.length];
    for (long d : dims) {
      long a = d < 0 ? d + rank : d;
      if (a < 1 || a >= rank || shape[(int) a - 1] != 1) {
        throw new UnsupportedModelException(where + ": Squeeze of axis " + d + " of an activation of shape "
            + Arrays.toString(shape) + " per sample; jlip reads squeezes of size-1 axes after the batch axis");
      }
      drop[(int) a - 1] = true;
    }
    if (dims.isEmpty()) {
      // Without axes, a batch of one sample would lose its batch axis too.
      throw new UnsupportedModelException(where + ": Squeeze without squeeze_dims on the activation");
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      if (!drop[i]) {
        out.add(shape[i]);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static Const constIn(List<Val> in, int i, String where, int rank) throws UnsupportedModelException {
    if (i < 0 || i >= in.size() || !(in.get(i) instanceof Const c)) {
      throw new UnsupportedModelException(where + ": input " + i + " must be a weight or constant");
    }
    if (rank >= 0 && c.shape().length != rank) {
      throw new UnsupportedModelException(where + ": input " + i + " has shape " + Arrays.toString(c.shape())
          + ", expected rank " + rank);
    }
    return c;
  }

  private static Const constant(NodeDef n, String where) throws UnsupportedModelException {
    var t = n.getAttrOrThrow("value").getTensor();
    long[] shape = TensorProtos.shape(t.getTensorShape());
    try {
      return switch (t.getDtype()) {
        case DT_FLOAT -> new Const(TensorProtos.floats(t), null, shape);
        case DT_INT32, DT_INT64 -> new Const(null, TensorProtos.longs(t), shape);
        default -> new Const(null, null, shape);
      };
    } catch (IllegalArgumentException e) {
      throw new UnsupportedModelException(where + ": " + e.getMessage());
    }
  }

  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = m[i * cols + j];
      }
    }
    return t;
  }
}
