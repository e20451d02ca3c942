package org.jlip.data;

import java.io.IOException;

/** A data set could not be found; the message says where it was looked for and how to install it. */
public class DataNotFoundException extends IOException {

  private static final long serialVersionUID = 1L;

  public DataNotFoundException(String message) {
    super(message);
  }
}
