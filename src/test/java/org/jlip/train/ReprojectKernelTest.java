package org.jlip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jlip.data.Batch;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * reprojectKernel: each constrained kernel is set to its W_bar, then Adam's step (for the gradient at the old kernel)
 * is applied to it. Checked against a run without it from the same seed and batch: both take the same first
 * step, so after one update (kernel - W_bar) with reprojection equals (kernel - initial kernel) without it. The
 * small convnet's convolutions hold W_bar = 0.34 x the normalised kernel, far from their kernels, so a run that
 * skipped the reprojection, or reprojected after the update, fails.
 */
class ReprojectKernelTest {

  @Test
  void theFirstUpdateStartsFromWbar() throws IOException {
    ModelSpec spec = ModelJson.read(Path.of("examples", "fmnist-hkr.json"));
    Batch batch = FashionMnist.load(Split.TRAIN).take(64).batches(64, false).iterator().next();
    TrainingSpec free = spec.training();
    TrainingSpec reprojected = new TrainingSpec(free.loss(), free.optimizer(), free.learningRate(), free.beta1(),
        free.beta2(), free.decay(), free.batchSize(), free.epochs(), free.lossSchedule(), true);
    assertFalse(free.reprojectKernel());
    try (Trainer a = new Trainer(spec, new TrainOptions(reprojected, 5, null, false, 1, 1, Device.CPU, null));
        Trainer b = new Trainer(spec, new TrainOptions(free, 5, null, false, 1, 1, Device.CPU, null))) {
      a.session().initialize();
      b.session().initialize();
      Map<Variable<TFloat32>, Variable<TFloat32>> kernelsA = a.model().constrainedKernels();
      List<Variable<TFloat32>> kernelsB = List.copyOf(b.model().constrainedKernels().keySet());
      assertEquals(4, kernelsA.size(), "three spectral kernels and the Frobenius head");
      float[][] initial = kernelsB.stream().map(k -> read(b.session(), k)).toArray(float[][]::new);
      assertEquals(b.step(batch), a.step(batch), 0f, "the first forward pass is the same");
      int i = 0;
      double farthest = 0;
      for (Map.Entry<Variable<TFloat32>, Variable<TFloat32>> e : kernelsA.entrySet()) {
        float[] kernel = read(a.session(), e.getKey());
        float[] wbar = read(a.session(), e.getValue());
        float[] freeKernel = read(b.session(), kernelsB.get(i));
        double gap = 0;
        for (int j = 0; j < kernel.length; j++) {
          float stepWithReprojection = kernel[j] - wbar[j];
          float stepWithout = freeKernel[j] - initial[i][j];
          assertEquals(stepWithout, stepWithReprojection, 2e-6, e.getKey().op().name() + "[" + j + "]");
          // Adam's first step is lr g / (|g| + eps): at most the learning rate.
          assertTrue(Math.abs(stepWithReprojection) <= 1e-3 * (1 + 1e-4), e.getKey().op().name() + "[" + j + "]");
          gap = Math.max(gap, Math.abs(wbar[j] - initial[i][j]));
        }
        farthest = Math.max(farthest, gap);
        i++;
      }
      assertTrue(farthest > 0.1, "W_bar should be far from the initial kernel somewhere, largest gap " + farthest);
      float second = a.step(batch);
      assertTrue(Math.abs(second - b.step(batch)) > 1e-4, "the second steps start from different kernels");
    }
  }

  private static float[] read(Session session, Variable<TFloat32> v) {
    try (Result r = session.runner().fetch(v).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }
}
