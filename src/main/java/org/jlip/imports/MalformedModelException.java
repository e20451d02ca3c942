package org.jlip.imports;

import java.io.IOException;

/** A model file or folder that is missing, truncated, corrupt or not in a layout jlip can read. */
public class MalformedModelException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedModelException(String message) {
    super(message);
  }

  public MalformedModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
