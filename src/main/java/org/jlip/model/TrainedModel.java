package org.jlip.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * A model restored from a training run directory ({@code model.json} plus {@code checkpoint/}, as written by
 * jlip train): its inference graph with the weights and state of the last completed epoch.
 */
public final class TrainedModel implements AutoCloseable {
  public static final String MODEL_FILE = "model.json";
  public static final String CHECKPOINT_DIR = "checkpoint";
  public static final String CHECKPOINT_PREFIX = "ckpt";

  private final Path dir;
  private final Graph graph;
  private final Session session;
  private final LipschitzSequential model;

  private TrainedModel(Path dir, Graph graph, Session session, LipschitzSequential model) {
    this.dir = dir;
    this.graph = graph;
    this.session = session;
    this.model = model;
  }

  /** Restores {@code runDir}; IOException names what is missing. */
  public static TrainedModel load(Path runDir) throws IOException {
    Path spec = runDir.resolve(MODEL_FILE);
    Path index = runDir.resolve(CHECKPOINT_DIR).resolve(CHECKPOINT_PREFIX + ".index");
    if (!Files.isRegularFile(spec) || !Files.isRegularFile(index)) {
      throw new IOException("not a jlip training directory: " + runDir + " (expected " + MODEL_FILE + " and "
          + CHECKPOINT_DIR + "/" + CHECKPOINT_PREFIX + ".index, written by jlip train)");
    }
    LipschitzSequential model = new LipschitzSequential(ModelJson.read(spec));
    Graph g = new Graph();
    Session s = null;
    try {
      model.build(Ops.create(g), 0);
      s = new Session(g);
      s.restore(runDir.resolve(CHECKPOINT_DIR).resolve(CHECKPOINT_PREFIX).toString());
      return new TrainedModel(runDir, g, s, model);
    } catch (RuntimeException e) {
      if (s != null) {
        s.close();
      }
      g.close();
      throw new IOException("cannot restore the checkpoint in " + runDir + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public LipschitzSequential model() {
    return model;
  }

  public Session session() {
    return session;
  }

  public Graph graph() {
    return graph;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
