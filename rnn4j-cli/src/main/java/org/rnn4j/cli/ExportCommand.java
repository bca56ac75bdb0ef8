package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.onnx.Onnx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Export a classifier to ONNX (docs/model-format.md, \"To ONNX\").",
        "Inputs ids int64 [batch, time] and lengths int64 [batch]; outputs logits and probabilities."})
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Classifier directory.")
  Path model;
  @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The .onnx file to write.")
  Path onnx;
  @Option(names = "--opset", defaultValue = "17", description = "ONNX opset, 14..21 (default: ${DEFAULT-VALUE}).")
  int opset;

  @Override
  public Integer call() throws Exception {
    Onnx.export(model, onnx, opset);
    System.out.println("wrote " + onnx + " (" + Files.size(onnx) + " bytes, opset " + opset + ")");
    return 0;
  }
}
