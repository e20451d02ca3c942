package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dilated convolutions (src/test/python/make_dilated_fixtures.py): Conv2D, DepthwiseConv2D and SeparableConv2D with
 * equal and unequal rates, same and valid padding, run and bounded as ordinary kernels with zeros between the taps.
 */
class DilatedConvTest {
  private static final Path KERAS = Path.of("src", "test", "resources", "keras");
  private static final Path DIR = KERAS.resolve("dilated");

  @Test
  void dilatedLayersGiveKerassLogitsAndBoundsThatHold() throws IOException {
    JsonNode refs = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile());
    for (Path file : new Path[] {DIR.resolve("dilated.keras"), DIR.resolve("dilated.h5"),
        KERAS.resolve("dilated_conv.keras")}) {
      JsonNode ref = refs.path(file.getFileName().toString().replaceFirst("\\.(keras|h5)$", ""));
      try (ImportedModel m = KerasFileImporter.read(file)) {
        int n = ref.path("inputs").size();
        int size = ref.path("inputs").get(0).size();
        Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(Fixtures.referenceInputs(ref.path("inputs")), n),
            file.toString());
        Fixtures.assertBoundHolds(m, 16, size, 6, file.toString());
      }
    }
  }

  /** The same kernel dilated: [3, 3] at rates (2, 3) is [5, 7] with the taps at rows 0, 2, 4 and columns 0, 3, 6. */
  @Test
  void aDilatedKernelHasZerosBetweenItsTaps() {
    float[] k = new float[9];
    for (int i = 0; i < 9; i++) {
      k[i] = i + 1;
    }
    Weight d = DepthwiseKernels.dilated(new Weight(k, new long[] {3, 3, 1, 1}), 2, 3);
    assertArrayEquals(new long[] {5, 7, 1, 1}, d.shape());
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        float want = y % 2 == 0 && x % 3 == 0 ? k[(y / 2) * 3 + x / 3] : 0;
        assertEquals(want, d.values()[y * 7 + x], "tap " + y + ", " + x);
      }
    }
  }

  /** Keras forbids strides with dilation; a file that claims both is refused, not miscomputed. */
  @Test
  void dilationWithStridesIsRefused(@TempDir Path tmp) throws IOException {
    Path edited = tmp.resolve("strided_dilated.keras");
    Fixtures.rewriteKeras(KERAS.resolve("dilated_conv.keras"), edited, layers -> {
      for (JsonNode layer : layers) {
        if (layer.path("class_name").asText().equals("Conv2D")) {
          ((ObjectNode) layer.path("config")).putArray("strides").add(2).add(2);
        }
      }
    });
    var e = assertThrows(UnsupportedModelException.class, () -> KerasFileImporter.read(edited));
    assertTrue(e.getMessage().contains("dilation") && e.getMessage().contains("stride 1"), e.getMessage());
  }
}
