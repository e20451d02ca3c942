package org.jlip.imports;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jlip.imports.FunctionRebuilder.Const;
import org.jlip.imports.OnnxFile.Attribute;
import org.jlip.imports.OnnxFile.Node;
import org.jlip.imports.OnnxFile.Tensor;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * An ONNX graph rewritten as the TensorFlow function jlip's SavedModel walk already reads ({@link FunctionRebuilder}),
 * so both formats share one set of op rules, patterns and bounds. ONNX images are NCHW; here every image is held
 * NHWC, as jlip takes them: kernels are transposed once (OIHW to HWIO), channel axes remapped, and a Flatten or
 * Reshape of an image first transposes it back to NCHW so values keep ONNX's order. Weights become constant
 * arguments of the function. Shape arithmetic (Shape, Gather, Unsqueeze, Concat on constants) is evaluated here.
 */
final class OnnxTranslator {
  static final String FUNCTION = "onnx_graph";

  /** A value of the ONNX graph: an activation (a reference into the function, its shape per sample) or a constant. */
  interface Value {}

  /** {@code image}: an ONNX NCHW tensor, held NHWC with {@code shape} [H, W, C]. */
  record Activation(String ref, long[] shape, boolean image) implements Value {}

  /** Integer constants may hold -1 for the batch size where they came from an activation's Shape. */
  record Constant(long[] dims, float[] floats, long[] longs) implements Value {}

  private final Path file;
  private final FunctionDef.Builder function = FunctionDef.newBuilder();
  private final List<Const> args = new ArrayList<>();
  private final Map<String, Value> values = new HashMap<>();
  private final java.util.Set<String> names = new java.util.HashSet<>(List.of("x"));
  private int counter;
  private String finalActivation;
  private boolean nhwcInput;

  /** The function, its arguments after the input (the constants), and what it does with images. */
  record Result(FunctionDef function, List<Const> constants, long[] inputShape, String finalActivation) {}

  private OnnxTranslator(Path file) {
    this.file = file;
  }

  static Result translate(Path file, OnnxFile.Model model) throws IOException {
    return new OnnxTranslator(file).run(model);
  }

