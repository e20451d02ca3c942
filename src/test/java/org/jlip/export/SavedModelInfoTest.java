package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jlip.model.ModelBound;
import org.jlip.model.ModelJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelInfoTest {
  @TempDir Path tmp;

  @Test
  void readsSignaturesAndMetadataBack() throws IOException {
    Path dir = tmp.resolve("m");
    double measured;
    try (ExportFixtures f = new ExportFixtures(List.of(4, 4, 1), 8, 3, true, 2)) {
      ModelBound bound = f.model.bound(f.session);
      measured = bound.measured();
      JsonNode metrics = ModelJson.mapper().readTree("{\"accuracy\": 0.75, \"epochs\": 3}");
      SavedModelExporter.export(f.model, f.session, dir, ExportOptions.fromBound(bound)
          .withClassNames(List.of("cat", "dog", "eel")).withTrainingMetrics(metrics));
    }
    SavedModelInfo info = SavedModelInfo.read(dir);
    assertEquals(Set.of("serving_default", "certify"), info.signatures().keySet());
    assertEquals(List.of(List.of("serve")), info.tags());
    SavedModelInfo.SignatureInfo certify = info.signatures().get("certify");
    assertEquals(Set.of("x"), certify.inputs().keySet());
    assertEquals(List.of(-1L, 4L, 4L, 1L), certify.inputs().get("x").shape());
    assertEquals("DT_FLOAT", certify.inputs().get("x").dtype());
    assertEquals(Set.of("logits", "label", "radius"), certify.outputs().keySet());
    assertEquals("DT_INT64", certify.outputs().get("label").dtype());
    assertEquals(Set.of("logits"), info.signatures().get("serving_default").outputs().keySet());

    JsonNode meta = info.metadata();
    assertEquals("NHWC", meta.get("layout").asText());
    assertEquals(3, meta.get("outputs").asInt());
    assertEquals("dog", meta.get("classNames").get(1).asText());
    assertTrue(meta.get("lipschitz").get("nominal").isNull(), "a plain Dense model is unbounded by construction");
    assertEquals(measured, meta.get("lipschitz").get("measured").asDouble(), 0);
    assertEquals(measured, meta.get("certificate").get("lipschitz").asDouble(), 0);
    assertEquals("SQRT2", meta.get("certificate").get("rule").asText());
    assertEquals(0.75, meta.get("trainingMetrics").get("accuracy").asDouble(), 0);
    assertEquals("fixture", ModelJson.parse(meta.get("model").toString()).name());
    assertEquals(4, ModelJson.parse(meta.get("exportedModel").toString()).layers().size());

    String report = info.report();
    for (String s : List.of("certify:", "serving_default:", "out radius DT_FLOAT [-1]", "NHWC",
        "[\"cat\",\"dog\",\"eel\"]", "SQRT2", "accuracy: 0.75", "layers (4):", "Dense units=8")) {
      assertTrue(report.contains(s), "report lacks '" + s + "':\n" + report);
    }
  }

  @Test
  void foreignDirectories() throws IOException {
    assertThrows(NoSuchFileException.class, () -> SavedModelInfo.read(tmp));
    Files.write(tmp.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5});
    assertThrows(IOException.class, () -> SavedModelInfo.read(tmp));
    Files.write(tmp.resolve("saved_model.pb"), new byte[0]);
    SavedModelInfo empty = SavedModelInfo.read(tmp);
    assertNull(empty.metadata());
    assertTrue(empty.report().contains("not a jlip export"), empty.report());
  }
}
