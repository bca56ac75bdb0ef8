package org.rnn4j.cli;

import org.rnn4j.translate.DecodeOptions;
import picocli.CommandLine.Option;

/** How translate and eval-seq2seq decode: greedy or a beam, the length penalty and the output limit. */
final class DecodeFlags {
  @Option(names = "--beam", defaultValue = "1", paramLabel = "K", description = "Beam search with K hypotheses; 1 is greedy (default: ${DEFAULT-VALUE}).")
  int beam;
  @Option(names = "--length-penalty", defaultValue = "0", paramLabel = "ALPHA", description = "GNMT's length penalty ((5+len)/6)^ALPHA; 0 = none (default: ${DEFAULT-VALUE}).")
  float lengthPenalty;
  @Option(names = "--max-length-ratio", defaultValue = "2", paramLabel = "R", description = "Output at most R × source tokens + 10 (default: ${DEFAULT-VALUE}).")
  float maxLengthRatio;

  DecodeOptions options() {
    return new DecodeOptions(beam, lengthPenalty, maxLengthRatio);
  }
}
