package org.rnn4j.text;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * torchtext's {@code get_tokenizer("basic_english")}: lower-case, then these replacements in order,
 * then Python's {@code str.split()}:
 * <pre>
 *   '  → " '  "     "  → ""     .  → " . "    &lt;br /&gt; → " "    ,  → " , "    (  → " ( "
 *   )  → " ) "      !  → " ! "  ?  → " ? "    ;  → " "          :  → " "
 * </pre>
 * The replacements run one after another, exactly as torchtext applies its regular expressions, so
 * that, for example, removing a quote can create a {@code <br />} for a later rule.
 */
final class BasicEnglishTokenizer implements Tokenizer {
  static final BasicEnglishTokenizer INSTANCE = new BasicEnglishTokenizer();
  private static final Pattern BREAK = Pattern.compile("<br />", Pattern.LITERAL);

  @Override
  public List<String> tokenize(String text) {
    String s = text.toLowerCase(Locale.ROOT);
    s = replace(s, '\'', " '  ");
    s = replace(s, '"', "");
    s = replace(s, '.', " . ");
    if (s.indexOf("<br />") >= 0) {
      s = BREAK.matcher(s).replaceAll(Matcher.quoteReplacement(" "));
    }
    s = replace(s, ',', " , ");
    s = replace(s, '(', " ( ");
    s = replace(s, ')', " ) ");
    s = replace(s, '!', " ! ");
    s = replace(s, '?', " ? ");
    s = replace(s, ';', " ");
    s = replace(s, ':', " ");
    return PythonText.split(s);
  }

  private static String replace(String s, char c, String with) {
    int i = s.indexOf(c);
    if (i < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    int from = 0;
    while (i >= 0) {
      b.append(s, from, i).append(with);
      from = i + 1;
      i = s.indexOf(c, from);
    }
    return b.append(s, from, s.length()).toString();
  }

  @Override
  public String name() {
    return "basic_english";
  }
}
