/**
 * rnn4j used as a library: this module reads only what rnn4j exports, so javac rejects any use of
 * its implementation packages.
 */
module org.rnn4j.examples {
  requires org.rnn4j.tasks;
}
