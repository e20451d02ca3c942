package org.jlip.imports;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What loading an edited model file did, for the fuzz tests of model files. */
final class FuzzOutcome {
  private FuzzOutcome() {}

  /**
   * null: it loaded and computes logits under a positive bound; "ok: message": a documented error naming the file;
   * otherwise what went wrong.
   */
  static String of(Path file) {
    try (LoadedModel m = ModelLoader.load(file)) {
      int size = (int) Arrays.stream(m.inputShape()).reduce(1, (a, b) -> a * b);
      float[][] logits = m.logits(Fixtures.pattern(size), 1);
      if (logits.length != 1 || !(m.lipschitzBound() > 0)) {
        return "loaded, but gave " + logits.length + " rows and bound " + m.lipschitzBound();
      }
      return null;
    } catch (MalformedModelException | UnsupportedModelException | UntrustedModelException e) {
      String msg = String.valueOf(e.getMessage());
      return msg.contains(file.getFileName().toString()) ? "ok: " + msg
          : e.getClass().getSimpleName() + " without the file's name: " + msg;
    } catch (Exception | StackOverflowError e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  /** Counts what a run of edits did; {@link #check} asserts none failed otherwise and some were refused. */
  static final class Tally {
    private final List<String> wrong = new ArrayList<>();
    private int loaded;
    private int refused;

    /** Loads {@code file}, made by {@code edit}, and counts the outcome. */
    void load(Path file, String edit) {
      String outcome = of(file);
      if (outcome == null) {
        loaded++;
      } else if (outcome.startsWith("ok:")) {
        refused++;
      } else {
        wrong.add(edit + ": " + outcome);
      }
    }

    void check(String what) {
      System.out.printf("edited %s: %d loaded, %d refused with a documented error, %d otherwise%n", what, loaded,
          refused, wrong.size());
      assertTrue(refused > 0, "the edits never made a file invalid: the test would not see a wrong error");
      assertTrue(wrong.isEmpty(), wrong.size() + " edits failed otherwise:\n" + String.join("\n", wrong));
    }
  }
}
