/**
 * The model server: {@link org.rnn4j.serve.ModelServer} serves classifiers and language models
 * over HTTP on the JDK's built-in server, so it needs no dependency beyond the JDK.
 */
module org.rnn4j.serve {
  requires transitive org.rnn4j.tasks;
  requires transitive jdk.httpserver;

  exports org.rnn4j.serve;
}
