package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jlip.imports.FunctionRebuilder.Act;
import org.jlip.imports.FunctionRebuilder.Const;
import org.jlip.imports.FunctionRebuilder.Resource;
import org.jlip.imports.FunctionRebuilder.Val;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Imports a Keras/TF2 SavedModel: checks it with {@link SavedModelGuard}, loads it (tag "serve") only to read its
 * restored variables, and rebuilds the signature's forward pass in jlip from the function library, walking from
 * the output back to the input. A final softmax or sigmoid is left out (certificates use the logits before it). The
 * loaded bundle is closed before returning.
 */
public final class KerasSavedModel {
  private static final Logger LOG = LoggerFactory.getLogger(KerasSavedModel.class);
  public static final String DEFAULT_SIGNATURE = "serving_default";

  private KerasSavedModel() {}

  public static LoadedModel load(Path dir) throws IOException {
    return load(dir, DEFAULT_SIGNATURE);
  }

  /**
   * @throws MalformedModelException / UntrustedModelException from the guard
   * @throws UnsupportedModelException when the signature is missing or unusable, or an op cannot be bounded
   *     (the message lists the ops and where they are)
   */
  public static LoadedModel load(Path dir, String signatureKey) throws IOException {
    SavedModel proto = SavedModelGuard.check(dir);
    MetaGraphDef meta = proto.getMetaGraphsList().stream()
        .filter(m -> m.getMetaInfoDef().getTagsList().contains("serve")).findFirst()
        .orElseThrow(() -> new UnsupportedModelException(dir + " has no MetaGraph tagged 'serve'"));
    SignatureDef sig = meta.getSignatureDefMap().get(signatureKey);
    if (sig == null) {
      throw new UnsupportedModelException(dir + " has no signature '" + signatureKey + "'; it has "
          + meta.getSignatureDefMap().keySet().stream().filter(k -> !k.startsWith("__")).sorted().toList());
    }
    if (sig.getInputsCount() != 1 || sig.getOutputsCount() != 1) {
      throw new UnsupportedModelException("signature '" + signatureKey + "' has " + sig.getInputsCount()
          + " inputs " + sig.getInputsMap().keySet() + " and " + sig.getOutputsCount() + " outputs; jlip certifies"
          + " classifiers with one input and one output of logits");
    }
    TensorInfo input = sig.getInputsMap().values().iterator().next();
    TensorInfo output = sig.getOutputsMap().values().iterator().next();
    long[] dims = TensorProtos.shape(input.getTensorShape());
    if (input.getTensorShape().getUnknownRank() || dims.length < 2
        || Arrays.stream(dims).skip(1).anyMatch(d -> d <= 0)) {
      throw new UnsupportedModelException("signature '" + signatureKey + "' input has shape "
          + (input.getTensorShape().getUnknownRank() ? "of unknown rank" : Arrays.toString(dims))
          + "; jlip needs [batch, known sizes...] (an image or a vector per sample)");
    }
    long[] inputShape = Arrays.copyOfRange(dims, 1, dims.length);
    Map<String, NodeDef> nodes = new HashMap<>();
    meta.getGraphDef().getNodeList().forEach(n -> nodes.put(n.getName(), n));
    Map<String, FunctionDef> functions = new HashMap<>();
    meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
    NodeDef call = nodes.get(SavedModelGuard.nodeName(output.getName()));
    if (call == null || !call.getOp().endsWith("PartitionedCall")) {
      throw new UnsupportedModelException("signature '" + signatureKey + "' output " + output.getName()
          + " is not a function call; only Keras/TF2 SavedModels are supported");
    }
    List<String> unsupported = FunctionRebuilder.unsupported(call.getAttrOrThrow("f").getFunc().getName(), functions);
    if (!unsupported.isEmpty()) {
      throw new UnsupportedModelException("cannot bound " + dir + ": unsupported ops " + unsupported);
    }
    try (SavedModelBundle bundle = loadBundle(dir)) {
      FunctionRebuilder walk = new FunctionRebuilder(functions, v -> readVariable(bundle, v), inputShape);
      String inputNode = SavedModelGuard.nodeName(input.getName());
      List<Val> args = new ArrayList<>();
      for (String ref : call.getInputList()) {
        if (!ref.startsWith("^")) {
          args.add(topLevel(nodes, SavedModelGuard.nodeName(ref), inputNode, bundle));
        }
      }
      List<Val> outs;
      try {
        outs = walk.call(call.getAttrOrThrow("f").getFunc().getName(), args);
      } catch (RuntimeException e) {
        // A graph from elsewhere is untrusted: a node with missing inputs or attributes is a malformed model.
        throw new MalformedModelException(dir + ": cannot walk signature '" + signatureKey + "': " + e, e);
      }
      int index = output.getName().contains(":") ? Integer.parseInt(output.getName().split(":")[1]) : 0;
      return WalkedChain.of(walk, outs.get(index), dir + " [" + signatureKey + "]", inputShape, "softmax", true);
    }
  }

