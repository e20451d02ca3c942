package org.jlip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jlip.certify.CertificateRule;
import org.jlip.export.ExportOptions;
import org.jlip.export.SavedModelExporter;
import org.jlip.io.JsonLines;
import org.jlip.model.ModelBound;
import org.jlip.model.TrainedModel;
import org.jlip.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jlip export: a training run's last checkpoint as a SavedModel that TensorFlow loads unchanged. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a training run (--checkpoint, the --out of jlip train) as a SavedModel with signatures"
        + " serving_default (x -> logits) and certify (x -> logits, label, radius).")
public final class ExportCommand implements Callable<Integer> {

  @Option(names = "--checkpoint", required = true, description = "training run directory (model.json + checkpoint/)")
  Path checkpoint;

  @Option(names = "--out", required = true, description = "SavedModel directory to write")
  Path out;

  @Option(names = "--overwrite", description = "replace --out if it exists")
  boolean overwrite;

  @Option(names = "--nominal", description = "certify with the nominal Lipschitz constant instead of the measured"
      + " bound (not sound when the layers' bounds exceed it)")
  boolean nominal;

  @Override
  public Integer call() throws IOException {
    if (checkpoint.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("--out " + out + " holds the training run being exported (" + checkpoint
          + "); choose a target outside it");
    }
    if (Files.exists(out) && !overwrite) {
      throw new IllegalArgumentException(out + " exists: pass --overwrite to replace it");
    }
    try (TrainedModel trained = TrainedModel.load(checkpoint)) {
      ModelBound bound = trained.model().bound(trained.session());
      ExportOptions options = ExportOptions.fromBound(bound).withOverwrite(overwrite)
          .withClassNames(trained.model().spec().classNames());
      if (nominal) {
        options = new ExportOptions(bound.nominal(), options.rule(), bound.nominal(), bound.measured(),
            options.classNames(), null, overwrite, bound);
      }
      JsonNode metrics = lastMetrics(checkpoint.resolve(Trainer.METRICS_FILE));
      if (metrics != null) {
        options = options.withTrainingMetrics(metrics);
      }
      CertificateRule rule = SavedModelExporter.export(trained.model(), trained.session(), out, options);
      System.out.printf("exported %s -> %s (certify: %s, L = %.6f %s)%n", checkpoint, out, rule,
          options.lipschitz(), nominal ? "nominal" : "measured");
    }
    return 0;
  }

  private static JsonNode lastMetrics(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    List<JsonNode> lines = JsonLines.readAll(file);
    return lines.isEmpty() ? null : lines.get(lines.size() - 1);
  }
}
