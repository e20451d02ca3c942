package org.jlip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An attack's folder is replaced whole once the run succeeded, and never at the cost of a file jlip did not write. */
class AttackOutputsTest {

  @TempDir Path parent;

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path earlierRun() throws IOException {
    Path out = Files.createDirectory(parent.resolve("out"));
    Files.writeString(out.resolve("attack.json"), "old");
    Files.writeString(out.resolve("grid.png"), "old");
    return out;
  }

  @Test
  void aFailedRunLeavesTheEarlierOutputsAndNoNewFile() throws IOException {
    Path out = earlierRun();
    IOException e = assertThrows(IOException.class, () -> AttackOutputs.write(out, true, temp -> {
      Files.writeString(temp.resolve("attack.json"), "new");
      Files.writeString(temp.resolve("attack.csv"), "new");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals(List.of("attack.json", "grid.png"), names(out));
    assertEquals("old", Files.readString(out.resolve("attack.json")));
    assertEquals(List.of("out"), names(parent), "temporary folder left behind");
  }

  @Test
  void overwriteReplacesTheEarlierRunStaleFilesIncluded() throws IOException {
    Path out = earlierRun();
    AttackOutputs.write(out, true, temp -> Files.writeString(temp.resolve("attack.json"), "new"));
    assertEquals(List.of("attack.json"), names(out));
    assertEquals("new", Files.readString(out.resolve("attack.json")));
    assertEquals(List.of("out"), names(parent));
  }

  @Test
  void earlierOutputsNeedOverwrite() throws IOException {
    Path out = earlierRun();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AttackOutputs.write(out, false, temp -> Files.writeString(temp.resolve("attack.json"), "new")));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    assertEquals("old", Files.readString(out.resolve("attack.json")));
  }

  @Test
  void aFolderHoldingOtherFilesIsNeverReplaced() throws IOException {
    Path out = earlierRun();
    Files.writeString(out.resolve("notes.txt"), "mine");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AttackOutputs.write(out, true, temp -> Files.writeString(temp.resolve("attack.json"), "new")));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    assertEquals(List.of("attack.json", "grid.png", "notes.txt"), names(out));
    Path file = Files.writeString(parent.resolve("file"), "mine");
    assertThrows(IllegalArgumentException.class, () -> AttackOutputs.checkReplaceable(file, true));
    assertEquals("mine", Files.readString(file));
  }

  @Test
  void anAbsentOrEmptyFolderNeedsNoOverwrite() throws IOException {
    AttackOutputs.write(parent.resolve("new"), false, temp -> Files.writeString(temp.resolve("attack.json"), "a"));
    Path empty = Files.createDirectory(parent.resolve("empty"));
    AttackOutputs.write(empty, false, temp -> Files.writeString(temp.resolve("attack.json"), "b"));
    assertEquals("a", Files.readString(parent.resolve("new").resolve("attack.json")));
    assertEquals("b", Files.readString(empty.resolve("attack.json")));
  }
}
