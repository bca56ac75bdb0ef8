package org.rnn4j.text;

import java.io.IOException;
import java.nio.file.Path;

/** A data file has a problem at a known place; the message reads {@code file:line: problem}. */
public class DataException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final long line;
  private final String problem;

  public DataException(Path file, long line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  public Path file() {
    return file;
  }

  /** 1-based line, or 0 when the problem concerns the whole file. */
  public long line() {
    return line;
  }

  /** The problem without the location. */
  public String problem() {
    return problem;
  }
}
