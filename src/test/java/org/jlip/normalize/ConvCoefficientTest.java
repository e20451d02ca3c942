package org.jlip.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConvCoefficientTest {

  @Test
  void matchesDeelLipReferenceFactors() throws Exception {
    JsonNode cases = new ObjectMapper()
        .readTree(Path.of("..", "shared", "reference", "loss-vectors.json").toFile())
        .path("layers").path("conv_lip_factor");
    assertTrue(cases.size() >= 5, "reference cases missing");
    for (JsonNode c : cases) {
      double got = ConvCoefficient.of(c.get("kernel").get(0).asInt(), c.get("kernel").get(1).asInt(),
          c.get("strides").get(0).asInt(), c.get("strides").get(1).asInt(),
          c.get("input_hw").get(0).asLong(), c.get("input_hw").get(1).asLong());
      assertEquals(c.get("factor").asDouble(), got, 1e-12, c.toString());
    }
  }

  @Test
  void rejectsNonPositiveSizes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ConvCoefficient.of(3, 3, 0, 1, 28, 28));
    assertTrue(e.getMessage().contains("strides 0x1"), e.getMessage());
  }
}