  private static SavedModelBundle loadBundle(Path dir) throws MalformedModelException {
    try {
      return SavedModelBundle.load(dir.toString(), "serve");
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new MalformedModelException("TensorFlow could not load " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Val topLevel(Map<String, NodeDef> nodes, String name, String inputNode, SavedModelBundle bundle)
      throws IOException {
    NodeDef n = nodes.get(name);
    if (n == null) {
      throw new MalformedModelException("the signature's call reads unknown node '" + name + "'");
    }
    switch (n.getOp()) {
      case "Placeholder":
        if (!name.equals(inputNode)) {
          throw new UnsupportedModelException("the signature's call reads a second placeholder '" + name + "'");
        }
        return new Act(0, false, 0);
      case "VarHandleOp":
        return new Resource(name);
      case "Const":
        var t = n.getAttrOrThrow("value").getTensor();
        long[] shape = TensorProtos.shape(t.getTensorShape());
        return switch (t.getDtype()) {
          case DT_FLOAT -> new Const(TensorProtos.floats(t), null, shape);
          case DT_INT32, DT_INT64 -> new Const(null, TensorProtos.longs(t), shape);
          default -> new Const(null, null, shape);
        };
      case "Identity":
        return topLevel(nodes, SavedModelGuard.nodeName(n.getInput(0)), inputNode, bundle);
      default:
        throw new UnsupportedModelException("the signature's call reads " + n.getOp() + " node '" + name
            + "'; expected the input placeholder, variables or constants");
    }
  }

  /** Runs ReadVariableOp on the handle in the bundle's session, after checking it was restored. */
  private static Const readVariable(SavedModelBundle bundle, String variable) throws IOException {
    var op = bundle.graph().operation(variable);
    if (op == null) {
      throw new MalformedModelException("variable '" + variable + "' is not in the loaded graph");
    }
    try {
      Ops tf = Ops.create(bundle.graph());
      Operand<?> handle = op.output(0);
      var initialized = tf.varIsInitializedOp(handle);
      var read = tf.readVariableOp(handle, TFloat32.class);
      try (var r = bundle.session().runner().fetch(initialized).run()) {
        if (!((TBool) r.get(0)).getBoolean()) {
          throw new MalformedModelException("variable '" + variable + "' was never restored from the checkpoint"
              + " (a Keras 3 model written with tf.saved_model.save keeps its weights in other variables than the"
              + " ones its signature reads; write it with model.export(), which TensorFlow's C loader restores)");
        }
      }
      try (var r = bundle.session().runner().fetch(read).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        long[] shape = t.shape().asArray();
        float[] values = new float[(int) t.shape().size()];
        t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(values, false, false));
        return new Const(values, null, shape);
      }
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw new MalformedModelException("cannot read variable '" + variable + "': " + e.getMessage(), e);
    }
  }
}
