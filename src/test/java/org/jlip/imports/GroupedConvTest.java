package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.jlip.export.ExportedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped convolutions (Keras's Conv2D groups; src/test/python/make_keras_fixtures.py: grouped_*) read as their
 * block-diagonal full kernels, from .keras files in both layouts and from the export, and converted to a jlip model.
 */
class GroupedConvTest {
  private static final Path RESOURCES = Path.of("src", "test", "resources", "keras");
  private static final int SIZE = 12 * 10 * 3;

  @Test
  void theBlockDiagonalKernelKeepsEachGroupsInputs() {
    // 2 groups, 2 inputs and 2 outputs per group, 1x1: output o reads inputs 2 (o / 2) and 2 (o / 2) + 1 only.
    float[] g = {1, 2, 3, 4, 5, 6, 7, 8};
    float[] full = DepthwiseKernels.grouped(g, 1, 1, 2, 4, 2);
    assertArrayEquals(new float[] {1, 2, 0, 0, 5, 6, 0, 0, 0, 0, 3, 4, 0, 0, 7, 8}, full);
  }

  @Test
  void groupedConvolutionsGiveKerassLogitsOnEveryPath(@TempDir Path tmp) throws IOException {
    JsonNode refs = new ObjectMapper().readTree(RESOURCES.resolve("reference-logits.json").toFile());
    float[] last = Fixtures.pattern(SIZE);
    float[] first = Fixtures.nchwPattern(3, 12, 10);
    try (LoadedModel a = ModelLoader.load(RESOURCES.resolve("grouped_channels_last.keras"));
        LoadedModel b = ModelLoader.load(RESOURCES.resolve("grouped_channels_first.keras"));
        LoadedModel c = ModelLoader.load(RESOURCES.resolve("grouped_export"))) {
      assertLogits(refs.path("grouped_channels_last"), a.logits(last, 1)[0], "channels_last file");
      assertLogits(refs.path("grouped_channels_first"), b.logits(first, 1)[0], "channels_first file");
      assertLogits(refs.path("grouped_channels_last"), c.logits(last, 1)[0], "export");
      assertEquals(a.lipschitzBound(), c.lipschitzBound(), 1e-6 * a.lipschitzBound());
      Fixtures.assertBoundHolds(a, 8, SIZE, 40, "");
    }
    // A grouped Conv2D is an ordinary convolution with the full kernel, so the file converts to a jlip model.
    Path out = tmp.resolve("grouped");
    KerasConverter.convert(RESOURCES.resolve("grouped_channels_last.keras"), out, false);
    try (ExportedModel e = ExportedModel.load(out)) {
      assertLogits(refs.path("grouped_channels_last"), e.logits(last, 1), "converted");
    }
  }

  private static void assertLogits(JsonNode refs, float[] got, String what) {
    for (int k = 0; k < refs.size(); k++) {
      assertEquals(refs.get(k).asDouble(), got[k], 1e-5 * Math.max(1, Math.abs(refs.get(k).asDouble())),
          what + " logit " + k);
    }
  }
}
