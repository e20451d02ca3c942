package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jlip.attack.CertificateSoundness;
import org.jlip.attack.MinimalNorm;
import org.jlip.attack.MinimalNormConfig;
import org.jlip.attack.MinimalNormResult;
import org.jlip.certify.CertificationReport;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates against attacks: on trained HKR models (multi-class and binary) and on deel-lip's models, no
 * adversarial example is found inside a sample's sound certified radius, and a planted bug (radii x3) is caught;
 * the unconstrained baseline breaks at clearly smaller L2 norms than the HKR model.
 */
class AttackSoundnessTest {
  private static final int N = 60;
  private static Dataset train;
  private static Dataset test;
  @TempDir static Path dir;

  @BeforeAll
  static void data() throws IOException {
    train = FashionMnist.load(Split.TRAIN).take(3000);
    test = FashionMnist.load(Split.TEST).take(N);
  }

  /** Trains {@code model} briefly into dir/name and returns the run directory. */
  private static Path trainRun(String model, String name, Dataset trainSet, Dataset val, int epochs)
      throws IOException {
    ModelSpec spec = ModelJson.read(Path.of("examples", model));
    TrainingSpec t = spec.training();
    TrainingSpec shorter = new TrainingSpec(t.loss(), t.optimizer(), t.learningRate(), t.beta1(), t.beta2(),
        t.decay(), t.batchSize(), epochs);
    Path out = dir.resolve(name);
    try (Trainer trainer = new Trainer(spec, new TrainOptions(shorter, 5, out, false, 0, 0, Device.CPU, null))) {
      trainer.fit(trainSet, val);
    }
    return out;
  }

  /**
   * Radii against the labels with the measured bound: no violation; with {@code planted}, radii x3 must be caught
   * (only meaningful on a model trained long enough for its certificates to be within 3x of the attacks).
   */
  private static void assertSound(Path model, float[] x, int[] y, String what) throws IOException {
    assertSound(model, x, y, what, true);
  }

