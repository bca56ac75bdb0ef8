package org.rnn4j.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.rnn4j.InvalidSettingException;

/**
 * A data file has a problem at a known place; the message reads {@code file:line: problem}. A
 * problem that names a reader setting writes it {@code {name}}, as {@link InvalidSettingException}
 * does, so that a front end can name it its own way ({@link #message}).
 */
public class DataException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final long line;
  private final String problem;

  public DataException(Path file, long line, String problem) {
    super(InvalidSettingException.render(location(file, line) + problem, UnaryOperator.identity()));
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
    return InvalidSettingException.render(problem, UnaryOperator.identity());
  }

  /** The message with every setting named by {@code name}. */
  public String message(UnaryOperator<String> name) {
    return InvalidSettingException.render(location(file, line) + problem, name);
  }

  private static String location(Path file, long line) {
    return file + (line > 0 ? ":" + line : "") + ": ";
  }
}
