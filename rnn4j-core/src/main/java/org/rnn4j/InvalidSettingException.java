package org.rnn4j;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A setting of a run is out of range or contradicts another. The message names each setting as
 * the Java API does (the builder setter, or the argument: {@code validFraction}, {@code out}); a
 * front end renders the same message with its own names ({@link #message}): the command line
 * says {@code --valid-fraction} and {@code --out}.
 */
public class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("\\{(\\w+)}");

  private final String template;

  /** {@code template} writes each setting as {@code {name}}. */
  public InvalidSettingException(String template) {
    super(render(template, UnaryOperator.identity()));
    this.template = template;
  }

  /** The message with every setting named by {@code name}. */
  public String message(UnaryOperator<String> name) {
    return render(template, name);
  }

  /** Replaces every {@code {name}} in template with name(name). */
  public static String render(String template, UnaryOperator<String> name) {
    Matcher m = NAME.matcher(template);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(name.apply(m.group(1))));
    }
    return m.appendTail(b).toString();
  }
}
