package org.jlip.imports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ONNX file from elsewhere is untrusted input: seeded random edits of the PyTorch fixtures (cut short, a byte
 * overwritten, half of them among the graph's first bytes where nodes and attributes are) must each load as a model
 * or fail with one of the importer's documented errors naming the file, never with another exception.
 */
class OnnxFuzzTest {
  private static final Path DIR = Path.of("src", "test", "resources", "onnx");

  @Test
  void editedOnnxFilesLoadOrFailWithADocumentedError(@TempDir Path tmp) throws IOException {
    Files.copy(DIR.resolve("residual_cnn_dynamo.onnx.data"), tmp.resolve("residual_cnn_dynamo.onnx.data"));
    Files.copy(DIR.resolve("mlp.onnx.data"), tmp.resolve("mlp.onnx.data"));
    for (String data : new String[] {"torchlip_style_dynamo", "padded_pools", "interpolated_dynamo",
        "rearranged_dynamo"}) {
      Files.copy(DIR.resolve(data + ".onnx.data"), tmp.resolve(data + ".onnx.data"));
    }
    FuzzOutcome.Tally tally = new FuzzOutcome.Tally();
    Random r = new Random(Long.getLong("fuzz.seed", 2026) + 2);
    for (String name : new String[] {"residual_cnn", "residual_cnn_dynamo", "pooled_cnn", "mlp", "torchlip_style",
        "torchlip_style_dynamo", "padded_pools", "interpolated", "channels_last_input", "gated", "l2_pooled",
        "rearranged_dynamo", "transpose/upsampling", "padding/copy_padded", "padding/copy_padded_dynamo"}) {
      byte[] onnx = Files.readAllBytes(DIR.resolve(name + ".onnx"));
      for (int i = 0; i < 8 + Integer.getInteger("fuzz.edits", 40); i++) {
        byte[] b;
        String edit;
        if (i < 8) {
          b = Arrays.copyOf(onnx, 1 + r.nextInt(onnx.length - 1));
          edit = "cut to " + b.length + " of " + onnx.length + " bytes";
        } else {
          b = onnx.clone();
          int at = 1 + r.nextInt(r.nextBoolean() ? Math.min(2048, b.length - 1) : b.length - 1);
          b[at] = (byte) r.nextInt(256);
          edit = "byte " + at + " = " + b[at];
        }
        Path file = tmp.resolve(name.replace('/', '_') + "_" + i + ".onnx");
        Files.write(file, b);
        tally.load(file, name + " " + edit);
      }
    }
    tally.check("ONNX files");
  }
}