  private static void assertSound(Path model, float[] x, int[] y, String what, boolean planted)
      throws IOException {
    try (AttackTarget t = AttackTarget.open(model, 28, 28, 1)) {
      CertificationReport cert = CertificationReport.of(t.certified, t.certified.logits(x, y.length), y.length, y,
          new double[] {0.1});
      double[] radii = new double[y.length];
      double[] tripled = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        radii[i] = cert.radiusVsLabel()[i];
        tripled[i] = 3 * radii[i];
      }
      List<?> violations = CertificateSoundness.check(t.classifier, x, y, radii, MinimalNormConfig.defaults());
      List<?> bug = planted ? CertificateSoundness.check(t.classifier, x, y, tripled, MinimalNormConfig.defaults())
          : List.of();
      System.out.printf("%s: L = %.4f, accuracy %.2f, %d violations with the sound radii, %d with radii x3%n", what,
          t.certified.bound().measured(), cert.measured().accuracy(), violations.size(), bug.size());
      assertTrue(violations.isEmpty(), what + ": adversarial examples inside the certified radius: " + violations);
      assertTrue(!planted || !bug.isEmpty(), what + ": radii x3 went unnoticed: the check cannot fail");
    }
  }

  @Test
  void hkrMulticlassCertificatesHoldAndTheBaselineBreaksSooner() throws IOException {
    // The committed export: trained 10 epochs by jlip (savedmodels/README.md).
    Path hkr = Path.of("savedmodels", "fmnist-hkr");
    assertSound(hkr, test.images(), test.labels(), "HKR multi-class (committed export)");
    Path fresh = trainRun("fmnist-hkr.json", "hkr", train, test, 1);
    assertSound(fresh, test.images(), test.labels(), "HKR multi-class (1 epoch on 3000 images, training run)",
        false);

    // What the attack shows (measured here; savedmodels/README.md and the closing note give the numbers): the
    // unconstrained baseline is broken at about half the L2 norm the HKR model needs, but not below the HKR
    // model's certificates (its median adversarial norm, about 0.5-0.6, is above the HKR median certificate of
    // about 0.3), so the test checks the comparison of attacks, not that stronger claim. That the attack is not
    // the limit is checked by src/test/python/minimal_norm.py: an independent Carlini-Wagner attack finds no
    // clearly smaller adversarial examples on a baseline.
    Path base = trainRun("fmnist-baseline.json", "baseline", FashionMnist.load(Split.TRAIN).take(20000), test, 2);
    Robustness hkrRobustness = robustness(hkr);
    double[] baseNorms = robustness(base).adversarialNorms();
    double hkrMedian = hkrRobustness.adversarialNorms()[N / 2];
    double baseMedian = baseNorms[N / 2];
    double hkrCertificate = hkrRobustness.medianCertificate();
    long below = Arrays.stream(baseNorms).filter(v -> v < hkrCertificate).count();
    System.out.printf("median smallest adversarial norm: HKR %.4f, baseline %.4f; HKR median certificate %.4f;"
        + " baseline samples broken below it: %d of %d%n", hkrMedian, baseMedian, hkrCertificate, below, N);
    assertTrue(Double.isFinite(baseMedian), "the attack failed on most baseline samples");
    assertTrue(baseMedian < 0.8 * hkrMedian, "baseline median adversarial norm " + baseMedian
        + " not clearly below the HKR model's " + hkrMedian);
  }

  /**
   * @param adversarialNorms sorted smallest adversarial norms found per sample (0 for misclassified samples)
   * @param medianCertificate median of the sound certified radius against the label (0 when misclassified)
   */
  private record Robustness(double[] adversarialNorms, double medianCertificate) {}

  private static Robustness robustness(Path model) throws IOException {
    try (AttackTarget t = AttackTarget.open(model, 28, 28, 1)) {
      MinimalNormResult m = MinimalNorm.run(t.classifier, test.images(), test.labels(), MinimalNormConfig.defaults());
      CertificationReport cert = CertificationReport.of(t.certified, t.certified.logits(test.images(), N), N,
          test.labels(), new double[] {0.1});
      double[] norms = new double[N];
      double[] radii = new double[N];
      for (int i = 0; i < N; i++) {
        norms[i] = m.cleanPrediction()[i] != test.labels()[i] ? 0 : m.norm()[i];
        radii[i] = Math.max(cert.radiusVsLabel()[i], 0);
      }
      Arrays.sort(norms);
      Arrays.sort(radii);
      return new Robustness(norms, radii[N / 2]);
    }
  }

  @Test
  void hkrBinaryCertificatesHold() throws IOException {
    Path run = trainRun("binary-dense-hkr.json", "binary", FashionMnist.load(Split.TRAIN).binary(0, 6).take(4000),
        FashionMnist.load(Split.TEST).binary(0, 6), 2);
    Dataset b = FashionMnist.load(Split.TEST).binary(0, 6).take(N);
    assertSound(run, b.images(), b.labels(), "HKR binary (T-shirt vs shirt)");
  }

  @Test
  void deelLipModelsCertificatesHoldOnFashionMnistImages() throws IOException {
    Path models = Path.of("..", "shared", "models", "python", "deel_lip_keras3");
    assertTrue(Files.isDirectory(models), "missing fixtures " + models);
    List<Path> files;
    try (Stream<Path> s = Files.list(models)) {
      files = s.filter(p -> p.toString().endsWith(".keras") && !p.toString().contains("vanilla")).sorted().toList();
    }
    for (Path f : files) {
      int[] predicted = new int[N];
      try (AttackTarget t = AttackTarget.open(f, 28, 28, 1)) {
        // MNIST models see Fashion-MNIST images: a certificate holds for any input, so the labels are what
        // the model predicts (binary heads: class 1 when the logit is positive).
        float[] logits = t.certified.logits(test.images(), N);
        int k = t.certified.outputs();
        for (int i = 0; i < N; i++) {
          int best = 0;
          for (int j = 1; j < k; j++) {
            best = logits[i * k + j] > logits[i * k + best] ? j : best;
          }
          predicted[i] = k == 1 ? (logits[i] > 0 ? 1 : 0) : best;
        }
      }
      assertSound(f, test.images(), predicted, f.getFileName().toString());
    }
  }
}
