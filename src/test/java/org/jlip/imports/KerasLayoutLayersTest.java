package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refusals of the layout layers and Normalization that jlip cannot read exactly, each naming the layer and what
 * it expected (inference_layers.keras with one field edited); the readable layers' logits are in
 * {@link InferenceLayersTest}.
 */
class KerasLayoutLayersTest {
  private static final Path SOURCE = Path.of("src", "test", "resources", "keras", "inference_layers.keras");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void normalizationOverASpatialAxisIsRefused() throws IOException {
    String m = refused(config("norm", c -> c.set("axis", JSON.createArrayNode().add(1))));
    assertTrue(m.contains("layer 'norm' (Normalization) normalises axis 1") && m.contains("channel axis (-1)"), m);
  }

  @Test
  void normalizationWithTheWrongNumberOfValuesIsRefused() throws IOException {
    String m = refused(config("denorm", c -> c.set("mean", JSON.createArrayNode().add(1).add(2))));
    assertTrue(m.contains("layer 'denorm' (Normalization) has 2 mean values for 6 channels"), m);
  }

  @Test
  void aNegativeVarianceIsRefused() throws IOException {
    String m = refused(config("denorm", c -> c.put("variance", -1.0)));
    assertTrue(m.contains("layer 'denorm' (Normalization) channel 0") && m.contains("variance >= 0"), m);
  }

  @Test
  void malformedPaddingAndCroppingThatLeavesNothingAreRefused() throws IOException {
    String pad = refused(config("pad", c -> c.put("padding", "same")));
    assertTrue(pad.contains("layer 'pad' (ZeroPadding2D) has padding \"same\"") && pad.contains("[[top, bottom]"),
        pad);
    String crop = refused(config("crop", c -> c.set("cropping", JSON.createArrayNode().add(20).add(0))));
    assertTrue(crop.contains("layer 'crop' (Cropping2D) crops [20,0]") && crop.contains("leaves nothing"), crop);
  }

  @Test
  void permuteDimsThatAreNoPermutationAreRefused() throws IOException {
    String m = refused(config("permute", c -> c.set("dims", JSON.createArrayNode().add(1).add(1).add(3))));
    assertTrue(m.contains("layer 'permute' (Permute) has dims [1,1,3]") && m.contains("permutation of 1..3"), m);
  }

  @Test
  void aSoftmaxOverAnotherAxisIsRefused() throws IOException {
    String m = refused(config("probs", c -> c.put("axis", 0)));
    assertTrue(m.contains("layer 'probs' (Softmax) has axis 0"), m);
  }

  @Test
  void augmentationLayersAreTheIdentityAndRandomCropIsRefused() throws IOException {
    Path edited = tmp.resolve("augmented.keras");
    Fixtures.rewriteKeras(SOURCE, edited, layers -> {
      for (String cls : new String[] {"RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast"}) {
        ObjectNode l = JSON.createObjectNode().put("class_name", cls);
        l.putObject("config").put("name", cls.toLowerCase(java.util.Locale.ROOT)).put("factor", 0.2);
        layers.insert(1, l);
      }
    });
    float[] x = Fixtures.pattern(12 * 10 * 3);
    try (ImportedModel plain = KerasFileImporter.read(SOURCE); ImportedModel augmented = KerasFileImporter.read(
        edited)) {
      assertArrayEquals(plain.logits(x, 1)[0], augmented.logits(x, 1)[0], 0f);
      assertTrue(plain.lipschitzBound() == augmented.lipschitzBound());
    }
    String m = refused(layers -> {
      ObjectNode l = JSON.createObjectNode().put("class_name", "RandomCrop");
      l.putObject("config").put("name", "crop_random").put("height", 8).put("width", 8);
      layers.insert(1, l);
    });
    assertTrue(m.contains("layer 'crop_random' of type RandomCrop is not supported"), m);
  }

  @Test
  void permuteIsRewrittenForTheNhwcLayoutOfAChannelsFirstModel() throws IOException {
    // Keras (C, H, W) -> (C, W, H) is (H, W, C) -> (W, H, C) here. Keras (C, H, W) -> (H, W, C) is read by the
    // next layers as (C', H', W') = (H, W, C), which is (H', W', C') = (W, C, H) here.
    long[] shape = {12, 10, 3};
    assertArrayEquals(new int[] {1, 0, 2}, permute("[1, 3, 2]", shape, true).perm());
    assertArrayEquals(new int[] {1, 2, 0}, permute("[2, 3, 1]", shape, true).perm());
    assertArrayEquals(new int[] {1, 0, 2}, permute("[2, 1, 3]", shape, false).perm());
  }

  private static Step.Transpose permute(String dims, long[] shape, boolean channelsFirst) throws IOException {
    return KerasLayoutLayers.permute(SOURCE, "p", JSON.readTree("{\"dims\": " + dims + "}"), shape, channelsFirst);
  }

  private static Consumer<ArrayNode> config(String layer, Consumer<ObjectNode> edit) {
    return layers -> {
      for (JsonNode l : layers) {
        if (l.path("config").path("name").asText().equals(layer)) {
          edit.accept((ObjectNode) l.path("config"));
        }
      }
    };
  }

  private String refused(Consumer<ArrayNode> edit) throws IOException {
    Path edited = tmp.resolve("edited.keras");
    Fixtures.rewriteKeras(SOURCE, edited, edit);
    Exception e = assertThrows(java.io.IOException.class, () -> KerasFileImporter.read(edited).close());
    assertTrue(e instanceof UnsupportedModelException || e instanceof MalformedModelException, e.toString());
    return e.getMessage();
  }
}
