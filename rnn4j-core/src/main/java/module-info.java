/**
 * The engine: recurrent layers as explicit forward/backward pairs over flat float buffers, whole
 * networks, optimizers, PyTorch-reproducible random numbers, safetensors and JSON. Internals that
 * only rnn4j's own modules use (the GEMM and element-wise kernels, runtime diagnostics) are
 * exported to those alone. See docs/architecture.md.
 */
module org.rnn4j.core {
  requires transitive jdk.incubator.vector;
  requires java.management;
  requires jdk.management;
  requires dev.ludovic.netlib.blas;

  exports org.rnn4j;
  exports org.rnn4j.io;
  exports org.rnn4j.nn;
  exports org.rnn4j.network;
  exports org.rnn4j.optim;
  exports org.rnn4j.random;
  exports org.rnn4j.math to org.rnn4j.tasks, org.rnn4j.cli;
  exports org.rnn4j.runtime to org.rnn4j.tasks, org.rnn4j.cli;
}
