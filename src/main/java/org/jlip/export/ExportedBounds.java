package org.jlip.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jlip.certify.OperatorNorms;
import org.jlip.layers.AbstractLipLayer;
import org.jlip.layers.LayerBound;
import org.jlip.layers.LipLayer;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A jlip export rebuilt as a live jlip model: its plain model description (from the metadata) built in a fresh
 * graph with the SavedModel's own variables copied in. Gradients flow through it (attacks, Lipschitz harness),
 * and its Lipschitz bound is measured from the weights the export actually holds, not read from its metadata,
 * which a file from elsewhere could get wrong: SVD for dense kernels, the DFT bound for convolutions; for a
 * disjoint-neuron head (rule DISJOINT in the metadata) the last layer counts per output, its largest column norm.
 */
public final class ExportedBounds implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final LipschitzSequential model;
  private final boolean disjoint;
  private final float[] headKernel;

  private ExportedBounds(Graph graph, Session session, LipschitzSequential model, boolean disjoint,
      float[] headKernel) {
    this.graph = graph;
    this.session = session;
    this.model = model;
    this.disjoint = disjoint;
    this.headKernel = headKernel;
  }

  /** The measured bound of the export in {@code dir}. */
  public static ModelBound of(Path dir) throws IOException {
    try (ExportedBounds rebuilt = rebuild(dir)) {
      return rebuilt.bound();
    }
  }

  /** Rebuilds the export in {@code dir}; close it when done. */
  public static ExportedBounds rebuild(Path dir) throws IOException {
    SavedModelInfo info = SavedModelInfo.read(dir);
    if (info.metadata() == null || !info.metadata().has("exportedModel")) {
      throw new IOException(dir + " is not a jlip export (no " + Metadata.DIR + "/" + Metadata.FILE + ")");
    }
    ModelSpec spec = ModelJson.parse(info.metadata().get("exportedModel").toString());
    boolean disjoint = "DISJOINT".equals(info.metadata().path("certificate").path("rule").asText());
    Graph g = new Graph();
    Session s = new Session(g);
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG)) {
      Ops tf = Ops.create(g);
      LipschitzSequential model = new LipschitzSequential(spec);
      model.build(tf, 0);
      s.initialize();
      for (LipLayer layer : model.layers()) {
        if (layer instanceof AbstractLipLayer<?> a && !a.variablesByRole().isEmpty()) {
          Map<String, float[]> weights = new LinkedHashMap<>();
          for (String role : a.variablesByRole().keySet()) {
            weights.put(role, read(bundle, layer.name() + "_" + role, dir));
          }
          a.assignWeights(tf, s, weights);
        }
      }
      LipLayer head = model.layers().get(model.layers().size() - 1);
      float[] headKernel = disjoint ? read(bundle, head.name() + "_kernel", dir) : null;
      return new ExportedBounds(g, s, model, disjoint, headKernel);
    } catch (IOException | RuntimeException e) {
      s.close();
      g.close();
      throw e;
    }
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

  /** Per-layer bounds from the weights; a disjoint head counts per output. */
  public ModelBound bound() {
    ModelBound bound = model.bound(session);
    if (!disjoint) {
      return bound;
    }
    List<LayerBound> layers = new ArrayList<>(bound.layers());
    int units = (int) model.outputShape()[0];
    double max = 0;
    double[] norms = OperatorNorms.columnNorms(headKernel, headKernel.length / units, units);
    float[] headNorms = new float[units];
    for (int i = 0; i < units; i++) {
      max = Math.max(max, norms[i]);
      headNorms[i] = (float) norms[i];
    }
    LayerBound last = layers.get(layers.size() - 1);
    layers.set(layers.size() - 1, new LayerBound(last.nominal(), max, max, "column-norms", true));
    return new ModelBound(bound.layerNames(), layers, true, headNorms);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  private static float[] read(SavedModelBundle bundle, String variable, Path dir) throws IOException {
    GraphOperation op = bundle.graph().operation(variable);
    if (op == null) {
      throw new IOException(dir + ": the SavedModel holds no variable '" + variable
          + "' that its jlip metadata describes");
    }
    try (Result r = bundle.session().runner().fetch(variable).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }
}
