package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jlip.testing.GraphEval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's nn.ConvTranspose2d through ONNX (src/test/python/make_onnx_transpose_fixtures.py, both exporters): pads,
 * output_padding, unequal strides and a stride larger than the kernel.
 */
class OnnxConvTransposeTest {
  private static final Path DIR = Path.of("src", "test", "resources", "onnx", "transpose");

  @Test
  void transposedConvolutionsGiveTorchsOutputsAndBoundsThatHold() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile()).path("upsampling");
    float[] x = GraphEval.nchwToNhwc(Fixtures.referenceInputs(ref.path("inputs")), 4, 2, 6, 5);
    double[] bounds = new double[2];
    String[] files = {"upsampling.onnx", "upsampling_dynamo.onnx"};
    for (int f = 0; f < 2; f++) {
      try (LoadedModel m = ModelLoader.load(DIR.resolve(files[f]))) {
        Fixtures.assertReferenceLogits(ref.path("logits"), m.logits(x, 4), files[f]);
        Fixtures.assertBoundHolds(m, 16, 60, 5, files[f]);
        bounds[f] = m.lipschitzBound();
      }
    }
    assertEquals(bounds[0], bounds[1], 1e-6 * bounds[0], "both exporters' models have one bound");
  }

  @Test
  void anAutoPadOtherThanExplicitPadsIsRefusedNamingTheNode(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("auto_pad.onnx");
    // The last "NOTSET" is the last ConvTranspose's auto_pad (the Conv before it has one too).
    byte[] b = Files.readAllBytes(DIR.resolve("upsampling_dynamo.onnx"));
    int at = new String(b, StandardCharsets.ISO_8859_1).lastIndexOf("NOTSET");
    System.arraycopy("VALIDX".getBytes(StandardCharsets.ISO_8859_1), 0, b, at, 6);
    Files.write(file, b);
    Files.copy(DIR.resolve("upsampling_dynamo.onnx.data"), tmp.resolve("upsampling_dynamo.onnx.data"));
    var e = assertThrows(UnsupportedModelException.class, () -> ModelLoader.load(file).close());
    assertTrue(e.getMessage().contains("ConvTranspose") && e.getMessage().contains("auto_pad VALIDX"),
        e.getMessage());
  }
}
