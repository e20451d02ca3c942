package org.jlip.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file exists but its content is not what its format promises (bad magic number, wrong dimensions,
 * truncated payload, inconsistent image/label counts). The message names the file and what was expected
 * versus found.
 */
public class MalformedDataException extends IOException {

  private static final long serialVersionUID = 1L;

  public MalformedDataException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public MalformedDataException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
