package org.rnn4j;

/** rnn4j's version, as model provenance, checkpoints and benchmark results record it. */
public final class Rnn4j {
  public static final String VERSION = "0.1.0";

  private Rnn4j() {}
}
