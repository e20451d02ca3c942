package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jlip.cli.CliTest.Run;
import org.jlip.data.Dataset;
import org.jlip.data.FashionMnist;
import org.jlip.data.NpyArray;
import org.jlip.data.NpyReader;
import org.jlip.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jlip attack} on the committed export: its files, and adversarial examples that match the reported norms. */
class AttackCommandTest {
  private static final int N = 16;

  /** {@code jlip report}: the HTML page with its tables, the per-class one named after Fashion-MNIST's classes. */
  @Test
  void reportWritesTheHtmlPageWithItsTables(@TempDir Path dir) throws Exception {
    Run run = CliTest.run("report", "--model", "hkr=savedmodels/fmnist-hkr", "--n", Integer.toString(N), "--steps",
        "5", "--out", dir.toString());
    assertEquals(0, run.code(), run.err());
    String html = Files.readString(dir.resolve("report.html"));
    assertTrue(html.contains("Provable and empirical robust accuracy") && html.contains("Per class at L2 radius"),
        html);
    assertTrue(html.contains("Ankle boot") && html.contains("hkr provable"), html);
    assertTrue(Files.size(dir.resolve("hkr").resolve("grid.png")) > 0);
  }

  @Test
  void writesTheReportPicturesAndTheAdversarialExamples(@TempDir Path dir) throws Exception {
    Run run = CliTest.run("attack", "--model", "savedmodels/fmnist-hkr", "--n", Integer.toString(N), "--steps", "5",
        "--eps", "0.1,0.5", "--out", dir.toString());
    assertEquals(0, run.code(), run.err());
    for (String f : new String[] {"attack.json", "attack.csv", "summary.csv", "grid.png", "curves.png"}) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    NpyArray adv = NpyReader.read(dir.resolve("adversarial.npy"));
    assertArrayEquals(new int[] {N, 28, 28, 1}, adv.shape());
    float[] x = FashionMnist.load(Split.TEST).take(N).images();
    List<String> rows = Files.readAllLines(dir.resolve("attack.csv"));
    assertEquals("index,label,prediction,certified_radius,adversarial_norm", rows.get(0));
    int broken = 0;
    for (int i = 0; i < N; i++) {
      String[] r = rows.get(i + 1).split(",");
      double norm = Double.parseDouble(r[4]);
      double distance = 0;
      for (int q = 0; q < 784; q++) {
        double d = adv.data()[i * 784 + q] - x[i * 784 + q];
        distance += d * d;
      }
      distance = Math.sqrt(distance);
      if (Double.isFinite(norm)) {
        broken += norm > 0 ? 1 : 0;
        assertEquals(norm, distance, 1e-5 + 1e-4 * norm, "sample " + i);
        assertTrue(!(r[1].equals(r[2])) || norm >= Double.parseDouble(r[3]) - 1e-4, "sample " + i + " inside"
            + " its certified radius: " + rows.get(i + 1));
      } else {
        assertEquals(0, distance, 0, "sample " + i + ": no adversarial example, so its clean input");
      }
    }
    assertTrue(broken > N / 2, "only " + broken + " of " + N + " broken: " + rows);
  }

  /** Refused with exit 2 before any model is loaded: nothing of the earlier run or the user's is touched. */
  @Test
  void anOutputFolderThatWouldLoseFilesIsRefused(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("attack.json"), "earlier run");
    Run again = CliTest.run("attack", "--model", "savedmodels/fmnist-hkr", "--n", "2", "--out", dir.toString());
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("--overwrite"), again.err());
    Files.writeString(dir.resolve("notes.txt"), "mine");
    Run foreign = CliTest.run("attack", "--model", "savedmodels/fmnist-hkr", "--n", "2", "--out", dir.toString(),
        "--overwrite");
    assertEquals(2, foreign.code(), foreign.err());
    assertTrue(foreign.err().contains("notes.txt"), foreign.err());
    assertEquals("earlier run", Files.readString(dir.resolve("attack.json")));
  }
}
