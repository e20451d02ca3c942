package org.jlip.imports;

import java.io.IOException;

/**
 * A well-formed, safe model that jlip cannot certify: an op it cannot bound, a signature it cannot use, a
 * branching graph. The message lists the ops and where they are.
 */
public class UnsupportedModelException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsupportedModelException(String message) {
    super(message);
  }
}
