package org.jlip.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jlip.io.AtomicFiles;
import org.jlip.io.IoConsumer;

/**
 * The output folder of one attack, written whole into a temporary sibling and renamed into place only once every
 * file is written: a failed run leaves the folder as it was, and a rerun leaves no file of the earlier run behind
 * (grid.png, say, which a run where no sample was broken does not write). Replacing a folder deletes what it
 * holds, so only a folder holding nothing but attack outputs is replaced.
 */
final class AttackOutputs {

  /** Every file an attack may write. */
  private static final Set<String> FILES =
      Set.of("attack.json", "attack.csv", "summary.csv", "adversarial.npy", "grid.png", "curves.png");

  private AttackOutputs() {}

  /**
   * Refuses dir, before any attack runs, if writing it would delete something: a file that is not an attack
   * output, or an earlier attack's outputs without overwrite. An absent or empty folder is always fine.
   */
  static void checkReplaceable(Path dir, boolean overwrite) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--out " + dir + " is a file, not a folder: choose another --out");
    }
    List<String> names;
    try (Stream<Path> entries = Files.list(dir)) {
      names = entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> foreign = names.stream().filter(n -> !FILES.contains(n)).toList();
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException("refusing to write the attack into " + dir.toAbsolutePath() + ": it holds "
          + foreign + ", which jlip attack does not write, and the folder is replaced whole; choose another --out");
    }
    if (!names.isEmpty() && !overwrite) {
      throw new IllegalArgumentException("--out " + dir + " holds an earlier attack's outputs " + names
          + ": pass --overwrite to replace them");
    }
  }

  /** Checks dir again (the run took a while), then has writer fill a new folder that replaces it. */
  static void write(Path dir, boolean overwrite, IoConsumer<Path> writer) throws IOException {
    checkReplaceable(dir, overwrite);
    AtomicFiles.replaceDirectory(dir, true, writer);
  }
}