  private Result run(OnnxFile.Model model) throws IOException {
    OnnxFile.Graph g = model.graph();
    function.getSignatureBuilder().setName(FUNCTION);
    for (Tensor t : g.initializers()) {
      values.put(t.name(), new Constant(t.dims(), t.floats(), t.longs()));
    }
    List<OnnxFile.ValueInfo> inputs = g.inputs().stream().filter(i -> !values.containsKey(i.name())).toList();
    if (inputs.size() != 1 || g.outputs().size() != 1) {
      throw new UnsupportedModelException(file + " has inputs " + inputs.stream().map(OnnxFile.ValueInfo::name)
          .toList() + " and outputs " + g.outputs().stream().map(OnnxFile.ValueInfo::name).toList() + "; jlip"
          + " certifies classifiers with one input and one output of logits");
    }
    OnnxFile.ValueInfo in = inputs.get(0);
    long[] d = in.dims();
    if (in.elemType() != OnnxFile.FLOAT || d.length < 2 || d.length > 4
        || Arrays.stream(d).skip(1).anyMatch(x -> x < 1)) {
      throw new UnsupportedModelException(file + ": input '" + in.name() + "' has element type " + in.elemType()
          + " and dims " + Arrays.toString(d) + "; jlip reads float32 inputs [batch, features], [batch, H, W] or"
          + " [batch, C, H, W] with known sizes after the batch axis");
    }
    // ONNX images are NCHW, but a model converted from TensorFlow (tf2onnx) takes NHWC images and transposes them
    // first: when every reader of the input is that transpose, the input is an NHWC image already.
    nhwcInput = d.length == 4 && g.nodes().stream().filter(n -> n.inputs().contains(in.name()))
        .allMatch(n -> n.opType().equals("Transpose") && Arrays.equals(attrInts(n, "perm", null),
            new long[] {0, 3, 1, 2}));
    long[] shape = d.length != 4 ? Arrays.copyOfRange(d, 1, d.length)
        : nhwcInput ? new long[] {d[1], d[2], d[3]} : new long[] {d[2], d[3], d[1]};
    function.getSignatureBuilder().addInputArg(OpDef.ArgDef.newBuilder().setName("x").setType(DataType.DT_FLOAT));
    values.put(in.name(), new Activation("x", shape, d.length == 4 && !nhwcInput));
    for (Node n : g.nodes()) {
      if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
        throw new UnsupportedModelException(where(n) + " is in domain '" + n.domain() + "'; jlip reads standard"
            + " ONNX ops only");
      }
      List<Value> outs = node(n);
      if (outs.size() != n.outputs().size() && !(outs.size() == 1 && n.opType().equals("Dropout"))) {
        throw new UnsupportedModelException(where(n) + " has " + n.outputs().size() + " outputs; jlip reads one");
      }
      for (int i = 0; i < outs.size(); i++) {
        values.put(n.outputs().get(i), outs.get(i));
      }
    }
    Value out = values.get(g.outputs().get(0).name());
    if (!(out instanceof Activation a)) {
      throw new UnsupportedModelException(file + ": output '" + g.outputs().get(0).name() + "' "
          + (out == null ? "is not computed by any node" : "does not depend on the input"));
    }
    function.getSignatureBuilder().addOutputArg(OpDef.ArgDef.newBuilder().setName("y").setType(DataType.DT_FLOAT));
    function.putRet("y", a.ref());
    return new Result(function.build(), args, shape, finalActivation);
  }

  private List<Value> node(Node n) throws IOException {
    String op = n.opType();
    return switch (op) {
      case "Identity", "Dropout" -> List.of(input(n, 0));
      case "Constant" -> List.of(constantNode(n));
      case "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast", "Mul", "Add", "Sub", "Div" -> {
        if (op.equals("Shape") && input(n, 0) instanceof OnnxGroupSort.Rows r) {
          yield List.of(OnnxGroupSort.shape(r));
        }
        if (op.equals("Concat") && input(n, 0) instanceof OnnxGroupSort.Extreme) {
          yield List.of(OnnxGroupSort.concat(this, n, inputs(n)));
        }
        if (n.inputs().stream().filter(s -> !s.isEmpty()).allMatch(s -> values.get(s) instanceof Constant)
            || op.equals("Shape")) {
          yield List.of(OnnxConstants.fold(where(n), n, inputs(n), this));
        }
        yield List.of(switch (op) {
          case "Concat" -> concat(n);
          case "Add", "Sub" -> addOrSub(n);
          case "Mul", "Div" -> scale(n);
          default -> throw new UnsupportedModelException(where(n) + " on an activation: jlip reads it on constants");
        });
      }
      case "Conv" -> List.of(OnnxConv.conv(this, n));
      case "MaxPool", "AveragePool" -> List.of(OnnxConv.pool(this, n));
      case "GlobalAveragePool", "GlobalMaxPool" -> List.of(globalPool(n));
      case "BatchNormalization" -> List.of(batchNorm(n));
      case "Gemm" -> List.of(gemm(n));
      case "MatMul" -> List.of(matMul(n, image(n, 0, false), constant(n, 1)));
      case "Flatten" -> List.of(flatten(n));
      case "Reshape" -> List.of(reshape(n));
      case "Transpose" -> List.of(transpose(n));
      case "Split" -> input(n, 0) instanceof OnnxGroupSort.Rows r ? OnnxGroupSort.split(this, n, r)
          : refuse(n, "a split of an activation outside deel-torchlip's GroupSort2");
      case "Slice" -> List.of(slice(n));
      case "Min", "Max" -> List.of(OnnxGroupSort.extreme(this, n, input(n, 0), input(n, 1)));
      case "TopK" -> topK(n);
      case "Neg" -> List.of(emit("Neg", n.name(), image(n, 0, false).shape(), image(n, 0, false).image(), Map.of(),
          image(n, 0, false).ref()));
      case "Relu", "Sigmoid", "Tanh", "Softplus", "Softsign", "Selu", "Elu", "LeakyRelu", "Clip" ->
          List.of(OnnxActivations.of(this, n));
      case "Softmax", "LogSoftmax" -> List.of(softmax(n));
      case "Pad" -> List.of(OnnxConv.pad(this, n));
      default -> throw new UnsupportedModelException(where(n) + ": op " + op + " is not read (jlip reads Conv,"
          + " an NHWC input's Transpose,"
          + " Gemm, MatMul, Add, Sub, Mul and Div by constants, BatchNormalization, MaxPool, AveragePool,"
          + " GlobalAveragePool, GlobalMaxPool, Flatten, Reshape, Concat, Pad, Relu, LeakyRelu, Elu, Selu, Sigmoid,"
          + " Tanh, Softplus, Softsign, Clip, Softmax, LogSoftmax, Dropout, Identity, deel-torchlip's GroupSort,"
          + " FullSort and MaxMin patterns, and shape arithmetic)");
    };
  }

  // ---- values ----

  String where(Node n) {
    return file + ": node '" + (n.name().isEmpty() ? String.join(",", n.outputs()) : n.name()) + "' (" + n.opType()
        + ")";
  }

  private List<Value> inputs(Node n) throws IOException {
    List<Value> in = new ArrayList<>();
    for (int i = 0; i < n.inputs().size(); i++) {
      in.add(n.inputs().get(i).isEmpty() ? null : input(n, i));
    }
    return in;
  }

  Value input(Node n, int i) throws IOException {
    if (i >= n.inputs().size() || n.inputs().get(i).isEmpty()) {
      throw new UnsupportedModelException(where(n) + " lacks input " + i);
    }
    Value v = values.get(n.inputs().get(i));
    if (v instanceof OnnxGroupSort.Unread u) {
      throw new UnsupportedModelException(u.why() + " (read by " + where(n) + ")");
    }
    if (v == null) {
      throw new MalformedModelException(where(n) + " reads '" + n.inputs().get(i) + "', which no earlier node computes");
    }
    return v;
  }

  boolean hasInput(Node n, int i) {
    return i < n.inputs().size() && !n.inputs().get(i).isEmpty();
  }

  /** Input {@code i} as an activation; {@code image}: it must be an image (NCHW in ONNX). */
  Activation image(Node n, int i, boolean image) throws IOException {
    if (!(input(n, i) instanceof Activation a)) {
      throw new UnsupportedModelException(where(n) + ": input " + i + " is a constant where jlip needs the"
          + " activation");
    }
    if (image && !a.image()) {
      throw new UnsupportedModelException(where(n) + " needs an image [N, C, H, W], got a tensor of shape [N, "
          + join(a.shape()) + "]");
    }
    return a;
  }

  Constant constant(Node n, int i) throws IOException {
    if (!(input(n, i) instanceof Constant c)) {
      throw new UnsupportedModelException(where(n) + ": input " + i + " must be a weight or constant");
    }
    return c;
  }

  float[] floats(Node n, int i) throws IOException {
    Constant c = constant(n, i);
    if (c.floats() == null) {
      throw new UnsupportedModelException(where(n) + ": input " + i + " must be float32");
    }
    return c.floats();
  }

  // ---- emitting TensorFlow nodes ----

  /** A constant argument of the function; returns its reference. */
  String arg(float[] values, long... shape) {
    return arg(new Const(values, null, shape));
  }

  /**
   * An integer vector as a Const node (not an argument): deel-lip's op patterns, which the walk also reads here, look
   * for axes and shapes in Const nodes.
   */
  String intArg(long... values) {
    return intConst(new long[] {values.length}, values);
  }

  /** A scalar integer Const node (an axis). */
  String intScalar(long value) {
    return intConst(new long[0], value);
  }

  /** TensorFlow's paddings for an image: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
  String paddings(long top, long bottom, long left, long right) {
    return intConst(new long[] {4, 2}, 0, 0, top, bottom, left, right, 0, 0);
  }

  private String intConst(long[] shape, long... values) {
    TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
    Arrays.stream(shape).forEach(d -> dims.addDim(TensorShapeProto.Dim.newBuilder().setSize(d)));
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT64).setTensorShape(dims);
    Arrays.stream(values).forEach(t::addInt64Val);
    return emitNode("Const", "const", Map.of("value", AttrValue.newBuilder().setTensor(t).build(), "dtype",
        AttrValue.newBuilder().setType(DataType.DT_INT64).build())) + ":output:0";
  }

  private String arg(Const c) {
    // "$" is outside the node names' characters, so a node cannot shadow an argument.
    String name = "$c" + args.size();
    function.getSignatureBuilder().addInputArg(OpDef.ArgDef.newBuilder().setName(name)
        .setType(c.floats() != null ? DataType.DT_FLOAT : DataType.DT_INT64));
    args.add(c);
    return name;
  }

  /** Adds a node and returns the activation it computes. */
  Activation emit(String op, String label, long[] shape, boolean image, Map<String, AttrValue> attrs, String... inputs) {
    return new Activation(emitNode(op, label, attrs, inputs) + ":output:0", shape, image);
  }

  /** Adds a node under a unique name made from {@code label}; returns the name. */
  String emitNode(String op, String label, Map<String, AttrValue> attrs, String... inputs) {
    String base = label.isEmpty() ? op : label.replaceAll("[^A-Za-z0-9_./-]", "_");
    String name = base;
    while (!names.add(name)) {
      name = base + "_" + ++counter;
    }
    NodeDef.Builder b = NodeDef.newBuilder().setName(name).setOp(op).addAllInput(Arrays.asList(inputs));
    attrs.forEach(b::putAttr);
    function.addNodeDef(b);
    return name;
  }

  static AttrValue ints(long... v) {
    AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
    Arrays.stream(v).forEach(l::addI);
    return AttrValue.newBuilder().setList(l).build();
  }

  static AttrValue string(String s) {
    return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
  }

  static AttrValue flag(boolean b) {
    return AttrValue.newBuilder().setB(b).build();
  }

  static AttrValue real(float f) {
    return AttrValue.newBuilder().setF(f).build();
  }

  static String join(long[] v) {
    return String.join(", ", Arrays.stream(v).mapToObj(Long::toString).toList());
  }

  /** An image back in ONNX's NCHW order (a transpose, exact), for ops whose result depends on the value order. */
  Activation toNchw(Activation a, String label) {
    long[] s = a.shape();
    return emit("Transpose", label + "/to_nchw", new long[] {s[2], s[0], s[1]}, false, Map.of(), a.ref(),
        intArg(0, 3, 1, 2));
  }

  // ---- ops ----

  private Value constantNode(Node n) throws IOException {
    Attribute v = n.attributes().get("value");
    if (v != null && v.t() != null) {
      return new Constant(v.t().dims(), v.t().floats(), v.t().longs());
    }
    for (String k : List.of("value_float", "value_int", "value_floats", "value_ints")) {
      Attribute a = n.attributes().get(k);
      if (a != null) {
        return switch (k) {
          case "value_float" -> new Constant(new long[0], new float[] {a.f()}, null);
          case "value_int" -> new Constant(new long[0], null, new long[] {a.i()});
          case "value_floats" -> new Constant(new long[] {a.floats().length}, a.floats(), null);
          default -> new Constant(new long[] {a.ints().length}, null, a.ints());
        };
      }
    }
    throw new UnsupportedModelException(where(n) + " holds no float or integer value");
  }

  private Value gemm(Node n) throws IOException {
    Attribute ta = n.attributes().get("transA");
    if (ta != null && ta.i() != 0) {
      throw new UnsupportedModelException(where(n) + " transposes its input (transA)");
    }
    Constant b = constant(n, 1);
    float alpha = attrF(n, "alpha", 1);
    float beta = attrF(n, "beta", 1);
    Attribute tb = n.attributes().get("transB");
    float[] w = b.floats();
    long[] dims = b.dims();
    if (w == null || dims.length != 2) {
      throw new UnsupportedModelException(where(n) + ": weight of dims " + Arrays.toString(dims) + "; expected a"
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
    Value y = matMul(n, image(n, 0, false), new Constant(dims, w, null));
    if (!hasInput(n, 2)) {
      return y;
    }
    float[] c = floats(n, 2);
    float[] bias = new float[(int) dims[1]];
    if (c.length != 1 && c.length != bias.length) {
      throw new UnsupportedModelException(where(n) + ": bias of " + c.length + " values for " + bias.length
          + " outputs");
    }
    for (int i = 0; i < bias.length; i++) {
      bias[i] = beta * c[c.length == 1 ? 0 : i];
    }
    return emit("BiasAdd", n.name() + "/bias", ((Activation) y).shape(), false, Map.of(), ((Activation) y).ref(), arg(bias, bias.length));
  }

  private Value matMul(Node n, Activation x, Constant w) throws IOException {
    long[] d = w.dims();
    if (w.floats() == null || d.length != 2 || x.image() || x.shape().length != 1 || x.shape()[0] != d[0]) {
      throw new UnsupportedModelException(where(n) + ": multiplies a tensor of shape [N, " + join(x.shape())
          + "] by a weight of dims " + Arrays.toString(d) + "; jlip reads a [features, outputs] float32 matrix"
          + " on a vector");
    }
    return emit("MatMul", n.name(), new long[] {d[1]}, false, Map.of(), x.ref(), arg(w.floats(), d));
  }

  private Value addOrSub(Node n) throws IOException {
    Value a = input(n, 0);
    Value b = input(n, 1);
    if (a instanceof Activation x && b instanceof Activation y) {
      if (!Arrays.equals(x.shape(), y.shape())) {
        throw new UnsupportedModelException(where(n) + " of shapes " + Arrays.toString(x.shape()) + " and "
            + Arrays.toString(y.shape()) + " (broadcasting between activations is not read)");
      }
      return emit(n.opType().equals("Add") ? "AddV2" : "Sub", n.name(), x.shape(), x.image(), Map.of(), x.ref(),
          y.ref());
    }
    if (n.opType().equals("Sub") && a instanceof Constant) {
      throw new UnsupportedModelException(where(n) + " subtracts the activation from a constant");
    }
    Activation x = (Activation) (a instanceof Activation ? a : b);
    float[] c = perChannel(n, a instanceof Activation ? 1 : 0, x);
    if (n.opType().equals("Sub")) {
      for (int i = 0; i < c.length; i++) {
        c[i] = -c[i];
      }
    }
    return emit("BiasAdd", n.name(), x.shape(), x.image(), Map.of(), x.ref(), arg(c, c.length));
  }

  private Value scale(Node n) throws IOException {
    boolean first = input(n, 0) instanceof Activation;
    if (n.opType().equals("Div") && !first) {
      throw new UnsupportedModelException(where(n) + " divides a constant by the activation");
    }
    Activation x = (Activation) input(n, first ? 0 : 1);
    float[] c = perChannel(n, first ? 1 : 0, x);
    if (n.opType().equals("Div")) {
      for (int i = 0; i < c.length; i++) {
        c[i] = 1 / c[i];
      }
    }
    return emit("Mul", n.name(), x.shape(), x.image(), Map.of(), x.ref(), arg(c, c.length));
  }

  /**
   * A constant that broadcasts along the channel axis: one value, or one per channel (shape [C], [1, C], [C, 1, 1]
   * or [1, C, 1, 1] for an image), as a per-channel vector of the NHWC activation.
   */
  private float[] perChannel(Node n, int i, Activation x) throws IOException {
    float[] c = floats(n, i);
    long[] d = constant(n, i).dims();
    long channels = x.shape()[x.shape().length - 1];
    long nonUnit = Arrays.stream(d).filter(v -> v != 1).count();
    boolean ok = c.length == 1 || c.length == channels && nonUnit == 1
        && (x.image() ? d.length >= 3 && d[d.length - 3] == channels : d[d.length - 1] == channels);
    if (!ok) {
      throw new UnsupportedModelException(where(n) + ": a constant of dims " + Arrays.toString(d) + " on an"
          + " activation of " + channels + " channels; jlip reads one value or one per channel");
    }
    float[] out = new float[(int) channels];
    for (int k = 0; k < out.length; k++) {
      out[k] = c[c.length == 1 ? 0 : k];
    }
    return out;
  }

  private Value concat(Node n) throws IOException {
    List<Activation> parts = new ArrayList<>();
    for (int i = 0; i < n.inputs().size(); i++) {
      parts.add(image(n, i, false));
    }
    Activation first = parts.get(0);
    int rank = first.shape().length + 1;
    long axis = attrI(n, "axis", 1);
    axis = axis < 0 ? axis + rank : axis;
    if (axis < 1 || axis >= rank) {
      throw new UnsupportedModelException(where(n) + " on axis " + attrI(n, "axis", 1) + " of a rank " + rank
          + " tensor; jlip reads concatenations after the batch axis");
    }
    int held = first.image() ? new int[] {0, 3, 1, 2}[(int) axis] : (int) axis;
    long[] shape = first.shape().clone();
    shape[held - 1] = 0;
    String[] refs = new String[parts.size() + 1];
    for (int i = 0; i < parts.size(); i++) {
      shape[held - 1] += parts.get(i).shape()[held - 1];
      refs[i] = parts.get(i).ref();
    }
    refs[parts.size()] = intScalar(held);
    return emit("ConcatV2", n.name(), shape, first.image(), Map.of("N", AttrValue.newBuilder().setI(parts.size())
        .build()), refs);
  }

  private Value globalPool(Node n) throws IOException {
    Activation x = image(n, 0, true);
    long c = x.shape()[2];
    Value pooled = emit(n.opType().equals("GlobalMaxPool") ? "Max" : "Mean", n.name(), new long[] {c}, false,
        Map.of(), x.ref(), intArg(1, 2));
    // ONNX keeps [N, C, 1, 1]: the same values, held as a 1x1 image.
    Value row = emit("ExpandDims", n.name() + "/h", new long[] {1, c}, false, Map.of(), ((Activation) pooled).ref(), intArg(1));
    return emit("ExpandDims", n.name() + "/w", new long[] {1, 1, c}, true, Map.of(), ((Activation) row).ref(), intArg(1));
  }

  private Value batchNorm(Node n) throws IOException {
    Activation x = image(n, 0, false);
    long c = x.shape()[x.shape().length - 1];
    String[] refs = new String[5];
    refs[0] = x.ref();
    for (int i = 1; i <= 4; i++) {
      float[] v = floats(n, i);
      if (v.length != c) {
        throw new UnsupportedModelException(where(n) + ": input " + i + " has " + v.length + " values for " + c
            + " channels");
      }
      refs[i] = arg(v, c);
    }
    if (n.attributes().containsKey("training_mode") && n.attributes().get("training_mode").i() != 0) {
      throw new UnsupportedModelException(where(n) + " is in training mode");
    }
    return emit("FusedBatchNormV3", n.name(), x.shape(), x.image(), Map.of("epsilon", real(attrF(n, "epsilon",
        1e-5f)), "is_training", flag(false)), refs);
  }

  private Value flatten(Node n) throws IOException {
    Activation x = image(n, 0, false);
    if (attrI(n, "axis", 1) != 1) {
      throw new UnsupportedModelException(where(n) + " at axis " + attrI(n, "axis", 1) + "; jlip reads axis 1");
    }
    return flat(n.name(), x, new long[] {Arrays.stream(x.shape()).reduce(1, (p, q) -> p * q)});
  }

  /** The activation's values in ONNX's order reshaped to {@code target} (per sample), held NHWC again if 3-D. */
  private Activation flat(String label, Activation x, long[] target) {
    Activation v = x.image() ? toNchw(x, label) : x;
    boolean image = target.length == 3;
    long[] held = image ? new long[] {target[1], target[2], target[0]} : target;
    long[] full = new long[target.length + 1];
    full[0] = -1;
    System.arraycopy(target, 0, full, 1, target.length);
    Activation r = emit("Reshape", label, image ? target : held, false, Map.of(), v.ref(), intArg(full));
    return image ? emit("Transpose", label + "/to_nhwc", held, true, Map.of(), r.ref(), intArg(0, 2, 3, 1)) : r;
  }

  private Value reshape(Node n) throws IOException {
    if (input(n, 0) instanceof OnnxGroupSort.Sorted sorted) {
      return OnnxGroupSort.back(this, n, sorted, integers(n, 1));
    }
    if (input(n, 0) instanceof Constant c && (c.longs() == null || c.longs().length == 1)) {
      // A scalar count reshaped to [1] (PyTorch's TopK reads its k that way).
      long[] target = integers(n, 1);
      if (Arrays.stream(target).allMatch(v -> v == 1 || v == -1)) {
        return new Constant(target, c.floats(), c.longs());
      }
    }
    Activation x = image(n, 0, false);
    long[] s = constant(n, 1).longs();
    long perSample = Arrays.stream(x.shape()).reduce(1, (p, q) -> p * q);
    if (s != null && s.length == 2 && s[0] == -1 && s[1] != perSample && s[1] != -1) {
      return OnnxGroupSort.rows(this, n, x, s);
    }
    if (s == null || s.length < 2) {
      throw new UnsupportedModelException(where(n) + ": shape " + Arrays.toString(s) + "; jlip reads a constant"
          + " integer shape with the batch axis first");
    }
    long[] onnxShape = x.image() ? new long[] {x.shape()[2], x.shape()[0], x.shape()[1]} : x.shape();
    long total = Arrays.stream(onnxShape).reduce(1, (p, q) -> p * q);
    long[] target = Arrays.copyOfRange(s, 1, s.length);
    boolean allowZero = attrI(n, "allowzero", 0) != 0;
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == 0 && !allowZero) {
        if (i + 1 >= onnxShape.length + 1) {
          throw new UnsupportedModelException(where(n) + ": copies dimension " + (i + 1) + " that the input lacks");
        }
        target[i] = onnxShape[i];
      }
      if (target[i] == -1 && unknown < 0) {
        unknown = i;
      } else if (target[i] < 1) {
        throw new UnsupportedModelException(where(n) + ": shape " + Arrays.toString(s) + " for " + total
            + " values per sample");
      } else {
        known *= target[i];
      }
    }
    if (unknown >= 0) {
      target[unknown] = known > 0 && total % known == 0 ? total / known : -2;
    }
    if (Arrays.stream(target).reduce(1, (p, q) -> p * q) != total || target[unknown < 0 ? 0 : unknown] < 1) {
      throw new UnsupportedModelException(where(n) + " reshapes the " + total + " values of each sample to "
          + Arrays.toString(s) + "; jlip reads reshapes that keep the batch axis");
    }
    return flat(n.name(), x, target);
  }

  /** The NHWC input's transpose to NCHW: the image as ONNX sees it, which jlip holds NHWC anyway. */
  private Value transpose(Node n) throws IOException {
    Activation x = image(n, 0, false);
    if (nhwcInput && x.ref().equals("x") && Arrays.equals(attrInts(n, "perm", null), new long[] {0, 3, 1, 2})) {
      return new Activation(x.ref(), x.shape(), true);
    }
    throw new UnsupportedModelException(where(n) + ": a transpose " + Arrays.toString(attrInts(n, "perm", null))
        + " other than an NHWC input's to NCHW");
  }

  private Value slice(Node n) throws IOException {
    if (!(input(n, 0) instanceof OnnxGroupSort.Rows r)) {
      throw new UnsupportedModelException(where(n) + ": a slice of an activation outside deel-torchlip's GroupSort2");
    }
    boolean inputs = hasInput(n, 1);
    return OnnxGroupSort.slice(this, n, r, inputs ? integers(n, 1) : attrInts(n, "starts", null),
        inputs ? integers(n, 2) : attrInts(n, "ends", null),
        inputs ? (hasInput(n, 3) ? integers(n, 3) : null) : attrInts(n, "axes", null),
        hasInput(n, 4) ? integers(n, 4) : null);
  }

  /**
   * TopK: an ascending sort of rows (deel-torchlip's GroupSort) or of a whole vector (its FullSort, written as
   * TensorFlow's sort, Neg(TopKV2(Neg(x))), which the walk reads as one step).
   */
  private List<Value> topK(Node n) throws IOException {
    long[] k = integers(n, 1);
    if (input(n, 0) instanceof OnnxGroupSort.Rows r) {
      return OnnxGroupSort.topK(this, n, r, k);
    }
    Activation x = image(n, 0, false);
    long last = x.shape()[x.shape().length - 1];
    if (x.image() || x.shape().length != 1 || k.length != 1 || k[0] != last || attrI(n, "largest", 1) != 0
        || attrI(n, "sorted", 1) != 1 || (attrI(n, "axis", -1) != -1 && attrI(n, "axis", -1) != 1)) {
      throw new UnsupportedModelException(where(n) + " keeps " + Arrays.toString(k) + " values of a tensor of shape"
          + " [N, " + join(x.shape()) + "]; jlip reads an ascending sort of a whole vector (FullSort)");
    }
    String neg = emitNode("Neg", n.name() + "/neg", Map.of(), x.ref()) + ":output:0";
    String topk = emitNode("TopKV2", n.name() + "/topk", Map.of("sorted", flag(true)), neg, intScalar(last));
    return List.of(emit("Neg", n.name(), x.shape(), false, Map.of(), topk + ":values:0"),
        new OnnxGroupSort.Unread(where(n) + ": its indices are not read"));
  }

  private long[] integers(Node n, int i) throws IOException {
    long[] v = constant(n, i).longs();
    if (v == null) {
      throw new UnsupportedModelException(where(n) + ": input " + i + " must be an integer constant");
    }
    return v;
  }

  private List<Value> refuse(Node n, String why) throws UnsupportedModelException {
    throw new UnsupportedModelException(where(n) + ": " + why);
  }

  private Value softmax(Node n) throws IOException {
    Activation x = image(n, 0, false);
    long axis = attrI(n, "axis", -1);
    if (x.image() || x.shape().length != 1 || (axis != -1 && axis != 1)) {
      throw new UnsupportedModelException(where(n) + " over axis " + axis + " of a tensor of shape [N, "
          + join(x.shape()) + "]; jlip reads a softmax over the logits of a vector");
    }
    finalActivation = n.opType().equals("Softmax") ? "softmax" : "log_softmax";
    return emit("Softmax", n.name(), x.shape(), false, Map.of(), x.ref());
  }

  float attrF(Node n, String name, float otherwise) {
    Attribute a = n.attributes().get(name);
    return a == null ? otherwise : a.f();
  }

  long attrI(Node n, String name, long otherwise) {
    Attribute a = n.attributes().get(name);
    return a == null ? otherwise : a.i();
  }

  long[] attrInts(Node n, String name, long[] otherwise) {
    Attribute a = n.attributes().get(name);
    return a == null ? otherwise : a.ints();
  }

  String attrS(Node n, String name, String otherwise) {
    Attribute a = n.attributes().get(name);
    return a == null || a.s() == null ? otherwise : a.s();
  }

}
