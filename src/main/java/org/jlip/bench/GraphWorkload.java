package org.jlip.bench;

import java.util.ArrayList;
import java.util.List;
import org.jlip.train.Device;
import org.jlip.train.Placement;
import org.jlip.train.Sessions;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.RunMetadata;

/**
 * A workload with a graph and a session of its own, placed like the trainer places a model (the requested
 * device with soft fallback to the CPU). Subclasses build their ops in the constructor, then call
 * {@link #start}.
 */
abstract class GraphWorkload implements Workload {
  protected final Graph graph = new Graph();
  protected final Ops tf;
  private final int threads;
  private final List<Tensor> fed = new ArrayList<>();
  private Session session;

  protected GraphWorkload(Device device, int threads) {
    this.threads = threads;
    this.tf = Sessions.place(Ops.create(graph), device);
  }

  /** Opens the session and initialises the variables. */
  protected final void start() {
    session = new Session(graph, Sessions.config(threads, 0));
    session.initialize();
  }

  /** Keeps a tensor fed at every step; closed with the workload. */
  protected final <T extends Tensor> T keep(T tensor) {
    fed.add(tensor);
    return tensor;
  }

  /** A runner with the step's feeds, fetches and targets. */
  protected abstract Session.Runner stepRunner(Session session);

  @Override
  public final void step() {
    stepRunner(session).run().close();
  }

  @Override
  public final RunMetadata tracedStep() {
    try (Result r = stepRunner(session).setOptions(Placement.FULL_TRACE).runAndFetchMetadata()) {
      return r.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no run metadata"));
    }
  }

  @Override
  public void close() {
    fed.forEach(Tensor::close);
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
