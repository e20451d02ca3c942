package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jlip.certify.CertificateRule;
import org.jlip.layers.AbstractLipLayer;
import org.jlip.layers.Condensable;
import org.jlip.layers.DenseConfig;
import org.jlip.layers.FlattenConfig;
import org.jlip.layers.FrobeniusDenseConfig;
import org.jlip.layers.LayerBound;
import org.jlip.layers.LayerConfig;
import org.jlip.layers.LipLayer;
import org.jlip.layers.MaxMinConfig;
import org.jlip.layers.ScaledAveragePooling2DConfig;
import org.jlip.model.LipschitzSequential;
import org.jlip.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The export computes the model's function: coefficients folded into condensed weights, kCoefLip shares kept on
 * weightless layers, and a layer that condenses wrongly is caught before anything is written.
 */
class CondensedFunctionTest {
  @TempDir Path tmp;

  /** y = c * x W: a constrained-layer stand-in whose coefficient c must be folded into the exported kernel. */
  record ScaledConfig(int units, float scale, boolean foldScale, String name) implements LayerConfig {
    /** Not in the registry: only the export's metadata names it. */
    @Override
    public String type() {
      return "ScaledForTest";
    }

    @Override
    public LipLayer create() {
      return new Scaled(this);
    }
  }

  static final class Scaled extends AbstractLipLayer<ScaledConfig> implements Condensable {
    private Variable<TFloat32> kernel;

    Scaled(ScaledConfig config) {
      super(config, "scaled");
    }

    @Override
    protected long[] doBuild(Ops tf, long[] inputShape, long seed) {
      int in = (int) inputShape[0];
      float[] w = new float[in * config.units()];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) Math.sin(i + 1.0);
      }
      kernel = trainableVariable(tf, "kernel", new long[] {in, config.units()}, w);
      return new long[] {config.units()};
    }

    @Override
    public Operand<TFloat32> call(Ops tf, Operand<TFloat32> x, boolean training) {
      return tf.math.mul(tf.linalg.matMul(x, tf.identity(kernel)), tf.constant(config.scale()));
    }

    @Override
    public LayerBound bound(Session session) {
      throw new UnsupportedOperationException("not needed here");
    }

    @Override
    public LayerConfig vanillaConfig() {
      return new DenseConfig(config.units(), false, name());
    }

    @Override
    public Map<String, float[]> vanillaWeights(Session session) {
      float[] w = read(session, kernel);
      if (config.foldScale()) {
        for (int i = 0; i < w.length; i++) {
          w[i] *= config.scale();
        }
      }
      return Map.of("kernel", w);
    }
  }

  @Test
  void foldedCoefficientsAndKCoefLipSharesReproduceTheModel() throws IOException {
    // kCoefLip 9 over 2 Lipschitz layers: the pooling keeps its share 3 in the plain model
    float[] exported = exportAndCompare(new ScaledConfig(3, 2.5f, true, null), 9.0, tmp.resolve("ok"));
    assertEquals(3 * 5, exported.length);
  }

  @Test
  void aLayerThatCondensesWronglyIsRefusedAndNothingIsWritten() throws IOException {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> exportAndCompare(new ScaledConfig(3, 2.5f, false, null), null, tmp.resolve("bad")));
    assertTrue(e.getMessage().contains("does not reproduce"), e.getMessage());
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.toList());
    }
  }

  /**
   * Flatten takes no share of kCoefLip and MaxMin does: the plain model must spread the shares over the same
   * layers as the trained one (8^(1/3) each on the pooling, MaxMin and the FrobeniusDense head), or MaxMin's
   * output changes.
   */
  @Test
  void kCoefLipSharesSkipTheLayersFixedAtOne() throws IOException {
    float[] exported = exportAndCompare(List.of(new ScaledAveragePooling2DConfig(), new FlattenConfig(),
        new MaxMinConfig(null, null, null), new FrobeniusDenseConfig(3)), 8.0, tmp.resolve("shares"));
    assertEquals(3 * 5, exported.length);
  }

  /** A model without weights (pooling, Flatten) has no variables to initialise, and still exports. */
  @Test
  void aWeightFreeModelExports() throws IOException {
    float[] exported = exportAndCompare(List.of(new ScaledAveragePooling2DConfig(), new FlattenConfig()), 2.0,
        tmp.resolve("weight-free"));
    assertEquals(8 * 5, exported.length);
  }

  private static float[] exportAndCompare(ScaledConfig head, Double kCoefLip, Path dir) throws IOException {
    return exportAndCompare(List.of(new ScaledAveragePooling2DConfig(), new FlattenConfig(), head), kCoefLip, dir);
  }

  private static float[] exportAndCompare(List<LayerConfig> layers, Double kCoefLip, Path dir) throws IOException {
    ModelSpec spec = new ModelSpec("scaled", List.of(4, 4, 2), layers, kCoefLip, true, null, null);
    try (Graph g = new Graph(); Session s = new Session(g, false)) {
      LipschitzSequential model = new LipschitzSequential(spec);
      model.build(Ops.create(g), 0);
      s.initialize();
      float[] x = ExportFixtures.inputs(5, new long[] {4, 4, 2}, 8);
      float[] live = Inference.run(s, model.input(), model.inferenceOutput(), x, 5, new long[] {4, 4, 2});
      SavedModelExporter.export(model, s, dir, ExportOptions.of(1, CertificateRule.SQRT2));
      try (ExportedModel m = ExportedModel.load(dir)) {
        float[] got = m.logits(x, 5);
        assertArrayEquals(live, got, 1e-5f);
        return got;
      }
    }
  }
}
