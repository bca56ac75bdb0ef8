/**
 * JMH benchmarks of the GEMM and one cell step. This module is a benchmark harness on the class
 * path, not a library: it has no module descriptor and may use the kernels' internals.
 */
package org.rnn4j.bench;
