package org.jlip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writeCreatesAndReplacesWithoutLeftovers() throws IOException {
    Path target = dir.resolve("sub/model.json");
    AtomicFiles.writeString(target, "first");
    AtomicFiles.writeString(target, "second");
    assertEquals("second", Files.readString(target));
    try (Stream<Path> s = Files.list(target.getParent())) {
      assertEquals(List.of("model.json"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void failureMidWriteLeavesOldFileIntact() throws IOException {
    Path target = dir.resolve("weights.bin");
    AtomicFiles.writeString(target, "old content");
    IOException boom = new IOException("disk full");
    IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write("new partial".getBytes(StandardCharsets.UTF_8));
      throw boom;
    }));
    assertSame(boom, thrown);
    assertEquals("old content", Files.readString(target));
    assertEquals(List.of("weights.bin"), names());
  }

  @Test
  void failureOnFirstWriteCreatesNothing() {
    Path target = dir.resolve("new.bin");
    assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write(1);
      throw new IOException("boom");
    }));
    assertFalse(Files.exists(target));
  }

  /** Outputs are readable by other users (a model server), not left with the temporary files' 0600/0700. */
  @Test
  void outputsAreReadableByOthers() throws IOException {
    Path file = dir.resolve("report.json");
    AtomicFiles.writeString(file, "{}");
    Path target = dir.resolve("model");
    AtomicFiles.replaceDirectory(target, false, tmp -> Files.writeString(tmp.resolve("a.txt"), "A"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file)));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(target)));
  }

  @Test
  void replaceDirectoryCreatesNewDirectory() throws IOException {
    Path target = dir.resolve("model");
    AtomicFiles.replaceDirectory(target, false, tmp -> Files.writeString(tmp.resolve("a.txt"), "A"));
    assertEquals("A", Files.readString(target.resolve("a.txt")));
    assertEquals(List.of("model"), names());
  }

  @Test
  void replaceDirectoryRefusesExistingTargetWithoutOverwrite() throws IOException {
    Path target = dir.resolve("model");
    AtomicFiles.replaceDirectory(target, false, tmp -> Files.writeString(tmp.resolve("a.txt"), "A"));
    boolean[] built = {false};
    assertThrows(FileAlreadyExistsException.class,
        () -> AtomicFiles.replaceDirectory(target, false, tmp -> built[0] = true));
    assertFalse(built[0], "builder must not run when the target is refused");
    assertEquals("A", Files.readString(target.resolve("a.txt")));
    assertEquals(List.of("model"), names());
  }

  @Test
  void replaceDirectoryWithOverwriteSwapsContentAndDeletesOld() throws IOException {
    Path target = dir.resolve("model");
    AtomicFiles.replaceDirectory(target, false, tmp -> {
      Files.writeString(tmp.resolve("a.txt"), "A");
      Files.createDirectories(tmp.resolve("nested/deeper"));
      Files.writeString(tmp.resolve("nested/deeper/x"), "x");
    });
    AtomicFiles.replaceDirectory(target, true, tmp -> Files.writeString(tmp.resolve("b.txt"), "B"));
    assertEquals("B", Files.readString(target.resolve("b.txt")));
    assertFalse(Files.exists(target.resolve("a.txt")));
    assertFalse(Files.exists(target.resolve("nested")));
    assertEquals(List.of("model"), names());
  }

  @Test
  void builderFailureKeepsOldDirectoryAndRemovesTemp() throws IOException {
    Path target = dir.resolve("model");
    AtomicFiles.replaceDirectory(target, false, tmp -> Files.writeString(tmp.resolve("a.txt"), "A"));
    assertThrows(IOException.class, () -> AtomicFiles.replaceDirectory(target, true, tmp -> {
      Files.writeString(tmp.resolve("half.txt"), "half");
      throw new IOException("export failed");
    }));
    assertEquals("A", Files.readString(target.resolve("a.txt")));
    assertFalse(Files.exists(target.resolve("half.txt")));
    assertEquals(List.of("model"), names());
  }

  @Test
  void deleteRecursivelyRemovesTreeAndIgnoresMissing() throws IOException {
    Path root = dir.resolve("t");
    Files.createDirectories(root.resolve("x/y"));
    Files.writeString(root.resolve("x/y/f"), "f");
    AtomicFiles.deleteRecursively(root);
    assertFalse(Files.exists(root));
    AtomicFiles.deleteRecursively(root);
    assertTrue(names().isEmpty());
  }
}
