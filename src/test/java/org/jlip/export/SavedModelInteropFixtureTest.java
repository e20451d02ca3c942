package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.NpyArray;
import org.jlip.data.NpyReader;
import org.jlip.data.NpyWriter;
import org.jlip.data.Split;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.GroupSort2Config;
import org.jlip.layers.HouseholderConfig;
import org.jlip.layers.InvertibleUpSamplingConfig;
import org.jlip.layers.SpectralConv2DConfig;
import org.jlip.layers.SpectralConv2DTransposeConfig;
import org.jlip.layers.SpectralDenseConfig;
import org.jlip.model.LossSpec;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.jlip.model.ModelSpec;
import org.jlip.model.TrainingSpec;
import org.jlip.train.Device;
import org.jlip.train.TrainOptions;
import org.jlip.train.Trainer;
import org.junit.jupiter.api.Test;

/**
 * Writes the fixtures src/test/python/run-interop.sh checks with Python TensorFlow and Keras, one folder each
 * under target/interop: inputs.npy, expected.json (the Java outputs of both signatures, and the SavedModel's
 * path). The committed Fashion-MNIST export and a fresh export of the same architecture run on 200 Fashion-MNIST
 * test images; a small random model covers a non-image input size.
 */
class SavedModelInteropFixtureTest {
  static final Path DIR = Path.of("target", "interop");
  static final Path COMMITTED = Path.of("savedmodels", "fmnist-hkr");
  private static final int IMAGES = 200;

  @Test
  void smallRandomModel() throws IOException {
    Path dir = DIR.resolve("small");
    long[] shape = {6, 6, 1};
    float[] x = ExportFixtures.inputs(64, shape, 21);
    try (ExportFixtures f = new ExportFixtures(List.of(6, 6, 1), 16, 4, true, 20)) {
      ModelBound bound = f.model.bound(f.session);
      SavedModelExporter.export(f.model, f.session, dir.resolve("model"), ExportOptions.fromBound(bound)
          .withClassNames(List.of("a", "b", "c", "d")).withOverwrite(true));
      write(dir, dir.resolve("model"), x, 64, shape, f.liveLogits(x, 64));
    }
  }

  /** Householder angles away from pi/2, so Python runs the reflection itself, not a sort. */
  @Test
  void householderModel() throws IOException {
    Path dir = DIR.resolve("householder");
    long[] shape = {6, 6, 1};
    float[] x = ExportFixtures.inputs(64, shape, 23);
    ModelSpec spec = new ModelSpec("householder", List.of(6, 6, 1), List.of(new FlattenConfig(),
        new SpectralDenseConfig(8), new HouseholderConfig(0.9, null), new FrobeniusDenseConfig(3)),
        null, false, null, null);
    exportInitial(dir, spec, 5, x, shape);
  }

  /**
   * A transposed convolution after a strided one, then depth-to-space: Python runs jlip's spread, pad, slice and
   * flipped kernel, and the up-sampling's reshapes.
   */
  @Test
  void transposedConvolutionModel() throws IOException {
    Path dir = DIR.resolve("transposed");
    long[] shape = {8, 8, 1};
    float[] x = ExportFixtures.inputs(64, shape, 25);
    ModelSpec spec = new ModelSpec("transposed", List.of(8, 8, 1), List.of(
        new SpectralConv2DConfig(4, List.of(3, 3), List.of(2, 2), null, null, null, null, null, null, null, null,
            null, null),
        new GroupSort2Config(), new SpectralConv2DTransposeConfig(4, 3, 2), new GroupSort2Config(),
        new InvertibleUpSamplingConfig(null, null), new FlattenConfig(), new FrobeniusDenseConfig(3)), null, false,
        null, null);
    exportInitial(dir, spec, 7, x, shape);
  }

