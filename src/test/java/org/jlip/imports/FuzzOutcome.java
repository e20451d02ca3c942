package org.jlip.imports;

import java.nio.file.Path;
import java.util.Arrays;

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
}
