package org.jlip.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files and directories so that readers see either the old content or the complete new content, never a
 * partial one: content goes to a temporary sibling (same directory, hence same file system), is fsynced, then
 * renamed into place with {@link StandardCopyOption#ATOMIC_MOVE}. Temporaries are deleted when writing fails.
 */
public final class AtomicFiles {

  private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

  private AtomicFiles() {}

  /** Atomically replaces (or creates) target with bytes. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Atomically replaces (or creates) target with a UTF-8 string. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Atomically replaces (or creates) target with what writer writes. If writer throws, target is left untouched
   * and the temporary file is deleted.
   */
  public static void write(Path target, IoConsumer<OutputStream> writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    readableByAll(temp, "rw-r--r--");
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        writer.accept(out);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      fsyncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Atomically creates or replaces directory target with one that builder fills: builder receives an empty
   * temporary sibling directory, whose files are fsynced and which is then renamed to target.
   *
   * @param overwrite when false an existing target is refused with {@link FileAlreadyExistsException} (before
   *     builder runs); when true the old target is moved aside and deleted only after the new one is in place
   *     (if that rename fails, the old directory is moved back)
   */
  public static void replaceDirectory(Path target, boolean overwrite, IoConsumer<Path> builder) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path parent = absolute.getParent();
    String name = absolute.getFileName().toString();
    if (!overwrite && Files.exists(absolute)) {
      throw new FileAlreadyExistsException(absolute.toString(), null, "target exists and overwrite is false");
    }
    Files.createDirectories(parent);
    String tempPrefix = "." + name + ".tmp-";
    Path temp = Files.createTempDirectory(parent, tempPrefix);
    readableByAll(temp, "rwxr-xr-x");
    Path old = null;
    boolean done = false;
    try {
      builder.accept(temp);
      fsyncTree(temp);
      if (Files.exists(absolute)) {
        if (!overwrite) {
          throw new FileAlreadyExistsException(absolute.toString(), null, "target appeared while building");
        }
        String suffix = temp.getFileName().toString().substring(tempPrefix.length());
        old = parent.resolve("." + name + ".old-" + suffix);
        Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) {
          Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE);
          old = null;
        }
        throw e;
      }
      done = true;
      fsyncDirectory(parent);
    } finally {
      if (!done) {
        deleteRecursively(temp);
      }
    }
    if (old != null) {
      deleteRecursively(old);
    }
  }

  /**
   * Temporary files and directories are created private (0600, 0700); what they become is a normal output, which
   * a server running as another user (TF Serving) must be able to read.
   */
  private static void readableByAll(Path path, String permissions) throws IOException {
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }

  /** Deletes a file or directory tree; a missing path is not an error. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void fsyncTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (Files.isRegularFile(p)) {
          try (FileChannel channel = FileChannel.open(p, StandardOpenOption.READ)) {
            channel.force(true);
          }
        } else if (Files.isDirectory(p)) {
          fsyncDirectory(p);
        }
      }
    }
  }

  /** Makes a rename durable; not every platform can open a directory, so failure is only logged. */
  private static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }
}
