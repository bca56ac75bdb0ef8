/** Text in, token ids out: tokenizers, vocabularies, data readers and batching. */
module org.rnn4j.text {
  requires transitive org.rnn4j.core;

  exports org.rnn4j.text;
}
