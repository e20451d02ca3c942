package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keras's default Flatten on a channels_first tensor flattens in (C, H, W) order: the fixtures
 * (src/test/python/make_keras_fixtures.py) must give Keras's logits, and what jlip cannot reorder is refused.
 */
class ChannelsFirstFlattenTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");

  /** A (C, H, W) flatten times the Keras kernel equals jlip's (H, W, C) flatten times the reordered kernel. */
  @Test
  void reorderedKernelReadsTheHwcVectorAsKerasReadsTheChwOne() {
    int h = 3;
    int w = 4;
    int c = 2;
    int units = 5;
    Random r = new Random(1);
    float[] kernel = new float[h * w * c * units];
    float[] image = new float[h * w * c];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) r.nextGaussian();
    }
    Weight reordered = ChannelsFirstFlatten.kernelRowsToHwc(new Weight(kernel, new long[] {h * w * c, units}),
        new long[] {h, w, c});
    for (int u = 0; u < units; u++) {
      double keras = 0;
      double jlip = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ch = 0; ch < c; ch++) {
            double v = image[(y * w + x) * c + ch];
            keras += v * kernel[((ch * h + y) * w + x) * units + u];
            jlip += v * reordered.values()[((y * w + x) * c + ch) * units + u];
          }
        }
      }
      assertEquals(keras, jlip, 1e-9, "unit " + u);
    }
    assertTrue(ChannelsFirstFlatten.reorders(new long[] {h, w, c}));
    assertFalse(ChannelsFirstFlatten.reorders(new long[] {28, 28, 1}), "one channel: the orders agree");
    assertFalse(ChannelsFirstFlatten.reorders(new long[] {1, 1, 8}), "one pixel: the orders agree");
  }

  @Test
  void defaultFlattenInAChannelsFirstModelGivesKerasLogits() throws IOException {
    try (ImportedModel m = KerasFileImporter.read(RESOURCES.resolve("flatten_default_channels_first.keras"))) {
      assertTrue(m.channelsFirst());
      assertArrayEquals(new long[] {28, 28, 1}, m.inputShape());
      KerasInferenceLayersTest.assertLogits("flatten_default_channels_first", m.logits(Fixtures.pattern(784), 1)[0]);
    }
  }

  /** A BatchNormalization between them has per-feature parameters in (C, H, W) order: refused, naming the fix. */
  @Test
  void aLayerThatCannotBeReorderedIsRefused() {
    var e = assertThrows(UnsupportedModelException.class,
        () -> KerasFileImporter.read(RESOURCES.resolve("flatten_default_channels_first_bn.keras")));
    assertTrue(e.getMessage().contains("layer 'bn' (BatchNormalization)")
        && e.getMessage().contains("Flatten(data_format=\"channels_first\")"), e.getMessage());
  }
}
