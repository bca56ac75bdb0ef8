/**
 * What rnn4j trains and serves: text classification ({@code org.rnn4j.classify}), language
 * models ({@code org.rnn4j.lm}) and translation ({@code org.rnn4j.translate}), the training loop they share ({@code org.rnn4j.train}), and model
 * directories and checkpoints ({@code org.rnn4j.persist}).
 */
module org.rnn4j.tasks {
  requires transitive org.rnn4j.core;
  requires transitive org.rnn4j.text;
  requires java.desktop;

  exports org.rnn4j.classify;
  exports org.rnn4j.lm;
  exports org.rnn4j.persist;
  exports org.rnn4j.train;
  exports org.rnn4j.translate;
}
