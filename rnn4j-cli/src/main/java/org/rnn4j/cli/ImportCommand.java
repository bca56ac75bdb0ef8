package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.TorchImport;
import org.rnn4j.keras.KerasImport;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Make a classifier directory from a PyTorch state dict saved as safetensors, or from a Keras "
        + "model (.keras or .h5): docs/model-format.md, \"From PyTorch\" and \"From Keras\"."})
final class ImportCommand implements Callable<Integer> {
  @Option(names = "--torch", paramLabel = "FILE",
      description = "A PyTorch state dict: safetensors.torch.save_file(model.state_dict(), FILE).")
  Path torch;
  @Option(names = "--keras", paramLabel = "FILE", description = "A Keras model: MODEL.keras or MODEL.h5.")
  Path keras;
  @Option(names = "--cell", description = "With --torch: rnn, rnn_relu, lstm or gru.")
  String cell;
  @Option(names = "--vocab", paramLabel = "FILE", description = "Tokens in id order, one per line (Keras: "
      + "TextVectorization.get_vocabulary(), \"\" and [UNK] first).")
  Path vocab;
  @Option(names = "--classes", split = ",", paramLabel = "A,B,...", description = "Class names in output order.")
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
    if ((torch == null) == (keras == null)) {
      throw new UsageException("give either --torch FILE or --keras FILE");
    }
    Classifier model = keras != null ? KerasImport.importClassifier(keras, vocab, classes, out) : fromTorch();
    System.out.println("wrote " + out + ": " + model.architecture() + ", classes " + model.classes());
    return 0;
  }

  private Classifier fromTorch() throws Exception {
    if (cell == null || vocab == null || classes == null) {
      throw new UsageException("--torch needs --cell, --vocab and --classes");
    }
    CellType c;
    Pooling p;
    try {
      c = CellType.parse(cell);
      p = Pooling.parse(pooling);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return new TorchImport(torch, vocab, classes, c, p, tokenizer, maxLength, rename).writeTo(out);
  }
}
