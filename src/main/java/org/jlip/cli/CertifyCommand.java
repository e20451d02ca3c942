package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.jlip.certify.CertificationReport;
import org.jlip.certify.CertifiedModel;
import org.jlip.data.DataSpec;
import org.jlip.data.Images;
import org.jlip.io.Progress;
import org.jlip.serve.CertifiedModels;
import org.jlip.train.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** jlip certify: certified radii of a model's predictions on a data set, and provable robust accuracy. */
@Command(name = "certify", mixinStandardHelpOptions = true,
    description = "Certify a model's predictions: per sample the predicted class, margin and certified L2 radius;"
        + " with labels, accuracy and provable robust accuracy per eps. Radii divide by the Lipschitz bound"
        + " measured from the weights (the nominal one is reported beside it).")
public final class CertifyCommand implements Callable<Integer> {

  @Option(names = "--model", required = true,
      description = "jlip SavedModel export, jlip training run directory, Keras SavedModel, Keras/deel-lip .keras"
          + " or .h5 file, or ONNX file (PyTorch)")
  Path model;

  @Option(names = "--data", required = true,
      description = "fashion-mnist:test|train, a directory of IDX files, PNG images, class folders of PNG images,"
          + " images.npy and labels.npy, or test/ (val/) holding those (DIR:train for its train split); a .npz with"
          + " x_test and y_test (FILE.npz:train: x_train, y_train); an IDX images file or a .npy")
  String data;

  @Option(names = "--labels", description = "labels file (IDX or .npy: class indices, or one-hot rows) when"
      + " --data has none")
  Path labels;

  @Option(names = "--eps", split = ",", converter = RadiusConverter.class, description = "radii for provable robust accuracy (default 0.1, 36/255,"
      + " 0.25, 0.5, 1.0)")
  List<Double> eps;

  @Option(names = "--preprocess", defaultValue = "auto",
      description = "auto: 8-bit sources scaled by 1/255, 16-bit ones (uint16 .npy, 16-bit PNG) by 1/65535, float"
          + " .npy as stored; none: the source's own values (default: ${DEFAULT-VALUE})")
  String preprocess;

  @Option(names = "--signature", description = "signature of a Keras SavedModel (default serving_default)")
  String signature;

  @Option(names = "--out", description = "JSON report (summary and per-sample rows)")
  Path out;

  @Option(names = "--csv", description = "CSV of per-sample rows")
  Path csv;

  @Option(names = "--limit", description = "certify the first N samples only")
  Integer limit;

  @Override
  public Integer call() throws IOException {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
    }
    CliChecks.radii(eps);
    if (out != null && csv != null && out.toAbsolutePath().normalize().equals(csv.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("--out and --csv name the same file " + out);
    }
    DataSpec loaded = DataSpec.load(data, labels);
    double[] e = (eps == null ? TrainOptions.DEFAULT_EPS : eps).stream().mapToDouble(Double::doubleValue).toArray();
    try (CertifiedModel m = CertifiedModels.open(model, signature)) {
      DataSpec d = loaded.forInput(m.inputShape());
      Images images = preprocess(d);
      int n = limit == null ? images.count() : Math.min(limit, images.count());
      CliChecks.imagesFit(m.inputShape(), images.height(), images.width(), images.channels(), data);
      float[] logits = new float[n * m.outputs()];
      int chunk = 1000;
      try (Progress p = Progress.start("certify", n)) {
        for (int start = 0; start < n; start += chunk) {
          int b = Math.min(chunk, n - start);
          float[] x = Arrays.copyOfRange(images.pixels(), start * images.imageSize(),
              (start + b) * images.imageSize());
          System.arraycopy(m.logits(x, b), 0, logits, start * m.outputs(), b * m.outputs());
          p.stepBy(b);
        }
      }
      int[] y = d.labels() == null ? null : Arrays.copyOf(d.labels(), n);
      CertificationReport report = CertificationReport.of(m, logits, n, y, e);
      System.out.print(report.table(d.classNames()));
      System.out.print("Lipschitz bound per layer:\n" + m.bound().table());
      if (out != null) {
        report.writeJson(out, d.classNames());
      }
      if (csv != null) {
        report.writeCsv(csv);
      }
    }
    return 0;
  }

  private Images preprocess(DataSpec d) {
    return switch (preprocess) {
      case "auto" -> d.images();
      case "none" -> d.raw();
      default -> throw new IllegalArgumentException("--preprocess must be auto or none, got " + preprocess);
    };
  }
}
