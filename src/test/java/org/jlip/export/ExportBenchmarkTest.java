package org.jlip.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jlip.certify.CertificateRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs and rebuilds the export's function (timings themselves are not asserted). */
class ExportBenchmarkTest {
  @TempDir Path tmp;

  @Test
  void measuresAllThreePathsOnTheSameFunction() throws IOException {
    Path dir = tmp.resolve("m");
    try (ExportFixtures f = new ExportFixtures(List.of(4, 4, 1), 8, 3, true, 3)) {
      SavedModelExporter.export(f.model, f.session, dir, ExportOptions.of(1, CertificateRule.DISJOINT));
    }
    ExportBenchmark.Measurement m = ExportBenchmark.run(dir, 64, 2);
    assertEquals(64, m.batchSize());
    for (double rate : new double[] {m.direct(), m.serving(), m.certify()}) {
      assertTrue(rate > 0 && Double.isFinite(rate), m.summary());
    }
    assertTrue(m.summary().contains("certify"), m.summary());
  }

  @Test
  void refusesADirectoryWithoutJlipMetadata() throws IOException {
    Files.write(tmp.resolve("saved_model.pb"), new byte[0]);
    assertThrows(IllegalArgumentException.class, () -> ExportBenchmark.run(tmp, 8, 1));
  }
}
