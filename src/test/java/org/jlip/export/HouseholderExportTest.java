package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.layers.AbstractLipLayer;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.Householder;
import org.jlip.layers.HouseholderConfig;
import org.jlip.layers.LipLayer;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.LossSpec;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model with a Householder activation trains its angles, exports them, and certifies from the export. */
class HouseholderExportTest {

  @Test
  void trainedAnglesTravelIntoTheExport(@TempDir Path dir) throws IOException {
    Dataset train = FashionMnist.load(Split.TRAIN).take(600);
    Dataset test = FashionMnist.load(Split.TEST).take(100);
    ModelSpec spec = new ModelSpec("householder", List.of(28, 28, 1), List.of(new FlattenConfig(),
        new SpectralDenseConfig(16), new HouseholderConfig(null, null), new FrobeniusDenseConfig(10)),
        null, false, null, null);
    TrainingSpec t = new TrainingSpec(LossSpec.of("MulticlassHKR"), null, 1e-2, null, null, null, 50, 2);
    try (Trainer trainer = new Trainer(spec, new TrainOptions(t, 3, null, false, 1, 1, Device.CPU, null))) {
      trainer.fit(train, test);
      Householder h = (Householder) trainer.model().layers().stream().filter(l -> l instanceof Householder)
          .findFirst().orElseThrow();
      float[] angles = h.vanillaWeights(trainer.session()).get("theta");
      assertTrue(Arrays.stream(toDoubles(angles)).anyMatch(a -> Math.abs(a - Math.PI / 2) > 1e-3),
          "training moved no angle: " + Arrays.toString(angles));
      ModelBound bound = trainer.model().bound(trainer.session());
      SavedModelExporter.export(trainer.model(), trainer.session(), dir.resolve("export"),
          ExportOptions.fromBound(bound));
      float[] expected = Inference.run(trainer.session(), trainer.model().input(), trainer.model().inferenceOutput(),
          test.images(), test.size(), new long[] {28, 28, 1});
      try (ExportCertifiedModel exported = ExportCertifiedModel.open(dir.resolve("export"));
          ExportedBounds rebuilt = ExportedBounds.rebuild(dir.resolve("export"))) {
        assertArrayEquals(expected, exported.logits(test.images(), test.size()), 1e-5f);
        assertEquals(bound.measured(), exported.bound().measured(), 1e-6);
        LipLayer rebuiltHouseholder = rebuilt.model().layers().get(2);
        assertEquals(List.of("theta"),
            List.copyOf(((AbstractLipLayer<?>) rebuiltHouseholder).variablesByRole().keySet()));
        assertArrayEquals(angles, ((Householder) rebuiltHouseholder).vanillaWeights(rebuilt.session()).get("theta"));
      }
    }
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
