package org.rnn4j.cli;

import org.rnn4j.network.WeightPrecision;
import picocli.CommandLine.Option;

/** How predict, eval and serve hold a classifier's recurrent weights (see {@link WeightPrecision}). */
final class WeightsFlag {
  @Option(names = "--weights", paramLabel = "PRECISION", defaultValue = "float32", description = "float32 (as trained)"
      + " or bf16: the recurrent weights W_hh rounded to bfloat16 at load, which handles single texts faster;"
      + " outputs move by the rounding (default: ${DEFAULT-VALUE}).")
  WeightPrecision precision;
}
