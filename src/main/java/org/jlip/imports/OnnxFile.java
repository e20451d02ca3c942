package org.jlip.imports;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model file (a protobuf ModelProto, onnx.proto3) that a feed-forward classifier uses, decoded
 * field by field from the wire format: the graph's nodes with their attributes, its float and integer initializers,
 * its inputs and outputs, and the opset. Fields jlip does not read are skipped. The file is untrusted: it is capped
 * at 1 GiB, its graph at {@link #MAX_NODES} nodes, every tensor at {@link TensorProtos#MAX_ELEMENTS} elements
 * checked from its declared dims before any allocation, weights kept beside it (external data) are read only from
 * its own folder, and subgraphs and non-finite weights are refused.
 */
final class OnnxFile {
  static final long MAX_BYTES = 1L << 30;
  static final int MAX_NODES = 10_000;
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int DOUBLE = 11;

  /** A tensor: float values (float32, or float64 rounded), or integer ones (int32/int64), row-major over dims. */
  record Tensor(String name, long[] dims, float[] floats, long[] longs) {}

  /** An attribute of one of the kinds a classifier's ops use (FLOAT, INT, STRING, TENSOR, FLOATS, INTS). */
  record Attribute(String name, int type, float f, long i, String s, Tensor t, float[] floats, long[] ints) {}

  record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
      Map<String, Attribute> attributes) {}

  /** A graph input or output: its name, element type and dims (-1 where symbolic or unknown). */
  record ValueInfo(String name, int elemType, long[] dims) {}

  record Graph(List<Node> nodes, List<Tensor> initializers, List<ValueInfo> inputs, List<ValueInfo> outputs) {}

  /** The graph, the default domain's opset version (0 if none is declared) and who wrote the file. */
  record Model(Graph graph, long opset, String producer) {}

  private final Path file;
  private int nodes;
  private long externalBytes;

  private OnnxFile(Path file) {
    this.file = file;
  }

  /**
   * True for a file named {@code .onnx}: a protobuf has no signature (its fields may come in any order), so a file
   * that is not a ModelProto is refused by the parser instead.
   */
  static boolean looksLikeOnnx(Path file) {
    return Files.isRegularFile(file) && file.getFileName() != null
        && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
  }

  static Model read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new UntrustedModelException(file + " is " + size + " bytes, larger than the limit of " + MAX_BYTES
          + " for an ONNX model");
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return new OnnxFile(file).model(CodedInputStream.newInstance(bytes));
    } catch (InvalidProtocolBufferException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new MalformedModelException(file + " is not a readable ONNX model: " + e.getMessage());
    }
  }

  private Model model(CodedInputStream in) throws IOException {
    Graph graph = null;
    long opset = 0;
    String producer = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 2 -> producer = in.readString();
        case 7 -> graph = graph(sub(in));
        case 8 -> {
          CodedInputStream op = sub(in);
          String domain = "";
          long version = 0;
          for (int t = op.readTag(); t != 0; t = op.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> domain = op.readString();
              case 2 -> version = op.readInt64();
              default -> op.skipField(t);
            }
          }
          if (domain.isEmpty() || domain.equals("ai.onnx")) {
            opset = version;
          }
        }
        default -> in.skipField(tag);
      }
    }
    if (graph == null) {
      throw new MalformedModelException(file + " holds no graph (ModelProto field 7): not an ONNX model");
    }
    return new Model(graph, opset, producer);
  }

  private Graph graph(CodedInputStream in) throws IOException {
    List<Node> nodeList = new ArrayList<>();
    List<Tensor> initializers = new ArrayList<>();
    List<ValueInfo> inputs = new ArrayList<>();
    List<ValueInfo> outputs = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          if (++nodes > MAX_NODES) {
            throw new UntrustedModelException(file + " has more than " + MAX_NODES + " nodes");
          }
          nodeList.add(node(sub(in)));
        }
        case 5 -> initializers.add(tensor(sub(in)));
        case 11 -> inputs.add(valueInfo(sub(in)));
        case 12 -> outputs.add(valueInfo(sub(in)));
        case 15 -> throw new UnsupportedModelException(file + ": sparse initializers are not read");
        default -> in.skipField(tag);
      }
    }
    return new Graph(nodeList, initializers, inputs, outputs);
  }

  private Node node(CodedInputStream in) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    String domain = "";
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> inputs.add(in.readString());
        case 2 -> outputs.add(in.readString());
        case 3 -> name = in.readString();
        case 4 -> op = in.readString();
        case 5 -> {
          Attribute a = attribute(sub(in));
          attributes.put(a.name(), a);
        }
        case 7 -> domain = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new Node(name, op, domain, List.copyOf(inputs), List.copyOf(outputs), attributes);
  }

  private Attribute attribute(CodedInputStream in) throws IOException {
    String name = "";
    int type = 0;
    float f = 0;
    long i = 0;
    String s = null;
    Tensor t = null;
    List<Float> floats = new ArrayList<>();
    List<Long> ints = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      switch (field) {
        case 1 -> name = in.readString();
        case 2 -> f = in.readFloat();
        case 3 -> i = in.readInt64();
        case 4 -> s = in.readBytes().toStringUtf8();
        case 5 -> t = tensor(sub(in));
        case 6, 11 -> throw new UnsupportedModelException(file + ": a node attribute holds a subgraph (control flow),"
            + " which jlip does not read");
        case 7 -> readRepeated(in, wire, floats, CodedInputStream::readFloat);
        case 8 -> readRepeated(in, wire, ints, CodedInputStream::readInt64);
        case 20 -> type = in.readEnum();
        default -> in.skipField(tag);
      }
    }
    return new Attribute(name, type, f, i, s, t, toFloats(floats), ints.stream().mapToLong(Long::longValue).toArray());
  }

  private Tensor tensor(CodedInputStream in) throws IOException {
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    ByteString raw = null;
    List<Float> floats = new ArrayList<>();
    List<Long> longs = new ArrayList<>();
    List<Float> doubles = new ArrayList<>();
    Map<String, String> external = new LinkedHashMap<>();
    boolean externalFlag = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int wire = WireFormat.getTagWireType(tag);
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> readRepeated(in, wire, dims, CodedInputStream::readInt64);
        case 2 -> type = in.readInt32();
        case 4 -> readRepeated(in, wire, floats, CodedInputStream::readFloat);
        case 5, 7 -> readRepeated(in, wire, longs, CodedInputStream::readInt64);
        case 8 -> name = in.readString();
        case 9 -> raw = in.readBytes();
        case 10 -> readRepeated(in, wire, doubles, c -> (float) c.readDouble());
        case 13 -> {
          CodedInputStream e = sub(in);
          String key = "";
          String value = "";
          for (int t = e.readTag(); t != 0; t = e.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> key = e.readString();
              case 2 -> value = e.readString();
              default -> e.skipField(t);
            }
          }
          external.put(key, value);
        }
        case 14 -> externalFlag = in.readInt32() == 1;
        default -> in.skipField(tag);
      }
    }
    if (externalFlag || !external.isEmpty()) {
      raw = externalData(name, external);
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    int n;
    try {
      n = TensorProtos.count(shape);
    } catch (IllegalArgumentException e) {
      throw new UntrustedModelException(file + ": tensor '" + name + "': " + e.getMessage());
    }
    if (type == FLOAT) {
      float[] v = raw != null ? rawFloats(raw, n, name) : toFloats(floats);
      requireCount(name, v.length, n);
      return new Tensor(name, shape, requireFinite(name, v), null);
    }
    if (type == DOUBLE) {
      // float64 constants (PyTorch writes Python floats so in older opsets) are read as float32, like the weights.
      float[] v = raw != null ? rawDoubles(raw, n, name) : toFloats(doubles);
      requireCount(name, v.length, n);
      return new Tensor(name, shape, requireFinite(name, v), null);
    }
    if (type == INT64 || type == INT32) {
      long[] v = raw != null ? rawLongs(raw, n, type == INT64 ? 8 : 4, name)
          : longs.stream().mapToLong(Long::longValue).toArray();
      requireCount(name, v.length, n);
      return new Tensor(name, shape, null, v);
    }
    throw new UnsupportedModelException(file + ": tensor '" + name + "' has ONNX data type " + type + "; jlip reads"
        + " float32 (1), float64 (11), int32 (6) and int64 (7) tensors");
  }

  /**
   * A tensor's bytes kept beside the model (PyTorch's exporter writes "model.onnx.data"): only a file in the model's
   * own folder or below it, read from its offset for its length, all such data together capped like the model.
   */
  private ByteString externalData(String name, Map<String, String> entry) throws IOException {
    String location = entry.getOrDefault("location", "");
    Path dir = file.toAbsolutePath().getParent();
    Path data = dir.resolve(location).normalize();
    if (location.isEmpty() || Path.of(location).isAbsolute() || !data.startsWith(dir) || !Files.isRegularFile(data)
        || !data.toRealPath().startsWith(dir.toRealPath())) {
      throw new UntrustedModelException(file + ": tensor '" + name + "' keeps its data in '" + location + "', which"
          + " is not a file in the model's folder");
    }
    long offset;
    long length;
    try {
      offset = Long.parseLong(entry.getOrDefault("offset", "0"));
      length = Long.parseLong(entry.getOrDefault("length", Long.toString(Files.size(data) - offset)));
    } catch (NumberFormatException e) {
      throw new MalformedModelException(file + ": tensor '" + name + "' has external data at offset '"
          + entry.get("offset") + "' of length '" + entry.get("length") + "'");
    }
    externalBytes += Math.max(length, 0);
    if (offset < 0 || length < 0 || offset + length > Files.size(data) || externalBytes > MAX_BYTES) {
      throw new UntrustedModelException(file + ": tensor '" + name + "' reads bytes " + offset + " to "
          + (offset + length) + " of " + data + " (" + Files.size(data) + " bytes; at most " + MAX_BYTES
          + " in all)");
    }
    try (var ch = Files.newByteChannel(data)) {
      ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(length));
      ch.position(offset);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // reads until the tensor's bytes are in
      }
      b.flip();
      return ByteString.copyFrom(b);
    }
  }

  private ValueInfo valueInfo(CodedInputStream in) throws IOException {
    String name = "";
    int elem = 0;
    List<Long> dims = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = in.readString();
        case 2 -> {
          CodedInputStream type = sub(in);
          for (int t = type.readTag(); t != 0; t = type.readTag()) {
            if (WireFormat.getTagFieldNumber(t) != 1) {
              type.skipField(t);
              continue;
            }
            CodedInputStream tensor = sub(type);
            for (int u = tensor.readTag(); u != 0; u = tensor.readTag()) {
              switch (WireFormat.getTagFieldNumber(u)) {
                case 1 -> elem = tensor.readInt32();
                case 2 -> dims = shape(sub(tensor));
                default -> tensor.skipField(u);
              }
            }
          }
        }
        default -> in.skipField(tag);
      }
    }
    return new ValueInfo(name, elem, dims.stream().mapToLong(Long::longValue).toArray());
  }

  private static List<Long> shape(CodedInputStream in) throws IOException {
    List<Long> dims = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != 1) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream dim = sub(in);
      long value = -1;
      for (int t = dim.readTag(); t != 0; t = dim.readTag()) {
        if (WireFormat.getTagFieldNumber(t) == 1) {
          value = dim.readInt64();
        } else {
          dim.skipField(t);
        }
      }
      dims.add(value);
    }
    return dims;
  }

  /** The embedded message at the current field, as its own stream (so a bad length cannot read past it). */
  private static CodedInputStream sub(CodedInputStream in) throws IOException {
    return CodedInputStream.newInstance(in.readByteArray());
  }

  /** Reads one value of a field. */
  @FunctionalInterface
  private interface Reader<T> {
    T read(CodedInputStream in) throws IOException;
  }

  /** A repeated scalar field: packed (one length-delimited run) or one value per tag. */
  private static <T> void readRepeated(CodedInputStream in, int wire, List<T> out, Reader<T> reader)
      throws IOException {
    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
      CodedInputStream packed = sub(in);
      while (!packed.isAtEnd()) {
        out.add(reader.read(packed));
      }
    } else {
      out.add(reader.read(in));
    }
  }

  private float[] rawFloats(ByteString raw, int n, String name) throws MalformedModelException {
    requireCount(name, raw.size(), 4L * n);
    float[] v = new float[n];
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  private float[] rawDoubles(ByteString raw, int n, String name) throws MalformedModelException {
    requireCount(name, raw.size(), 8L * n);
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) b.getDouble();
    }
    return v;
  }

  private long[] rawLongs(ByteString raw, int n, int width, String name) throws MalformedModelException {
    requireCount(name, raw.size(), (long) width * n);
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = width == 8 ? b.getLong() : b.getInt();
    }
    return v;
  }

  private float[] requireFinite(String name, float[] v) throws MalformedModelException {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new MalformedModelException(file + ": tensor '" + name + "' holds " + v[i] + " at index " + i
            + "; a classifier's weights and constants are finite");
      }
    }
    return v;
  }

  private void requireCount(String name, long got, long want) throws MalformedModelException {
    if (got != want) {
      throw new MalformedModelException(file + ": tensor '" + name + "' holds " + got + " values (or bytes) where"
          + " its dims declare " + want);
    }
  }

  private static float[] toFloats(List<Float> values) {
    float[] v = new float[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return v;
  }
}
