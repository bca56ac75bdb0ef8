package org.rnn4j.text;

/** One example: a label (a class name) and its text, with the line it came from. */
public final class LabeledText {
  private final String label;
  private final String text;
  private final long line;

  public LabeledText(String label, String text, long line) {
    this.label = label;
    this.text = text;
    this.line = line;
  }

  public LabeledText(String label, String text) {
    this(label, text, 0);
  }

  public String label() {
    return label;
  }

  public String text() {
    return text;
  }

  /** Line of the record in its file, or 0. */
  public long line() {
    return line;
  }
}
