package org.jlip.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
  private final Map<String, Double> claimed;

  private ExportedBounds(Graph graph, Session session, LipschitzSequential model, boolean disjoint,
      float[] headKernel, Map<String, Double> claimed) {
    this.graph = graph;
    this.session = session;
    this.model = model;
    this.disjoint = disjoint;
    this.headKernel = headKernel;
    this.claimed = claimed;
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
      return new ExportedBounds(g, s, model, disjoint, headKernel, claims(info.metadata()));
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

  /**
   * Per-layer bounds from the weights; a disjoint head counts per output. The nominal column is what the export's
   * metadata claims for the layer of that name: the rebuilt layers are plain ones, which claim nothing, and a
   * nominal figure is a claim, never what certify divides by.
   */
  public ModelBound bound() {
    ModelBound measured = model.bound(session);
    List<LayerBound> layers = new ArrayList<>();
    for (int i = 0; i < measured.layers().size(); i++) {
      LayerBound l = measured.layers().get(i);
      double nominal = claimed.getOrDefault(measured.layerNames().get(i), l.nominal());
      layers.add(new LayerBound(nominal, l.measured(), l.estimate(), l.method(), l.perOutput()));
    }
    ModelBound bound = new ModelBound(measured.layerNames(), layers, measured.perOutput());
    if (!disjoint) {
      return bound;
    }
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

  /** The metadata's per-layer nominal constants by layer name (absent or null: none claimed). */
  private static Map<String, Double> claims(JsonNode metadata) {
    Map<String, Double> claims = new HashMap<>();
    for (JsonNode l : metadata.path("lipschitz").path("layers")) {
      if (l.path("name").isTextual() && l.path("nominal").isNumber() && l.path("nominal").asDouble() > 0) {
        claims.put(l.path("name").asText(), l.path("nominal").asDouble());
      }
    }
    return claims;
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
