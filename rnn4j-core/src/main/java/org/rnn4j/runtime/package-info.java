/**
 * Facts about the running JVM that rnn4j acts on: the measured fma peak (benchmarks report each
 * kernel's share of it), compiling the kernels on a spare core while data loads, and noticing
 * when the JIT left vector operations boxed. Exported to rnn4j's own modules only.
 */
package org.rnn4j.runtime;
