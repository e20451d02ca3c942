package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.Split;
import org.junit.jupiter.api.Test;

/**
 * A PyTorch convnet trained on Fashion-MNIST (src/test/python/train_onnx_fmnist.py, 89.25% in PyTorch) predicts the
 * same classes on the 10,000 test images through jlip's ONNX import: the whole pipeline (reader, NCHW to NHWC
 * kernels, batch norm, max pooling, strided padding, flatten order) against PyTorch on real data.
 */
class OnnxFashionMnistTest {
  private static final Path DIR = Path.of("src", "test", "resources", "onnx");

  @Test
  void jlipPredictsWhatPytorchPredictsOnTheTestSet() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("fmnist_cnn.json").toFile());
    Dataset test = FashionMnist.load(Split.TEST);
    int n = test.size();
    assertEquals(ref.path("predicted").size(), n);
    int differ = 0;
    int correct = 0;
    try (LoadedModel m = ModelLoader.load(DIR.resolve("fmnist_cnn.onnx"))) {
      for (int from = 0; from < n; from += 1000) {
        int count = Math.min(1000, n - from);
        float[][] logits = m.logits(test.slice(from, from + count).images(), count);
        for (int i = 0; i < count; i++) {
          int best = 0;
          for (int k = 1; k < logits[i].length; k++) {
            best = logits[i][k] > logits[i][best] ? k : best;
          }
          differ += best == ref.path("predicted").get(from + i).asInt() ? 0 : 1;
          correct += best == test.labels()[from + i] ? 1 : 0;
        }
      }
    }
    System.out.printf("ONNX Fashion-MNIST convnet: jlip accuracy %.4f (PyTorch %.4f), %d of %d predictions differ%n",
        correct / (double) n, ref.path("accuracy").asDouble(), differ, n);
    // Float sums in another order may flip a near-tie; anything more is a wrong import.
    assertTrue(differ <= 3, differ + " of " + n + " predictions differ from PyTorch's");
    assertEquals(ref.path("accuracy").asDouble(), correct / (double) n, 3.0 / n);
  }
}
