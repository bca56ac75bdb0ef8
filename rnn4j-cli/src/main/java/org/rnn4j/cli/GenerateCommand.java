package org.rnn4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.network.Sampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Generate text from a language model, streaming it to stdout as it is produced.",
        "Samples from softmax(logits / T), optionally restricted to the top k tokens or the top-p nucleus."})
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  Path model;
  @Option(names = "--prime", defaultValue = "", paramLabel = "TEXT", description = "Text to start from (printed first; default: a line break).")
  String prime;
  @Option(names = "--length", defaultValue = "500", paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
  int length;
  @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T", description = "> 0; lower is more conservative (default: ${DEFAULT-VALUE}).")
  double temperature;
  @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "Sample only among the K most likely tokens; 0 = all (default: ${DEFAULT-VALUE}).")
  int topK;
  @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "P", description = "Sample only among the smallest set of tokens with probability >= P (default: ${DEFAULT-VALUE}).")
  double topP;
  @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: a new one each run).")
  Long seed;
  @Option(names = "--greedy", description = "Always take the most likely token (ignores --temperature, --top-k, --top-p).")
  boolean greedy;

  @Override
  public Integer call() throws Exception {
    if (length < 0 || length > 10_000_000) {
      throw new UsageException("--length must be in 0..10000000, got " + length);
    }
    if (!greedy) {
      Sampler.random(temperature, topK, topP, 0, 1); // checks the flags before the model loads
    }
    LanguageModel lm = Commands.loadLanguageModel(model);
    Sampler sampler = greedy ? lm.greedySampler()
        : lm.sampler(temperature, topK, topP, seed != null ? seed : System.nanoTime());
    // UTF-8 whatever the platform default; flushed per token so the text streams.
    lm.encodePrime(prime); // refuses unknown characters before anything is printed
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    out.print(prime);
    out.flush();
    lm.generate(prime, length, sampler, s -> {
      out.print(s);
      out.flush();
    });
    out.println();
    out.flush();
    return 0;
  }
}
