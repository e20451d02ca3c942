package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jlip.imports.FunctionRebuilder.Act;
import org.jlip.imports.FunctionRebuilder.Val;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports an ONNX model (PyTorch's {@code torch.onnx.export}, deel-torchlip models after {@code vanilla_export}):
 * reads the file ({@link OnnxFile}), rewrites its graph as a TensorFlow function on NHWC images
 * ({@link OnnxTranslator}) and rebuilds and bounds it with the SavedModel walk, so an ONNX model is certified by the
 * same op rules and layer bounds as a Keras export. Images are fed NHWC like every other model ([H, W, C] for an
 * ONNX input [N, C, H, W]).
 */
public final class OnnxImporter {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxImporter.class);

  private OnnxImporter() {}

  public static LoadedModel read(Path file) throws IOException {
    OnnxFile.Model model = OnnxFile.read(file);
    OnnxTranslator.Result t;
    try {
      t = OnnxTranslator.translate(file, model);
    } catch (RuntimeException e) {
      // A graph from elsewhere is untrusted: a node without the inputs or attributes its op needs is malformed.
      throw new MalformedModelException(file + ": cannot read its graph: " + e, e);
    }
    FunctionRebuilder walk = new FunctionRebuilder(Map.of(OnnxTranslator.FUNCTION, t.function()), v -> {
      throw new MalformedModelException("an ONNX graph has no variables");
    }, t.inputShape());
    List<Val> args = new ArrayList<>();
    args.add(new Act(0, false, 0));
    args.addAll(t.constants());
    List<Val> outs;
    try {
      outs = walk.call(OnnxTranslator.FUNCTION, args);
    } catch (UnsupportedModelException e) {
      // The walk names TensorFlow ops and the nodes they were made from; the user needs the file too.
      throw new UnsupportedModelException(file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new MalformedModelException(file + ": cannot rebuild its graph: " + e, e);
    }
    LOG.info("{}: ONNX opset {} written by '{}', {} nodes rebuilt as {} steps", file, model.opset(),
        model.producer(), model.graph().nodes().size(), walk.steps.size());
    try {
      return WalkedChain.of(walk, outs.get(0), file.toString(), t.inputShape(),
          t.finalActivation() == null ? "softmax" : t.finalActivation(), false);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedModelException(file + ": " + e.getMessage());
    }
  }
}
