package org.jlip.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jlip.layers.Condensable;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;

/**
 * The plain (condensed) form of a model in a graph and session of its own: input placeholder, inference logits,
 * the weights copied in. What an export saves and what the benchmark runs directly.
 *
 * <p>Built in a construction graph, then imported (with its initial values shrunk) into the graph kept here.
 */
final class VanillaGraph implements AutoCloseable {
  final Graph graph;
  final Ops tf;
  final Session session;
  /** The plain model, for its spec and layer names; its layers were built in a construction graph now closed. */
  final LipschitzSequential model;
  final Operand<TFloat32> input;
  final Operand<TFloat32> logits;

  private VanillaGraph(ModelSpec spec, List<Map<String, float[]>> weights) {
    model = new LipschitzSequential(spec);
    GraphDef def;
    List<String> initialisers;
    try (Graph construction = new Graph()) {
      Ops c = Ops.create(construction);
      // Layers are built one by one (not model.build) so that the graph holds the inference path only.
      long[] shape = spec.inputShapeArray();
      for (int i = 0; i < model.layers().size(); i++) {
        shape = model.layers().get(i).build(c, shape, i);
      }
      long[] batched = new long[spec.inputShape().size() + 1];
      batched[0] = -1;
      System.arraycopy(spec.inputShapeArray(), 0, batched, 1, batched.length - 1);
      Placeholder<TFloat32> x = c.withName(LipschitzSequential.INPUT_NAME)
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(batched)));
      c.withName(SavedModelExporter.LOGITS).identity(model.call(c, x, false));
      def = construction.toGraphDef();
      initialisers = variableInitialisers(def);
      def = withSplatInitialValues(def, initialisers);
    }
    graph = new Graph();
    try {
      graph.importGraphDef(def);
      tf = Ops.create(graph);
      input = graph.output(LipschitzSequential.INPUT_NAME).expect(TFloat32.class);
      logits = graph.output(SavedModelExporter.LOGITS).expect(TFloat32.class);
      session = new Session(graph);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    try {
      if (!initialisers.isEmpty()) {
        // A session refuses a run with nothing to fetch or execute: a weight-free model has no initialisers.
        Session.Runner init = session.runner();
        initialisers.forEach(init::addTarget);
        init.run().close();
      }
      Map<String, float[]> byName = new LinkedHashMap<>();
      for (int i = 0; i < weights.size(); i++) {
        String layer = model.layers().get(i).name();
        weights.get(i).forEach((role, values) -> byName.put(layer + "_" + role, values));
      }
      assign(byName);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A fresh graph of {@code spec} (plain layers) holding {@code weights} (one role map per layer, in order). */
  static VanillaGraph build(ModelSpec spec, List<Map<String, float[]>> weights) {
    if (weights.size() != spec.layers().size()) {
      throw new IllegalArgumentException("expected weights for " + spec.layers().size() + " layers, got "
          + weights.size());
    }
    return new VanillaGraph(spec, weights);
  }

  /** Sets variables by name ({@code <layer>_<role>}) from Java arrays, fed through placeholders. */
  void assign(Map<String, float[]> values) {
    Session.Runner runner = session.runner();
    List<TFloat32> fed = new ArrayList<>();
    try {
      for (Map.Entry<String, float[]> e : values.entrySet()) {
        GraphOperation op = graph.operation(e.getKey());
        if (op == null || !op.type().equals("VariableV2")) {
          throw new IllegalArgumentException("the plain model has no variable '" + e.getKey() + "'");
        }
        Output<TFloat32> variable = op.output(0);
        Shape shape = variable.shape();
        if (shape.size() != e.getValue().length) {
          throw new IllegalArgumentException(e.getKey() + ": expected " + shape.size() + " values for shape "
              + shape + ", got " + e.getValue().length);
        }
        Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(e.getValue(), true, false));
        fed.add(t);
        runner.feed(p, t).addTarget(tf.assign(variable, p));
      }
      if (!fed.isEmpty()) {
        runner.run().close();
      }
    } finally {
      fed.forEach(TFloat32::close);
    }
  }

  /** Names of the Assign ops that give each variable its initial value. */
  private static List<String> variableInitialisers(GraphDef def) {
    Set<String> variables = new HashSet<>();
    def.getNodeList().stream().filter(n -> n.getOp().equals("VariableV2")).forEach(n -> variables.add(n.getName()));
    return def.getNodeList().stream()
        .filter(n -> n.getOp().equals("Assign") && variables.contains(n.getInput(0)))
        .map(NodeDef::getName).toList();
  }

  /**
   * The initial values of the variables are the layers' random initialisations, as constants as large as the
   * weights: they would double the size of saved_model.pb. The weights are assigned afterwards anyway, so each such
   * constant becomes a one-value "splat" constant (TensorProto with one float_val fills its whole shape).
   */
  private static GraphDef withSplatInitialValues(GraphDef def, List<String> initialisers) {
    Set<String> assigns = Set.copyOf(initialisers);
    Set<String> initialValues = new HashSet<>();
    Map<String, Integer> uses = new HashMap<>();
    for (NodeDef n : def.getNodeList()) {
      for (String in : n.getInputList()) {
        uses.merge(in.startsWith("^") ? in.substring(1) : in.split(":")[0], 1, Integer::sum);
      }
      if (assigns.contains(n.getName())) {
        initialValues.add(n.getInput(1));
      }
    }
    GraphDef.Builder b = def.toBuilder();
    for (int i = 0; i < b.getNodeCount(); i++) {
      NodeDef n = b.getNode(i);
      if (n.getOp().equals("Const") && initialValues.contains(n.getName()) && uses.get(n.getName()) == 1
          && n.getAttrOrThrow("dtype").getType() == DataType.DT_FLOAT) {
        TensorProto old = n.getAttrOrThrow("value").getTensor();
        TensorProto splat = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(old.getTensorShape()).addFloatVal(0f).build();
        b.setNode(i, n.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(splat).build()));
      }
    }
    return b.build();
  }

  /**
   * The plain description of {@code model}: Condensable layers as their vanilla configuration, weightless layers
   * as themselves. The model's kCoefLip share k^(1/n) stays on the m weightless Lipschitz layers by giving the
   * plain model k^(m/n) (it spreads that over those m layers alone); the rest is folded into the weights.
   */
  static ModelSpec vanillaSpec(LipschitzSequential model) {
    List<LayerConfig> configs = new ArrayList<>();
    int lipschitz = 0;
    int weightlessLipschitz = 0;
    List<LipLayer> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      LipLayer l = layers.get(i);
      if (l.takesModelFactor()) {
        lipschitz++;
      }
      if (l instanceof Condensable c) {
        configs.add(c.vanillaConfig());
      } else if (l.trainableVariables().isEmpty() && l.stateVariables().isEmpty()) {
        configs.add(l.config());
        if (l.takesModelFactor()) {
          weightlessLipschitz++;
        }
      } else {
        throw new IllegalArgumentException("layer " + i + " (" + l.config().type() + " '" + l.name()
            + "') has weights but cannot be condensed into a plain layer (not Condensable)");
      }
    }
    ModelSpec spec = model.spec();
    Double k = spec.kCoefLip() == null || weightlessLipschitz == 0
        ? null : Math.pow(spec.kCoefLip(), (double) weightlessLipschitz / lipschitz);
    return new ModelSpec(spec.name(), spec.inputShape(), configs, k, true, spec.classNames(), null);
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
