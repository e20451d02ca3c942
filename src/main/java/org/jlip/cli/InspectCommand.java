package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jlip.certify.LipschitzBound;
import org.jlip.export.SavedModelInfo;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.jlip.model.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** jlip inspect: what a training run or an export holds, with its Lipschitz bound layer by layer. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Describe a jlip SavedModel export or training run directory: signatures, metadata and the"
        + " per-layer Lipschitz bound (nominal and measured from the weights).")
public final class InspectCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "SavedModel directory or training run directory")
  Path dir;

  @Override
  public Integer call() throws IOException {
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
}