  /** The model at its initial weights (seed), condensed, exported under dir/model with what Python compares. */
  private static void exportInitial(Path dir, ModelSpec spec, long seed, float[] x, long[] shape) throws IOException {
    TrainingSpec training = new TrainingSpec(LossSpec.of("MulticlassHKR"), null, null, null, null, null, null, 1);
    try (Trainer t = new Trainer(spec, new TrainOptions(training, seed, null, false, 0, 0, Device.CPU, null))) {
      t.session().initialize();
      t.condense();
      ModelBound bound = t.model().bound(t.session());
      SavedModelExporter.export(t.model(), t.session(), dir.resolve("model"),
          ExportOptions.fromBound(bound).withOverwrite(true));
      int n = x.length / (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      write(dir, dir.resolve("model"), x, n, shape,
          Inference.run(t.session(), t.model().input(), t.model().inferenceOutput(), x, n, shape));
    }
  }

  @Test
  void committedFashionMnistExport() throws IOException {
    assertTrue(Files.isRegularFile(COMMITTED.resolve("saved_model.pb")), "missing the committed export " + COMMITTED);
    Dataset test = FashionMnist.load(Split.TEST).take(IMAGES);
    write(DIR.resolve("committed"), COMMITTED, test.images(), IMAGES, new long[] {28, 28, 1}, null);
  }

  @Test
  void freshFashionMnistExport() throws IOException {
    ModelSpec spec = ModelJson.read(Path.of("examples", "fmnist-hkr.json"));
    Dataset train = FashionMnist.load(Split.TRAIN).take(128 * 20);
    Dataset test = FashionMnist.load(Split.TEST).take(IMAGES);
    Path model = DIR.resolve("fresh").resolve("model");
    try (Trainer t = new Trainer(spec, new TrainOptions(spec.training(), 3, null, false, 0, 0, Device.CPU, null))) {
      t.session().initialize();
      train.batches(128, true).forEach(t::step);
      t.condense();
      ModelBound bound = t.model().bound(t.session());
      SavedModelExporter.export(t.model(), t.session(), model,
          ExportOptions.fromBound(bound).withOverwrite(true).withClassNames(FashionMnist.CLASS_NAMES));
      float[] live = Inference.run(t.session(), t.model().input(), t.model().inferenceOutput(), test.images(),
          IMAGES, spec.inputShapeArray());
      write(DIR.resolve("fresh"), model, test.images(), IMAGES, new long[] {28, 28, 1}, live);
    }
  }

  /** Runs the export in Java (checking it against {@code live} when given) and writes what Python compares. */
  private static void write(Path dir, Path model, float[] images, int n, long[] shape, float[] live)
      throws IOException {
    Files.createDirectories(dir);
    float[] x = Arrays.copyOf(images, n * (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    CertifyResult c;
    try (ExportedModel m = ExportedModel.load(model)) {
      c = m.certify(x, n);
    }
    if (live != null) {
      assertArrayEquals(live, c.logits(), 1e-5f);
    }
    long[] full = new long[shape.length + 1];
    full[0] = n;
    System.arraycopy(shape, 0, full, 1, shape.length);
    NpyWriter.write(dir.resolve("inputs.npy"), x, full);
    NpyArray back = NpyReader.read(dir.resolve("inputs.npy"));
    assertEquals(x.length, back.data().length);
    ObjectNode expected = ModelJson.mapper().createObjectNode();
    expected.put("modelDir", model.toAbsolutePath().toString());
    ArrayNode logits = expected.putArray("logits");
    for (int i = 0; i < n; i++) {
      ArrayNode row = logits.addArray();
      for (int k = 0; k < c.outputs(); k++) {
        row.add(c.logits()[i * c.outputs() + k]);
      }
    }
    ArrayNode labels = expected.putArray("label");
    ArrayNode radii = expected.putArray("radius");
    for (int i = 0; i < n; i++) {
      labels.add(c.labels()[i]);
      radii.add(c.radii()[i]);
    }
    Files.writeString(dir.resolve("expected.json"), ModelJson.mapper().writeValueAsString(expected));
  }
}
