package org.jlip.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Data must come from regular files: reading a FIFO blocks until some process writes to it, a device such as
 * /dev/zero never ends, and a directory fails with an error that does not say what was expected.
 */
final class DataFiles {

  private DataFiles() {}

  /**
   * Refuses a file that exists but is not a regular file (symbolic links are followed). A missing file is left to
   * the caller, which knows what to suggest.
   *
   * @param expected what the file should hold, for the message ("an IDX file")
   */
  static void refuseSpecial(Path file, String expected) throws MalformedDataException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new MalformedDataException(file, "expected " + expected + " in a regular file, found "
          + (Files.isDirectory(file) ? "a directory" : "a FIFO, device or socket, which jlip does not read"));
    }
  }
}
