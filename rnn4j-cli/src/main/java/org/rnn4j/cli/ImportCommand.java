package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.TorchImport;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Make a classifier directory from a PyTorch state dict saved as safetensors "
        + "(docs/model-format.md, \"From PyTorch\")."})
final class ImportCommand implements Callable<Integer> {
  @Option(names = "--torch", required = true, paramLabel = "FILE",
      description = "The state dict: safetensors.torch.save_file(model.state_dict(), FILE).")
  Path torch;
  @Option(names = "--cell", required = true, description = "rnn, rnn_relu, lstm or gru.")
  String cell;
  @Option(names = "--vocab", required = true, paramLabel = "FILE", description = "Tokens in id order, one per line.")
  Path vocab;
  @Option(names = "--classes", required = true, split = ",", paramLabel = "A,B,...", description = "Class names in output order.")
  List<String> classes;
  @Option(names = "--pooling", defaultValue = "last", description = "last or mean (default: ${DEFAULT-VALUE}).")
  String pooling;
  @Option(names = "--tokenizer", defaultValue = "basic_english", description = "basic_english, whitespace or char (default: ${DEFAULT-VALUE}).")
  String tokenizer;
  @Option(names = "--max-length", defaultValue = "0", description = "Tokens read per text; 0 = all (default: ${DEFAULT-VALUE}).")
  int maxLength;
  @Option(names = "--rename", paramLabel = "OLD=NEW", description = "Rename a module (repeatable), e.g. emb=embedding.")
  Map<String, String> rename = new LinkedHashMap<>();
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model directory to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    CellType c;
    Pooling p;
    try {
      c = CellType.parse(cell);
      p = Pooling.parse(pooling);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Classifier model = new TorchImport(torch, vocab, classes, c, p, tokenizer, maxLength, rename).writeTo(out);
    System.out.println("wrote " + out + ": " + model.architecture() + ", classes " + model.classes());
    return 0;
  }
}
