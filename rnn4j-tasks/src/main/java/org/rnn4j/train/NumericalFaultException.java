package org.rnn4j.train;

import java.util.function.UnaryOperator;
import org.rnn4j.InvalidSettingException;

/**
 * Training produced NaN or infinity; the message names the step, the batch and the tensor, where
 * the last good checkpoint is, and the settings that help (named as {@link InvalidSettingException}
 * names them).
 */
public class NumericalFaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final String REMEDIES = " (lower {lr}, set {clip}, or set {onNan} to skip)";

  private final String template;

  NumericalFaultException(String where) {
    super(InvalidSettingException.render(where + REMEDIES, UnaryOperator.identity()));
    this.template = where + REMEDIES;
  }

  /** The message with every setting named by {@code name}. */
  public String message(UnaryOperator<String> name) {
    return InvalidSettingException.render(template, name);
  }
}
