package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jlip.export.ExportOptions;
import org.jlip.export.SavedModelExporter;
import org.jlip.layers.AbstractLipLayer;
import org.jlip.layers.LipLayer;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Converts a deel-lip/Keras {@code .keras} file into a jlip SavedModel: its NHWC jlip architecture (plain Dense,
 * Conv2D and Conv2DTranspose with the constrained kernels, GroupSort on the axis that matches the file's layout)
 * with its weights, certified with the bound measured at import and the rule of its head.
 */
public final class KerasConverter {
  private KerasConverter() {}

  /**
   * Writes the SavedModel; returns the bound its certify signature uses.
   *
   * @throws UnsupportedModelException when a layer of the file has no jlip equivalent (BatchNormalization, plain
   *     poolings, leaky ReLUs): the message names it
   */
  public static ModelBound convert(Path kerasFile, Path out, boolean overwrite) throws IOException {
    try (ImportedModel imported = KerasFileImporter.read(kerasFile)) {
      if (imported.notConvertibleReason().isPresent()) {
        throw new UnsupportedModelException(kerasFile + " cannot be converted: "
            + imported.notConvertibleReason().get() + " (jlip certify and attack read the file directly)");
      }
      return convert(kerasFile, imported, out, overwrite);
    }
  }

  private static ModelBound convert(Path kerasFile, ImportedModel imported, Path out, boolean overwrite)
      throws IOException {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ModelSpec spec = imported.spec();
      // The constrained kernels arrive as plain Dense/Conv2D weights: their bound comes from the import.
      LipschitzSequential model = new LipschitzSequential(new ModelSpec(spec.name(), spec.inputShape(),
          spec.layers(), spec.kCoefLip(), true, spec.classNames(), null));
      model.build(tf, 0);
      s.initialize();
      for (LipLayer layer : model.layers()) {
        if (layer instanceof AbstractLipLayer<?> a && !a.variablesByRole().isEmpty()) {
          Map<String, Weight> w = imported.weights().get(layer.name());
          if (w == null) {
            throw new MalformedModelException(kerasFile + ": no weights for layer '" + layer.name() + "'");
          }
          Map<String, float[]> values = new LinkedHashMap<>();
          w.forEach((role, weight) -> values.put(role, weight.values()));
          a.assignWeights(tf, s, values);
        }
      }
      ModelBound bound = imported.layerBounds();
      ExportOptions options = new ExportOptions(bound.measured(), imported.rule(),
          imported.nominalIsOne() ? 1.0 : null, bound.measured(), null, null, overwrite, bound);
      SavedModelExporter.export(model, s, out, options);
      return bound;
    }
  }
}
