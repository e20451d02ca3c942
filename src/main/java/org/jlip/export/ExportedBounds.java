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
 * The Lipschitz bound of a jlip export measured from the weights it actually holds (not from its metadata, which
 * a file from elsewhere could get wrong): its plain model rebuilt in a fresh graph with the SavedModel's
 * variables copied in, bounded layer by layer (SVD for dense kernels, the DFT bound for convolutions). For a
 * disjoint-neuron head (rule DISJOINT in the metadata) the last layer counts per output: its largest column norm.
 */
public final class ExportedBounds {
  private ExportedBounds() {}

  public static ModelBound of(Path dir) throws IOException {
    SavedModelInfo info = SavedModelInfo.read(dir);
    if (info.metadata() == null || !info.metadata().has("exportedModel")) {
      throw new IOException(dir + " is not a jlip export (no " + Metadata.DIR + "/" + Metadata.FILE + ")");
    }
    ModelSpec spec = ModelJson.parse(info.metadata().get("exportedModel").toString());
    boolean disjoint = "DISJOINT".equals(info.metadata().path("certificate").path("rule").asText());
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        Graph g = new Graph();
        Session s = new Session(g)) {
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
      ModelBound bound = model.bound(s);
      if (!disjoint) {
        return bound;
      }
      List<LayerBound> layers = new ArrayList<>(bound.layers());
      LipLayer head = model.layers().get(layers.size() - 1);
      float[] kernel = read(bundle, head.name() + "_kernel", dir);
      int units = (int) model.outputShape()[0];
      double max = 0;
      for (double n : OperatorNorms.columnNorms(kernel, kernel.length / units, units)) {
        max = Math.max(max, n);
      }
      LayerBound last = layers.get(layers.size() - 1);
      layers.set(layers.size() - 1, new LayerBound(last.nominal(), max, max, "column-norms", true));
      return new ModelBound(bound.layerNames(), layers, true);
    }
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
