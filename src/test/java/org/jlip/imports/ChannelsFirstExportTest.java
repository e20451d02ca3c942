package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A channels_first Keras model exported (src/test/python/make_keras_fixtures.py: channels_first_export): NCHW
 * Conv2D and BiasAdd, Transposes around the pooling, the depthwise convolution and Flatten; 3 channels and
 * H != W. jlip takes NHWC images and transposes them into the model's layout.
 */
class ChannelsFirstExportTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final int C = 3;
  private static final int H = 12;
  private static final int W = 10;

  @Test
  void readsNhwcImagesAndReproducesKerasWithTheKerasFilesBound() throws IOException {
    var refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("channels_first_export");
    float[] nhwc = Fixtures.nchwPattern(C, H, W);
    try (LoadedModel saved = ModelLoader.load(RESOURCES.resolve("channels_first_export"));
        LoadedModel file = ModelLoader.load(RESOURCES.resolve("channels_first_export.keras"))) {
      assertArrayEquals(new long[] {H, W, C}, saved.inputShape());
      float[] got = saved.logits(nhwc, 1)[0];
      for (int k = 0; k < 5; k++) {
        // measured: 3.6e-7 (float32 against Keras's float32)
        assertEquals(refs.get(k).asDouble(), got[k], 1e-5, "logit " + k);
      }
      assertEquals(file.lipschitzBound(), saved.lipschitzBound(), 1e-6 * file.lipschitzBound());
      int n = 16;
      int size = C * H * W;
      float[] xs = Fixtures.pairs(n, size, new Random(3));
      float[][] a = saved.logits(xs, 2 * n);
      float[][] b = file.logits(xs, 2 * n);
      for (int i = 0; i < 2 * n; i++) {
        for (int k = 0; k < 5; k++) {
          assertEquals(b[i][k], a[i][k], 1e-5, "sample " + i + " logit " + k);
        }
      }
      double worst = Fixtures.steepestChange(xs, a, n, size);
      assertTrue(worst > 0 && worst <= saved.lipschitzBound(), worst + " vs " + saved.lipschitzBound());
    }
  }

  @Test
  void itsServedSignatureIsFedNchwFromNhwcImages() throws IOException {
    // Without a softmax the certified logits are the SavedModel's own, which reads NCHW: opening checks them against
    // the rebuilt graph on random probes, and certify and attack feed jlip's NHWC images through them.
    var refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile())
        .path("channels_first_export");
    try (ImportedCertifiedModel m = ImportedCertifiedModel.open(RESOURCES.resolve("channels_first_export"))) {
      assertArrayEquals(new long[] {H, W, C}, m.inputShape());
      float[] got = m.logits(Fixtures.nchwPattern(C, H, W), 1);
      for (int k = 0; k < 5; k++) {
        assertEquals(refs.get(k).asDouble(), got[k], 1e-5, "logit " + k);
      }
    }
  }

  @Test
  void tensorFlowWrittenNchwWithBroadcastBiasAndScaleIsRead() throws IOException {
    // tf_module_nchw: Conv2D NCHW, + b of shape [C, 1, 1], * s of shape [1, C, 1, 1] (some negative), ReLU, dense.
    var refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile()).path("tf_module_nchw");
    try (LoadedModel m = ModelLoader.load(RESOURCES.resolve("tf_module_nchw"))) {
      assertArrayEquals(new long[] {H, W, C}, m.inputShape());
      float[] got = m.logits(Fixtures.nchwPattern(C, H, W), 1)[0];
      for (int k = 0; k < 5; k++) {
        // measured: 8.3e-7
        assertEquals(refs.get(k).asDouble(), got[k], 1e-5, "logit " + k);
      }
      Fixtures.assertBoundHolds(m, 16, C * H * W, 8, "");
    }
  }


  /**
   * Exports whose first step is not the NCHW -> NHWC transpose (make_channels_first_entry_fixtures.py): a Rescaling
   * and a padding come first, or the input feeds two convolutions. They read NCHW all the same, so jlip takes NHWC
   * images [6, 5, 2] as it does from the .keras files; the reference inputs are NHWC. Global average and max pooling
   * of NCHW activations (a Mean or Max over axes 2 and 3 in the export) read the same as from the .keras files.
   */
  @Test
  void exportsThatBeginWithOtherStepsStillReadNhwcImages() throws IOException {
    Path dir = RESOURCES.resolve("channels_first_entry");
    var refs = new ObjectMapper().readTree(dir.resolve("reference-logits.json").toFile());
    for (String name : new String[] {"rescaled", "branched", "pooled_average", "pooled_max"}) {
      float[] inputs = Fixtures.referenceInputs(refs.path(name).path("inputs"));
      try (LoadedModel saved = ModelLoader.load(dir.resolve(name + "_export"));
          LoadedModel file = ModelLoader.load(dir.resolve(name + ".keras"))) {
        for (LoadedModel m : new LoadedModel[] {saved, file}) {
          assertArrayEquals(new long[] {6, 5, 2}, m.inputShape(), name + " " + m.source());
          Fixtures.assertReferenceLogits(refs.path(name).path("logits"), m.logits(inputs, 4), name + " "
              + m.source());
        }
        assertTrue(saved.servesNchw(), name);
      }
    }
  }

  /**
   * "square": a Conv2D, a DepthwiseConv2D and a Conv2DTranspose whose filters equal their output's width. Keras
   * writes each bias as an NHWC BiasAdd on the NCHW activation; TensorFlow adds the Conv2D's per channel (it fuses
   * the two) and the others along the width. The export must give what its signature gives, which the probe check
   * refused before, and the .keras file what the layers mean (every bias per channel, from a channels_last twin).
   */
  @Test
  void biasesWrittenInTheOtherLayoutReadAsTensorFlowRunsThem() throws IOException {
    Path dir = RESOURCES.resolve("channels_first_entry");
    var refs = new ObjectMapper().readTree(dir.resolve("reference-logits.json").toFile()).path("square");
    float[] inputs = Fixtures.referenceInputs(refs.path("inputs"));
    try (LoadedModel saved = ModelLoader.load(dir.resolve("square_export"));
        LoadedModel file = ModelLoader.load(dir.resolve("square.keras"))) {
      Fixtures.assertReferenceLogits(refs.path("logits"), saved.logits(inputs, 4), "square export");
      Fixtures.assertReferenceLogits(refs.path("meant"), file.logits(inputs, 4), "square.keras");
      Fixtures.assertBoundHolds(saved, 8, 6 * 5 * 2, 9, "");
    }
  }
}
