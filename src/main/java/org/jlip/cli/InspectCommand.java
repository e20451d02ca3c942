package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jlip.certify.CertifiedModel;
import org.jlip.certify.LipschitzBound;
import org.jlip.export.SavedModelInfo;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.jlip.model.TrainedModel;
import org.jlip.serve.CertifiedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** jlip inspect: what a model holds, with its Lipschitz bound layer by layer. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Describe a model: a jlip SavedModel export or training run directory (signatures, metadata),"
        + " or a model trained in Python (Keras .keras or .h5 file, SavedModel or ONNX file: input, head, certificate"
        + " rule); then"
        + " the per-layer Lipschitz bound (nominal and measured from the weights).")
public final class InspectCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "SavedModel directory, training run directory, .keras, .h5 or .onnx file")
  Path dir;

  @Option(names = "--signature", description = "signature of a Keras SavedModel (default serving_default)")
  String signature;

  @Override
  public Integer call() throws IOException {
    boolean jlipExport = Files.isRegularFile(dir.resolve("assets.extra").resolve("jlip.json"));
    if (!jlipExport && !Files.isRegularFile(dir.resolve(TrainedModel.MODEL_FILE))) {
      inspectFromPython();
      return 0;
    }
    ModelBound bound = LipschitzBound.of(dir);
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      System.out.print(SavedModelInfo.read(dir).report());
      System.out.print("  Lipschitz bound measured now from the SavedModel's own weights:\n" + bound.table());
    } else {
      System.out.println("training run " + dir.toAbsolutePath());
      System.out.println(ModelJson.toJson(ModelJson.read(dir.resolve(TrainedModel.MODEL_FILE))));
      System.out.print("  Lipschitz bound per layer:\n" + bound.table());
    }
    return 0;
  }

  private void inspectFromPython() throws IOException {
    try (CertifiedModel m = CertifiedModels.open(dir, signature)) {
      System.out.println(m.source());
      System.out.println("  input " + Arrays.toString(m.inputShape()) + (m.inputShape().length == 3
          ? " (NHWC, without the batch axis), " : " (without the batch axis), ")
          + m.outputs() + " logits, certificate rule " + m.rule() + ", nominal Lipschitz constant "
          + (m.nominalLipschitz() == null ? "none claimed" : m.nominalLipschitz()));
      System.out.print("  Lipschitz bound per layer:\n" + m.bound().table());
    }
  }
}
