package org.jlip.imports;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final Set<String> names = new HashSet<>(List.of("x"));
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
      Activation read = guardPieces(n);
      List<Value> outs = read != null ? List.of(read) : node(n);
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

  /** The ops that read the pieces of L2 pooling ({@link OnnxLpPool}). */
  private static final Set<String> LP_POOL_OPS = Set.of("Pow", "AveragePool", "Sign", "Abs", "Relu", "Mul", "Sqrt");

  /**
   * Before an op reads them: image slices become crops unless the op is a Slice, an InvertibleDownSampling's
   * Concat or a Concat of crops along H or W (returned, read); a piece of L2 pooling read by an op outside that pattern is refused, naming the piece.
   */
  private Activation guardPieces(Node n) throws IOException {
    boolean downSampling = n.opType().equals("Concat") && !n.inputs().isEmpty()
        && values.get(n.inputs().get(0)) instanceof OnnxImageSlices.Slice
        && (attrI(n, "axis", 0) == 1 || attrI(n, "axis", 0) == -3);
    if (downSampling) {
      Activation down = OnnxImageSlices.invertibleDownSampling(this, n, inputs(n));
      if (down != null) {
        return down;
      }
    }
    if (n.opType().equals("Concat")
        && n.inputs().stream().anyMatch(s -> values.get(s) instanceof OnnxImageSlices.Slice)) {
      Activation gathered = OnnxImageSlices.spatialGather(this, n, inputs(n));
      if (gathered != null) {
        return gathered;
      }
    }
    for (String name : n.inputs()) {
      Value v = name.isEmpty() ? null : values.get(name);
      if (v instanceof OnnxImageSlices.Slice s && !n.opType().equals("Slice")) {
        values.put(name, OnnxImageSlices.crop(this, n, s));
      }
      if (v instanceof OnnxLpPool.Piece p && !LP_POOL_OPS.contains(n.opType())) {
        throw new UnsupportedModelException(where(n) + " reads " + p.what() + ", which jlip reads only inside L2"
            + " pooling (PyTorch's LPPool2d with p = 2)");
      }
    }
    return null;
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
        if (op.equals("Mul") && OnnxLpPool.reads(this, n)) {
          yield List.of(OnnxLpPool.mul(this, n));
        }
        if (n.inputs().stream().filter(s -> !s.isEmpty()).allMatch(s -> values.get(s) instanceof Constant)
            || op.equals("Shape")) {
          yield List.of(OnnxConstants.fold(where(n), n, inputs(n), this));
        }
        yield List.of(switch (op) {
          case "Concat" -> OnnxMath.concat(this, n);
          case "Unsqueeze", "Squeeze" -> OnnxShapes.squeeze(this, n);
          case "Add", "Sub" -> OnnxMath.addOrSub(this, n);
          case "Mul", "Div" -> op.equals("Mul") && input(n, 0) instanceof Activation
              && input(n, 1) instanceof Activation ? OnnxActivations.gated(this, n) : OnnxMath.scale(this, n);
          default -> throw new UnsupportedModelException(where(n) + " on an activation: jlip reads it on constants");
        });
      }
      case "Conv" -> List.of(OnnxConv.conv(this, n));
      case "ConvTranspose" -> List.of(OnnxConvTranspose.of(this, n));
      case "MaxPool", "AveragePool" -> List.of(op.equals("AveragePool") && input(n, 0) instanceof OnnxLpPool.Squares q
          ? OnnxLpPool.averagePool(this, n, q) : OnnxConv.pool(this, n));
      case "Pow" -> List.of(OnnxLpPool.pow(this, n));
      case "Sqrt" -> List.of(OnnxLpPool.sqrt(this, n));
      case "Sign", "Abs" -> List.of(OnnxLpPool.factor(this, n));
      case "ReduceMean" -> List.of(OnnxMath.reduceMean(this, n));
      case "GlobalAveragePool", "GlobalMaxPool" -> List.of(OnnxMath.globalPool(this, n));
      case "BatchNormalization" -> List.of(OnnxMath.batchNorm(this, n));
      case "Gemm" -> List.of(OnnxMath.gemm(this, n));
      case "MatMul" -> List.of(OnnxMath.matMul(this, n, image(n, 0, false), constant(n, 1)));
      case "Flatten" -> List.of(OnnxShapes.flatten(this, n));
      case "Reshape" -> List.of(input(n, 0) instanceof Constant
          ? OnnxConstants.fold(where(n), n, inputs(n), this) : OnnxShapes.reshape(this, n));
      case "Transpose" -> List.of(input(n, 0) instanceof Constant c
          ? OnnxConstants.transpose(where(n), c, attrInts(n, "perm", null)) : OnnxShapes.transpose(this, n));
      case "ConstantOfShape" -> {
        Attribute v = n.attributes().get("value");
        yield List.of(OnnxConstants.constantOfShape(where(n), constant(n, 0),
            v == null || v.t() == null ? null : new Constant(v.t().dims(), v.t().floats(), v.t().longs())));
      }
      case "DepthToSpace", "SpaceToDepth" -> List.of(OnnxShapes.depthSpace(this, n));
      case "Split" -> input(n, 0) instanceof OnnxGroupSort.Rows r ? OnnxGroupSort.split(this, n, r)
          : refuse(n, "a split of an activation outside deel-torchlip's GroupSort2");
      case "Slice" -> List.of(OnnxShapes.slice(this, n));
      case "Min", "Max" -> List.of(OnnxGroupSort.extreme(this, n, input(n, 0), input(n, 1)));
      case "TopK" -> OnnxShapes.topK(this, n);
      case "Neg" -> {
        Activation x = image(n, 0, false);
        yield List.of(emit("Neg", n.name(), x.shape(), x.image(), Map.of(), x.ref()));
      }
      case "Relu" -> List.of(OnnxLpPool.reads(this, n) ? OnnxLpPool.factor(this, n) : OnnxActivations.of(this, n));
      case "Sigmoid", "Tanh", "Softplus", "Softsign", "Selu", "Elu", "LeakyRelu", "Clip", "Gelu", "HardSwish",
          "Mish", "HardSigmoid", "PRelu" ->
          List.of(OnnxActivations.of(this, n));
      case "Softmax", "LogSoftmax" -> List.of(OnnxMath.softmax(this, n));
      case "Pad" -> List.of(OnnxConv.pad(this, n));
      case "Resize", "Upsample" -> List.of(OnnxResize.of(this, n));
      default -> throw new UnsupportedModelException(where(n) + ": op " + op + " is not read (jlip reads Conv,"
          + " ConvTranspose, Transpose keeping the batch axis first, Resize,"
          + " Gemm, MatMul, Add, Sub, Mul and Div by constants, BatchNormalization, MaxPool, AveragePool,"
          + " GlobalAveragePool, GlobalMaxPool, ReduceMean over H and W, L2 pooling (LPPool2d with p = 2),"
          + " DepthToSpace, SpaceToDepth, slices of images (crops, and InvertibleDownSampling's strided slices"
          + " concatenated), Flatten, Reshape, Concat, Pad, Relu, LeakyRelu, Elu, Selu, Sigmoid,"
          + " Tanh, Softplus, Softsign, Clip, Gelu, HardSwish, HardSigmoid, Mish, PRelu, SiLU as Mul(x, Sigmoid(x)),"
          + " Softmax, LogSoftmax, Dropout, Identity, deel-torchlip's GroupSort,"
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
      throw new MalformedModelException(where(n) + " reads '" + n.inputs().get(i) + "', which no earlier node"
          + " computes");
    }
    return v;
  }

  boolean hasInput(Node n, int i) {
    return i < n.inputs().size() && !n.inputs().get(i).isEmpty();
  }

  /** Input {@code i} as an activation; {@code image}: it must be an image (NCHW in ONNX). */
  Activation image(Node n, int i, boolean image) throws IOException {
    if (input(n, i) instanceof OnnxLpPool.Piece p) {
      throw new UnsupportedModelException(where(n) + ": input " + i + " is " + p.what() + ", which jlip reads only"
          + " inside L2 pooling (PyTorch's LPPool2d with p = 2)");
    }
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

  /** A scalar float Const node (the activation patterns read their constants from Const nodes). */
  String floatScalar(float value) {
    TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(TensorShapeProto
        .getDefaultInstance()).addFloatVal(value).build();
    return emitNode("Const", "const", Map.of("value", AttrValue.newBuilder().setTensor(t).build(), "dtype",
        AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())) + ":output:0";
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
  Activation emit(String op, String label, long[] shape, boolean image, Map<String, AttrValue> attrs,
      String... inputs) {
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





























  long[] integers(Node n, int i) throws IOException {
    long[] v = constant(n, i).longs();
    if (v == null) {
      throw new UnsupportedModelException(where(n) + ": input " + i + " must be an integer constant");
    }
    return v;
  }

  private List<Value> refuse(Node n, String why) throws UnsupportedModelException {
    throw new UnsupportedModelException(where(n) + ": " + why);
  }



  /** What the final softmax was ("softmax" or "log_softmax"), for the report of what certificates leave out. */
  void finalActivation(String kind) {
    finalActivation = kind;
  }

  /** Whether the graph's input is an NHWC image that its first op transposes to NCHW. */
  boolean nhwcInput() {
    return nhwcInput;
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

  float[] attrFloats(Node n, String name) {
    Attribute a = n.attributes().get(name);
    return a == null ? null : a.floats();
  }

  String attrS(Node n, String name, String otherwise) {
    Attribute a = n.attributes().get(name);
    return a == null || a.s() == null ? otherwise : a.s();
  }

}
