package org.rnn4j.text;

/**
 * One example: a label (a class name) and its text.
 *
 * @param line the line of the record in its file, or 0 for an example built in memory; errors name it
 */
public record LabeledText(String label, String text, long line) {
  public LabeledText(String label, String text) {
    this(label, text, 0);
  }
}
