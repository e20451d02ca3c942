package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

class SavedModelGuardTest {

  /** A TF Java export: y = x * v with a variable, and optionally a ReadFile op wired into the output. */
  private static Path export(Path dir, boolean readFile) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      var v = tf.withName("v").variable(tf.constant(new float[] {2f, 3f}));
      Operand<TFloat32> y = tf.math.mul(x, tf.identity(v));
      if (readFile) {
        Operand<TString> content = tf.io.readFile(tf.constant("/etc/hostname"));
        y = tf.math.add(y, tf.dtypes.cast(tf.strings.stringLength(content), TFloat32.class));
      }
      try (Session s = new Session(g)) {
        s.initialize();
        SavedModelBundle.exporter(dir.toString()).withSession(s)
            .withFunction(s.function(Signature.builder().key("serving_default").input("x", x).output("y", y).build()))
            .export();
      }
    }
    return dir;
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }

  @Test
  void everyFixtureAndABenignExportPass(@TempDir Path tmp) throws IOException {
    for (String f : new String[] {"keras_fmnist_mlp_logits/fashion_mnist_model", "keras_mnist_mlp_tf21/mnist_model",
        "keras_mnist_cnn_batchnorm/model", "tfjava_add_and_variable/model"}) {
      Path dir = Fixtures.require(f);
      assertDoesNotThrow(() -> SavedModelGuard.check(dir), f);
    }
    Path ok = export(tmp.resolve("ok"), false);
    assertDoesNotThrow(() -> SavedModelGuard.check(ok));
  }

  /** A harmless op jlip does not import is refused with what it means, not as a threat. */
  @Test
  void dilatedConvolutionOpsAreNamedAsSuch(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("dilated");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 1)));
      var block = tf.constant(new int[] {2, 2});
      var zeros = tf.constant(new int[][] {{0, 0}, {0, 0}});
      Operand<TFloat32> y = tf.batchToSpaceNd(tf.spaceToBatchNd(x, block, zeros), block, zeros);
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(dir.toString()).withSession(s)
            .withFunction(s.function(Signature.builder().key("serving_default").input("x", x).output("y", y).build()))
            .export();
      }
    }
    var e = assertThrows(UntrustedModelException.class, () -> SavedModelGuard.check(dir));
    assertTrue(e.getMessage().contains("SpaceToBatchND") && e.getMessage().contains("dilated convolution"),
        e.getMessage());
  }

  @Test
  void readFileOpIsRefusedBeforeLoading(@TempDir Path tmp) throws IOException {
    Path dir = export(tmp.resolve("evil"), true);
    var e = assertThrows(UntrustedModelException.class, () -> SavedModelGuard.check(dir));
    assertTrue(e.getMessage().contains("op ReadFile in graph node"), e.getMessage());
    assertThrows(UntrustedModelException.class, () -> ModelLoader.load(dir));
  }

  @Test
  void zeroByteOrCorruptGraphIsMalformed(@TempDir Path tmp) throws IOException {
    Path dir = copy(Fixtures.require("keras_fmnist_mlp_logits/fashion_mnist_model"), tmp.resolve("m"));
    Files.write(dir.resolve("saved_model.pb"), new byte[0]);
    var e = assertThrows(MalformedModelException.class, () -> ModelLoader.load(dir));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    Files.write(dir.resolve("saved_model.pb"), new byte[] {(byte) 0xff, 0x13, 0x7f, 0x00, 0x01});
    assertThrows(MalformedModelException.class, () -> ModelLoader.load(dir));
  }

  @Test
  void truncatedOrMissingVariablesAreMalformed(@TempDir Path tmp) throws IOException {
    Path dir = copy(Fixtures.require("keras_fmnist_mlp_logits/fashion_mnist_model"), tmp.resolve("m"));
    Path data = dir.resolve("variables/variables.data-00000-of-00001");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    var e = assertThrows(MalformedModelException.class, () -> ModelLoader.load(dir));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Files.delete(data);
    var missing = assertThrows(MalformedModelException.class, () -> ModelLoader.load(dir));
    assertTrue(missing.getMessage().contains("missing variables data shard"), missing.getMessage());
    Files.delete(dir.resolve("variables/variables.index"));
    assertThrows(MalformedModelException.class, () -> ModelLoader.load(dir));
  }

  /**
   * A Conv2D node without its padding attribute aborted the JVM inside TensorFlow (the oneDNN layout pass checks
   * the attribute with a fatal assertion) before the registry check; now it is a malformed model, named.
   */
  @Test
  void aNodeThatDoesNotFitItsOpIsMalformed(@TempDir Path tmp) throws IOException {
    Path src = Path.of("src", "test", "resources", "keras", "merges_export");
    Path noPadding = tmp.resolve("no_padding");
    int edited = Fixtures.copyEditingFunctions(src, noPadding,
        n -> n.getOp().equals("Conv2D") && n.getAttrMap().containsKey("padding") && n.removeAttr("padding") != null);
    assertTrue(edited > 0);
    var e = assertThrows(MalformedModelException.class, () -> ModelLoader.load(noPadding));
    assertTrue(e.getMessage().contains("Conv2D lacks its attribute 'padding' (string)"), e.getMessage());
    Path inputs = tmp.resolve("inputs");
    Fixtures.copyEditingFunctions(src, inputs, n -> {
      if (!n.getOp().equals("BiasAdd")) {
        return false;
      }
      String x = n.getInput(0);
      n.clearInput().addInput(x);
      return true;
    });
    var i = assertThrows(MalformedModelException.class, () -> ModelLoader.load(inputs));
    assertTrue(i.getMessage().contains("BiasAdd has 1 data inputs, the op takes 2"), i.getMessage());
    // One stored value may stand for a whole shape: 4 bytes declaring 4 GiB.
    Path splat = tmp.resolve("splat");
    Fixtures.copyEditingFunctions(src, splat, n -> {
      if (!n.getOp().equals("Const")) {
        return false;
      }
      n.putAttr("value", org.tensorflow.proto.AttrValue.newBuilder().setTensor(org.tensorflow.proto.TensorProto
          .newBuilder().setDtype(org.tensorflow.proto.DataType.DT_FLOAT).addFloatVal(0f).setTensorShape(
              org.tensorflow.proto.TensorShapeProto.newBuilder().addDim(org.tensorflow.proto.TensorShapeProto.Dim
                  .newBuilder().setSize(1L << 30)))).build());
      return true;
    });
    var c = assertThrows(MalformedModelException.class, () -> ModelLoader.load(splat));
    assertTrue(c.getMessage().contains("constant of shape [1073741824] declares more than 67108864 elements"),
        c.getMessage());
  }

  @Test
  void aConvolutionStridingOverTheBatchOrChannelsIsRefused(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("strides");
    Fixtures.copyEditingFunctions(Path.of("src", "test", "resources", "keras", "merges_export"), dir, n -> {
      if (!n.getOp().equals("Conv2D")) {
        return false;
      }
      n.putAttr("strides", org.tensorflow.proto.AttrValue.newBuilder().setList(org.tensorflow.proto.AttrValue
          .ListValue.newBuilder().addI(1).addI(1).addI(1).addI(2)).build());
      return true;
    });
    var e = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(dir));
    assertTrue(e.getMessage().contains("strides [1, 1, 1, 2] step over the batch or channel axis"), e.getMessage());
  }
}
