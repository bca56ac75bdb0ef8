/** ONNX export of rnn4j models: {@link org.rnn4j.onnx.Onnx}. */
module org.rnn4j.onnx {
  requires transitive org.rnn4j.tasks;

  exports org.rnn4j.onnx;
}
