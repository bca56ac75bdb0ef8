package org.rnn4j.io;

import java.io.IOException;

/** A file's content is not in the expected format (corrupt, truncated, wrong version, ...). */
public class FormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public FormatException(String message) {
    super(message);
  }

  public FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
