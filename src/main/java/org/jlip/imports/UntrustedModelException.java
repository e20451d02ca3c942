package org.jlip.imports;

import java.io.IOException;

/**
 * A model refused for safety: it holds an operation jlip will not run (file, network, process or Python ops, or
 * anything outside the allowlist), or an archive entry that would escape its folder.
 */
public class UntrustedModelException extends IOException {
  private static final long serialVersionUID = 1L;

  public UntrustedModelException(String message) {
    super(message);
  }
}
