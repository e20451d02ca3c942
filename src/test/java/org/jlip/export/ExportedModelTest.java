package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.jlip.certify.CertificateRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportedModelTest {
  @TempDir Path tmp;

  @Test
  void batchesAnySizeAndChecksInputs() throws IOException {
    Path dir = tmp.resolve("m");
    float[] x = ExportFixtures.inputs(7, new long[] {12}, 1);
    float[] live;
    try (ExportFixtures f = new ExportFixtures(List.of(12), 6, 2, true, 9)) {
      live = f.liveLogits(x, 7);
      SavedModelExporter.export(f.model, f.session, dir, ExportOptions.of(1, CertificateRule.DISJOINT));
    }
    assertEquals("NC", SavedModelInfo.read(dir).metadata().get("layout").asText());
    for (int batch : new int[] {1, 3, 7, 100}) {
      try (ExportedModel m = ExportedModel.load(dir, batch)) {
        assertArrayEquals(new long[] {12}, m.inputShape());
        assertArrayEquals(live, m.logits(x, 7), 1e-5f, "batch size " + batch);
        assertEquals(7, m.certify(x, 7).size());
      }
    }
    try (ExportedModel m = ExportedModel.load(dir)) {
      assertEquals(0, m.logits(new float[0], 0).length);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.logits(x, 6));
      assertTrue(e.getMessage().contains("expected 6 samples of 12 values"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ExportedModel.load(dir, 0));
  }

  @Test
  void refusesADirectoryWithoutSavedModel() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ExportedModel.load(tmp));
    assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
  }
}
