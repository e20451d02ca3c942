package org.jlip.losses;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleConsumer;

import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

/**
 * A loss parameter (or scalar state) held in the graph, so that a schedule can change it between session runs
 * without rebuilding the graph.
 *
 * <p>In each graph the loss is called in, the holder is a non-trainable float64 scalar {@code VariableV2}
 * created on the first call (initial value: the Java value given at construction; {@code session.initialize()}
 * sets it), plus a placeholder and an {@code Assign} op used by {@link #set}. Reads go through
 * {@code tf.identity} and are cast to the loss's type. Holders are kept per graph, so one loss instance may be
 * used in several graphs; a graph's holder lives as long as the loss instance.
 */
final class ScalarParameter {

  private record Holder(Variable<TFloat64> variable, Placeholder<TFloat64> newValue, Assign<TFloat64> assign) {}

  private final String owner;
  private final String name;
  private final double initial;
  private final DoubleConsumer validator;
  private final Map<Graph, Holder> holders = new IdentityHashMap<>();

  /** Validates {@code initial} with {@code validator} (which throws IllegalArgumentException). */
  ScalarParameter(String owner, String name, double initial, DoubleConsumer validator) {
    validator.accept(initial);
    this.owner = owner;
    this.name = name;
    this.initial = initial;
    this.validator = validator;
  }

  String name() {
    return name;
  }

  /** The value given at construction: the initial value in every new graph. */
  double initial() {
    return initial;
  }

  /** The parameter as a scalar of {@code type}, creating its holder in the graph of {@code tf} if needed. */
  <T extends TNumber> Operand<T> read(Ops tf, Class<T> type) {
    Holder h = holder(graphOf(tf));
    return tf.dtypes.cast(tf.identity(h.variable()), type);
  }

  /** An op assigning {@code value} (cast to float64) to the holder, for state updated inside the graph. */
  Op assign(Ops tf, Operand<? extends TNumber> value) {
    Holder h = holder(graphOf(tf));
    return tf.assign(h.variable(), tf.dtypes.cast(value, TFloat64.class));
  }

  /**
   * Sets the value in the graph of {@code session}. Call it after {@code session.initialize()} (which would
   * otherwise reset it to the initial value).
   *
   * @throws IllegalArgumentException if the value is invalid for this parameter
   * @throws IllegalStateException if the loss was never called in that graph
   */
  void set(Session session, double value) {
    validator.accept(value);
    Holder h = existing(session.graph());
    try (TFloat64 t = TFloat64.scalarOf(value)) {
      session.runner().feed(h.newValue(), t).addTarget(h.assign()).run();
    }
  }

  /** The current value in the graph of {@code session}. */
  double get(Session session) {
    Holder h = existing(session.graph());
    try (Tensor t = session.runner().fetch(h.variable()).run().get(0)) {
      return ((TFloat64) t).getDouble();
    }
  }

  /** The holder variable in {@code graph}, if the loss was called there. */
  synchronized Optional<Variable<TFloat64>> variable(Graph graph) {
    return Optional.ofNullable(holders.get(graph)).map(Holder::variable);
  }

  private synchronized Holder existing(Graph graph) {
    Holder h = holders.get(graph);
    if (h == null) {
      throw new IllegalStateException(owner + "." + name + " has no holder in this session's graph: call the loss"
          + " in that graph first");
    }
    return h;
  }

  private synchronized Holder holder(Graph graph) {
    return holders.computeIfAbsent(graph, this::create);
  }

  private Holder create(Graph graph) {
    // A fresh Ops: the holder must not inherit the caller's control dependencies or name scope.
    Ops tf = Ops.create(graph);
    String base = uniqueName(graph, "jlip_" + owner + "_" + name);
    Variable<TFloat64> v = tf.withName(base).variable(tf.withInitScope().constant(initial));
    Placeholder<TFloat64> p = tf.withName(base + "_new").placeholder(TFloat64.class);
    Assign<TFloat64> a = tf.withName(base + "_set").assign(v, p);
    return new Holder(v, p, a);
  }

  private static String uniqueName(Graph graph, String base) {
    String candidate = base;
    for (int i = 1; graph.operation(candidate) != null; i++) {
      candidate = base + "_" + i;
    }
    return candidate;
  }

  static Graph graphOf(Ops tf) {
    ExecutionEnvironment env = tf.scope().env();
    if (!(env instanceof Graph g)) {
      throw new IllegalStateException("jlip losses run in graph mode only, got " + env.getClass().getSimpleName());
    }
    return g;
  }
}
