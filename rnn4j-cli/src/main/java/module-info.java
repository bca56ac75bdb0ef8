/** The rnn4j command line; it exports nothing, and opens its commands to picocli. */
module org.rnn4j.cli {
  requires org.rnn4j.tasks;
  requires org.rnn4j.serve;
  requires org.rnn4j.onnx;
  requires org.rnn4j.keras;
  requires org.rnn4j.spark;
  requires info.picocli;
  requires java.management;
  requires java.net.http;
  requires jdk.unsupported;

  opens org.rnn4j.cli to info.picocli;
}
