import java.nio.file.Path;
import java.util.List;
import org.jlip.certify.CertificationReport;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.export.ExportCertifiedModel;
import org.jlip.export.ExportOptions;
import org.jlip.export.SavedModelExporter;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.ScaledL2NormPooling2DConfig;
import org.jlip.layers.SpectralConv2DConfig;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.LossSpec;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;

/**
 * examples/fmnist-hkr.json through the API: train deel-lip's small Fashion-MNIST convnet with MulticlassHKR,
 * export it as a SavedModel and certify the test set with the measured Lipschitz bound.
 * Run: java -cp target/jlip.jar:target/lib/*:target/test-classes TrainFashionMnist [epochs] [outDir]
 */
public final class TrainFashionMnist {
  private TrainFashionMnist() {}

  public static void main(String[] args) throws Exception {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path out = Path.of(args.length > 1 ? args[1] : "runs/api-example");
    ModelSpec spec = new ModelSpec("fmnist-hkr-api", List.of(28, 28, 1), List.of(
        new SpectralConv2DConfig(16, 3), new GroupSort2Config(), new ScaledL2NormPooling2DConfig(),
        new SpectralConv2DConfig(32, 3), new GroupSort2Config(), new ScaledL2NormPooling2DConfig(),
        new FlattenConfig(),
        new SpectralDenseConfig(64), new GroupSort2Config(),
        new FrobeniusDenseConfig(10, false, true, null, null)),
        null, null, FashionMnist.CLASS_NAMES, null);
    TrainingSpec training = new TrainingSpec(new LossSpec("MulticlassHKR", 100.0, 0.5, null, null, null),
        "adam", 1e-3, null, null, null, 128, epochs);
    Dataset train = FashionMnist.load(Split.TRAIN);
    Dataset test = FashionMnist.load(Split.TEST);
    try (Trainer trainer = new Trainer(spec, new TrainOptions(training, 42, out, false, 0, 0, Device.AUTO, null))) {
      trainer.fit(train, test);
      ModelBound bound = trainer.model().bound(trainer.session());
      System.out.print(bound.table());
      SavedModelExporter.export(trainer.model(), trainer.session(), out.resolve("savedmodel"),
          ExportOptions.fromBound(bound).withOverwrite(true).withClassNames(FashionMnist.CLASS_NAMES));
    }
    try (ExportCertifiedModel model = ExportCertifiedModel.open(out.resolve("savedmodel"))) {
      float[] logits = model.logits(test.images(), test.size());
      System.out.print(CertificationReport.of(model, logits, test.size(), test.labels(),
          TrainOptions.DEFAULT_EPS.stream().mapToDouble(Double::doubleValue).toArray()).table(test.classNames()));
    }
  }
}
