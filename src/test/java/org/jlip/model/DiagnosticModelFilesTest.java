package org.jlip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model descriptions behind the GPU/CPU loss controls (docs/gpu-measurements/models) claim to differ from an
 * example only in their loss: the controls' conclusion (which loss parts two runs) rests on that.
 */
class DiagnosticModelFilesTest {

  @ParameterizedTest
  @CsvSource({
      "fmnist-hkr-layers-ce.json, examples/fmnist-hkr.json, CategoricalCrossentropy",
      "fmnist-hkr-layers-kr.json, examples/fmnist-hkr.json, MulticlassKR",
      "fmnist-hkr-layers-hinge.json, examples/fmnist-hkr.json, MulticlassHinge",
      "fmnist-baseline-layers-hkr.json, examples/fmnist-baseline.json, MulticlassHKR"})
  void differsFromItsExampleOnlyInTheLoss(String file, String example, String loss) throws IOException {
    ModelSpec control = ModelJson.read(Path.of("docs/gpu-measurements/models", file));
    ModelSpec base = ModelJson.read(Path.of(example));
    assertEquals(loss, control.training().loss().type());
    assertNotEquals(base.training().loss(), control.training().loss());
    TrainingSpec sameLoss = new TrainingSpec(base.training().loss(), control.training().optimizer(),
        control.training().learningRate(), control.training().beta1(), control.training().beta2(),
        control.training().decay(), control.training().batchSize(), control.training().epochs());
    assertEquals(base.training(), sameLoss);
    assertEquals(base.layers(), control.layers());
    assertEquals(base.inputShape(), control.inputShape());
    assertEquals(base.kCoefLip(), control.kCoefLip());
    assertEquals(base.allowNonLipschitz(), control.allowNonLipschitz());
  }
}
