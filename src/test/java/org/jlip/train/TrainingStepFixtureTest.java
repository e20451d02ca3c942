package org.jlip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jlip.data.Batch;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Writes target/interop/training-steps for src/test/python/training_steps.py, which re-implements the small
 * Fashion-MNIST HKR convnet and its training step in Keras from NUMERICS.md (deel-lip's formulas), starts from
 * these initial variables and runs the same batches: its losses must equal jlip's, step for step. Here: the
 * initial variables (raw little-endian float32 plus shapes), the images and labels of the batches, and the loss
 * jlip's step returned for each batch; then the losses of the same steps with reprojectKernel, which the script
 * compares with a Keras model whose layers assign W_bar to their kernel in the forward pass, as deel-lip 2.x's do
 * on Keras 3.
 */
class TrainingStepFixtureTest {
  static final Path DIR = Path.of("target", "interop", "training-steps");
  private static final int STEPS = 20;
  private static final int BATCH = 128;

  @Test
  void hkrConvnetTwentySteps() throws IOException {
    ModelSpec spec = ModelJson.read(Path.of("examples", "fmnist-hkr.json"));
    Dataset data = FashionMnist.load(Split.TRAIN).take(STEPS * BATCH);
    Files.createDirectories(DIR);
    ObjectNode manifest = ModelJson.mapper().createObjectNode();
    manifest.put("model", "examples/fmnist-hkr.json").put("batch", BATCH).put("learningRate", 1e-3);
    List<Float> losses = new ArrayList<>();
    try (Trainer t = new Trainer(spec, new TrainOptions(spec.training(), 42, null, false, 1, 1, Device.CPU, null))) {
      t.session().initialize();
      ObjectNode vars = manifest.putObject("variables");
      List<Variable<TFloat32>> all = new ArrayList<>(t.model().trainableVariables());
      all.addAll(t.model().stateVariables());
      for (Variable<TFloat32> v : all) {
        try (Result r = t.session().runner().fetch(v).run()) {
          TFloat32 x = (TFloat32) r.get(0);
          float[] values = new float[(int) x.size()];
          x.copyTo(DataBuffers.of(values, false, false));
          String name = v.op().name();
          writeFloats(DIR.resolve(name + ".f32"), values);
          vars.putPOJO(name, x.shape().asArray());
        }
      }
      writeFloats(DIR.resolve("images.f32"), data.images());
      manifest.putPOJO("labels", data.labels());
      int s = 0;
      for (Batch b : data.batches(BATCH, false)) {
        losses.add(t.step(b));
        s++;
      }
      assertEquals(STEPS, s);
    }
    manifest.putPOJO("losses", losses);
    List<Float> reprojected = reprojectedLosses(spec, data);
    assertEquals(losses.get(0), reprojected.get(0), "the first forward pass is before any reprojection");
    manifest.putPOJO("lossesReprojected", reprojected);
    Files.writeString(DIR.resolve("steps.json"), ModelJson.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(manifest));
    // The Python check compares step by step; here, that the run trains at all.
    assertTrue(losses.get(STEPS - 1) < 0.5 * losses.get(0), "HKR loss did not fall: " + losses);
    assertTrue(losses.stream().allMatch(Float::isFinite), losses.toString());
  }

  private static List<Float> reprojectedLosses(ModelSpec spec, Dataset data) {
    TrainingSpec t = spec.training();
    TrainingSpec reprojected = new TrainingSpec(t.loss(), t.optimizer(), t.learningRate(), t.beta1(), t.beta2(),
        t.decay(), t.batchSize(), t.epochs(), t.lossSchedule(), true);
    List<Float> losses = new ArrayList<>();
    try (Trainer t2 = new Trainer(spec, new TrainOptions(reprojected, 42, null, false, 1, 1, Device.CPU, null))) {
      t2.session().initialize();
      for (Batch b : data.batches(BATCH, false)) {
        losses.add(t2.step(b));
      }
    }
    return losses;
  }

  private static void writeFloats(Path file, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    Files.write(file, b.array());
  }
}
