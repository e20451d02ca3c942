package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Optional;
import org.jlip.certify.CertificateRule;
import org.jlip.certify.CertificatesJava;
import org.junit.jupiter.api.Test;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class KerasSavedModelTest {

  @Test
  void fashionMlpReproducesReadmeBoundLogitsAndRadius() throws Exception {
    Path dir = Fixtures.require("keras_fmnist_mlp_logits/fashion_mnist_model");
    try (LoadedModel m = KerasSavedModel.load(dir)) {
      assertEquals(158.13159, m.lipschitzBound(), 158.13159e-3);
      assertEquals(CertificateRule.SQRT2, m.rule());
      assertEquals(Optional.empty(), m.finalActivationRemoved());
      float[] expected = {0.622831f, 2.56701f, -3.69951f, -4.18493f, -6.92553f, -12.9646f, 1.55766f, -16.9247f,
          3.94760f, -9.56793f};
      float[][] logits = m.logits(Fixtures.pattern(784), 1);
      assertArrayEquals(expected, logits[0], 1e-4f);
      var r = CertificatesJava.predicted(logits, m.rule(), m.lipschitzBound());
      assertEquals(8, r.labels()[0]);
      assertEquals(1.380589 / (Math.sqrt(2) * 158.13159), r.radius()[0], 1e-5);
      assertEquals(0.0061735, r.radius()[0], 1e-6);
    }
  }

  @Test
  void rebuiltGraphsMatchTheLoadedModels() throws Exception {
    for (String f : new String[] {"keras_fmnist_mlp_logits/fashion_mnist_model", "keras_mnist_mlp_tf21/mnist_model",
        "keras_mnist_cnn_batchnorm/model"}) {
      Path dir = Fixtures.require(f);
      try (LoadedModel m = KerasSavedModel.load(dir);
          SavedModelBundle b = SavedModelBundle.load(dir.toString(), "serve")) {
        int n = 3;
        long per = java.util.Arrays.stream(m.inputShape()).reduce(1, (x, y) -> x * y);
        float[] x = new float[(int) (n * per)];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
          x[i] = rnd.nextFloat();
        }
        float[][] ours = m.logits(x, n);
        long[] shape = new long[m.inputShape().length + 1];
        shape[0] = n;
        System.arraycopy(m.inputShape(), 0, shape, 1, m.inputShape().length);
        var sig = b.function("serving_default").signature();
        String in = sig.inputNames().iterator().next();
        String out = sig.outputNames().iterator().next();
        float[] theirs = new float[ours.length * ours[0].length];
        try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(x, true, false));
            var res = b.function("serving_default").call(Map.of(in, (Tensor) t))) {
          ((TFloat32) res.get(out).get()).copyTo(DataBuffers.of(theirs, false, false));
        }
        for (int i = 0; i < n; i++) {
          float[] expected = m.finalActivationRemoved().isPresent() ? softmax(ours[i]) : ours[i];
          float[] actual = java.util.Arrays.copyOfRange(theirs, i * ours[i].length, (i + 1) * ours[i].length);
          for (int j = 0; j < actual.length; j++) {
            // 1e-5 relative to the logit's size: float32 sums of 784 products differ in the last bit.
            assertEquals(actual[j], expected[j], 1e-5 * Math.max(1, Math.abs(actual[j])), f + " sample " + i);
          }
        }
        assertTrue(Double.isFinite(m.lipschitzBound()) && m.lipschitzBound() > 1, f);
      }
    }
  }

  @Test
  void batchNormCnnBoundsEveryLayerAndStripsSoftmax() throws Exception {
    try (LoadedModel m = KerasSavedModel.load(Fixtures.require("keras_mnist_cnn_batchnorm/model"))) {
      assertEquals(Optional.of("softmax"), m.finalActivationRemoved());
      var methods = m.layerBounds().layers().stream().map(b -> b.method()).toList();
      assertEquals(3, methods.stream().filter("dft"::equals).count());
      assertEquals(3, methods.stream().filter("diagonal"::equals).count());
      m.layerBounds().layers().forEach(b -> assertTrue(b.estimate() <= b.measured() + 1e-9, b.toString()));
      assertEquals(m.layerBounds().measured(), m.lipschitzBound(), 0);
    }
  }

  @Test
  void moduleWithoutServingDefaultOrWithScalarInputsIsAClearError() {
    Path dir = Fixtures.require("tfjava_add_and_variable/model");
    var e = assertThrows(UnsupportedModelException.class, () -> KerasSavedModel.load(dir));
    assertTrue(e.getMessage().contains("no signature 'serving_default'") && e.getMessage().contains("add"),
        e.getMessage());
    var two = assertThrows(UnsupportedModelException.class, () -> KerasSavedModel.load(dir, "add"));
    assertTrue(two.getMessage().contains("2 inputs"), two.getMessage());
    var scalar = assertThrows(UnsupportedModelException.class, () -> KerasSavedModel.load(dir, "get_variable"));
    assertTrue(scalar.getMessage().contains("input has shape"), scalar.getMessage());
  }

  private static float[] softmax(float[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double s = 0;
    double[] e = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      e[i] = Math.exp(z[i] - max);
      s += e[i];
    }
    float[] out = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = (float) (e[i] / s);
    }
    return out;
  }
}
