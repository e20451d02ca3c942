package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;

/**
 * A SavedModel from elsewhere is untrusted input: seeded random edits of one node of real exports' function
 * libraries (an attribute's value, a constant's shape, an input dropped, the op renamed to another one jlip reads)
 * must each load as a model or fail with one of the importer's documented errors, never with another exception.
 */
class SavedModelFuzzTest {
  private static final Path KERAS = Path.of("src", "test", "resources", "keras");
  private static final List<String> SOURCES = List.of("merges_export", "inference_layers_channels_first_export",
      "gated_activations_export", "depthwise_export", "dense_on_image_channels_last_export", "householder_export",
      "batchnorm_export", "sequence/conv1d_pool_export", "resize/resize_cnn_export", "transpose/transpose_export",
      "mirror/mirror_padded_export");
  private static final String[] OPS = {"Relu", "Tanh", "MatMul", "Conv2D", "Reshape", "Transpose", "ConcatV2",
      "AddV2", "Mul", "Identity", "MaxPool", "Mean", "Pad", "StridedSlice", "BiasAdd", "ExpandDims", "Squeeze"};
  private static final int EDITS_PER_MODEL = Integer.getInteger("fuzz.edits", 20);

  @Test
  void editedExportsLoadOrFailWithADocumentedError(@TempDir Path tmp) throws IOException {
    List<String> wrong = new ArrayList<>();
    Random r = new Random(Long.getLong("fuzz.seed", 2027));
    int loaded = 0;
    int refused = 0;
    for (String source : SOURCES) {
      int total = Fixtures.copyEditingFunctions(KERAS.resolve(source), tmp.resolve("count_" + source), n -> true);
      for (int i = 0; i < EDITS_PER_MODEL; i++) {
        Path dir = tmp.resolve(source + "_" + i);
        int pick = r.nextInt(total);
        long seed = r.nextLong();
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<String> edit = new AtomicReference<>();
        Fixtures.copyEditingFunctions(KERAS.resolve(source), dir, n -> {
          if (seen.getAndIncrement() != pick) {
            return false;
          }
          edit.set(mutate(n, new Random(seed)));
          return true;
        });
        String outcome = tryLoad(dir);
        if (outcome == null) {
          loaded++;
        } else if (outcome.startsWith("ok:")) {
          refused++;
          if (outcome.contains("the rebuilt graph gives")) {
            System.out.println("caught by the probes: " + source + " with " + edit.get() + ": " + outcome);
          }
        } else {
          wrong.add(source + " with " + edit.get() + ": " + outcome);
        }
      }
    }
    System.out.printf("edited exports: %d loaded, %d refused with a documented error, %d otherwise%n", loaded,
        refused, wrong.size());
    assertTrue(refused > 0, "the edits never made a model invalid: the test would not see a wrong error");
    assertTrue(wrong.isEmpty(), wrong.size() + " edits failed otherwise:\n" + String.join("\n", wrong));
  }

  /**
   * null: opened for certification (its rebuilt graph checked against the signature on probes) and ran; "ok:
   * message": a documented error; otherwise what went wrong.
   */
  private static String tryLoad(Path dir) {
    try (ImportedCertifiedModel m = ImportedCertifiedModel.open(dir)) {
      int size = (int) Arrays.stream(m.inputShape()).reduce(1, (a, b) -> a * b);
      float[] logits = m.logits(Fixtures.pattern(size), 1);
      if (logits.length != m.outputs() || !(m.loaded().lipschitzBound() > 0)) {
        return "loaded, but gave " + logits.length + " logits and bound " + m.loaded().lipschitzBound();
      }
      return null;
    } catch (MalformedModelException | UnsupportedModelException | UntrustedModelException e) {
      return "ok: " + e.getMessage();
    } catch (Exception | StackOverflowError e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static String mutate(NodeDef.Builder n, Random r) {
    String what = n.getOp() + " '" + n.getName() + "'";
    List<String> attrs = new ArrayList<>(n.getAttrMap().keySet());
    int kind = r.nextInt(4);
    if (kind == 0 && n.getInputCount() > 0) {
      int i = r.nextInt(n.getInputCount());
      List<String> in = new ArrayList<>(n.getInputList());
      in.remove(i);
      n.clearInput().addAllInput(in);
      return what + ": input " + i + " dropped";
    }
    if (kind == 1 || attrs.isEmpty()) {
      String op = OPS[r.nextInt(OPS.length)];
      n.setOp(op);
      return what + ": op renamed " + op;
    }
    String name = attrs.get(r.nextInt(attrs.size()));
    AttrValue v = n.getAttrMap().get(name);
    AttrValue.Builder b = v.toBuilder();
    if (v.hasList() && v.getList().getICount() > 0) {
      var list = v.getList().toBuilder();
      list.setI(r.nextInt(list.getICount()), r.nextBoolean() ? 0 : 5);
      b.setList(list);
    } else if (v.hasTensor() && v.getTensor().getTensorShape().getDimCount() > 0) {
      var t = v.getTensor().toBuilder();
      TensorShapeProto.Builder s = t.getTensorShape().toBuilder();
      s.setDim(0, s.getDim(0).toBuilder().setSize(s.getDim(0).getSize() + 1));
      b.setTensor(t.setTensorShape(s));
    } else if (v.getValueCase() == AttrValue.ValueCase.S) {
      b.setS(com.google.protobuf.ByteString.copyFromUtf8(r.nextBoolean() ? "NCHW" : "VALID"));
    } else if (v.getValueCase() == AttrValue.ValueCase.I) {
      b.setI(r.nextBoolean() ? -1 : 7);
    } else if (v.getValueCase() == AttrValue.ValueCase.F) {
      b.setF(Float.NaN);
    } else if (v.getValueCase() == AttrValue.ValueCase.B) {
      b.setB(!v.getB());
    } else {
      n.removeAttr(name);
      return what + ": attr " + name + " removed";
    }
    n.putAttr(name, b.build());
    return what + ": attr " + name + " = " + b.build().toString().replace('\n', ' ');
  }
}
