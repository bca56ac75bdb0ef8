package org.rnn4j.classify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Safetensors;
import org.rnn4j.network.ClassifierNet;
import org.rnn4j.network.NetConfig;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.Pooling;
import org.rnn4j.persist.ModelConfig;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.persist.Provenance;
import org.rnn4j.text.Tokenizer;
import org.rnn4j.text.Vocabulary;

/**
 * Makes an rnn4j classifier directory from a PyTorch state dict saved as safetensors
 * ({@code safetensors.torch.save_file(model.state_dict(), ...)}): what tools/pytorch/export_classifier.py
 * does in Python, so a PyTorch user needs no script of ours. The model is the lesson's: Embedding →
 * nn.RNN/LSTM/GRU (batch_first) → last state or mean over valid steps → Linear; PyTorch's names and
 * gate orders are rnn4j's own, so the tensors are copied, not converted. The architecture (sizes,
 * layers, directions) is read from the tensors' shapes.
 *
 * @param stateDict the .safetensors file
 * @param vocab     the vocabulary in id order, one token per line (rnn4j's vocab.txt escapes)
 * @param classes   class names in output order
 * @param rename    module renames, old → new ({@code emb} → {@code embedding} for torch_agnews.py)
 */
public record TorchImport(Path stateDict, Path vocab, List<String> classes, CellType cell, Pooling pooling,
                          String tokenizer, int maxLength, Map<String, String> rename) {
  /**
   * Writes the model directory {@code out} (atomically) and returns the loaded classifier.
   *
   * @throws FormatException naming the file whose tensors or tokens do not fit
   * @throws InvalidSettingException naming the argument that is out of range
   */
  public Classifier writeTo(Path out) throws IOException {
    if (classes == null || classes.size() < 2) {
      throw new InvalidSettingException("{classes} must name at least 2 classes");
    }
    try {
      Tokenizer.named(tokenizer);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("{tokenizer}: " + e.getMessage());
    }
    if (maxLength < 0) {
      throw new InvalidSettingException("{maxLength} must be >= 0, got " + maxLength);
    }
    Vocabulary v = Vocabulary.fromText(Files.readString(vocab, StandardCharsets.UTF_8), vocab.toString());
    Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
    for (Safetensors.Tensor t : Safetensors.read(stateDict).tensors().values()) {
      String name = t.name();
      for (Map.Entry<String, String> r : rename.entrySet()) {
        if (name.startsWith(r.getKey() + ".")) {
          name = r.getValue() + name.substring(r.getKey().length());
        }
      }
      tensors.put(name, t);
    }
    String file = stateDict.toString();
    Safetensors.Tensor emb = require(tensors, "embedding.weight", file);
    Safetensors.Tensor whh = require(tensors, "rnn.weight_hh_l0", file);
    int layers = 0;
    while (tensors.containsKey("rnn.weight_ih_l" + layers)) {
      layers++;
    }
    boolean bidirectional = tensors.containsKey("rnn.weight_ih_l0_reverse");
    int hidden = (int) whh.shape()[1];
    if (whh.shape()[0] != (long) cell.gates() * hidden) {
      throw new FormatException(file + ": rnn.weight_hh_l0 is " + whh.shape()[0] + "×" + hidden + ", which is not a "
          + cell.id() + " layer (" + cell.gates() + " gates of " + hidden + ")");
    }
    if (emb.shape()[0] != v.size()) {
      throw new FormatException(vocab + ": has " + v.size() + " tokens but embedding.weight in " + file + " has "
          + emb.shape()[0] + " rows");
    }
    NetConfig arch;
    try {
      arch = NetConfig.builder().cell(cell).vocabulary(v.size()).embed((int) emb.shape()[1]).hidden(hidden)
          .layers(layers).bidirectional(bidirectional).pooling(pooling).classes(classes.size())
          .paddingIndex(-1).build(); // as nn.Embedding without padding_idx, the lesson's model
    } catch (IllegalArgumentException e) {
      throw new FormatException(file + ": " + e.getMessage());
    }
    ClassifierNet net = new ClassifierNet(arch);
    List<String> missing = new ArrayList<>();
    for (Parameter p : net.parameters().parameters()) {
      Safetensors.Tensor t = tensors.remove(p.name());
      if (t == null) {
        missing.add(p.name());
        continue;
      }
      if (t.elements() != p.size()) {
        throw new FormatException(file + ": " + p.name() + " has " + t.elements() + " values, the "
            + arch + " needs " + p.size());
      }
      p.set(t.toFloats());
    }
    if (!missing.isEmpty()) {
      throw new FormatException(file + ": lacks " + missing + " (rename modules with --rename OLD=NEW)");
    }
    if (!tensors.isEmpty()) {
      throw new FormatException(file + ": has tensors this classifier does not use: " + tensors.keySet());
    }
    Provenance from = new Provenance(null, null, null, null, null, null,
        Map.of("exported_from", "pytorch state dict " + stateDict.getFileName()));
    ModelConfig config = new ModelConfig("classification", arch, List.copyOf(classes), tokenizer,
        maxLength == 0 ? null : maxLength, null, from, null);
    ModelDirectory.commit(out, config, v, net.parameters());
    return Classifier.load(out);
  }

  private static Safetensors.Tensor require(Map<String, Safetensors.Tensor> t, String name, String file)
      throws FormatException {
    Safetensors.Tensor x = t.get(name);
    if (x == null) {
      throw new FormatException(file + ": has no " + name + " (rename modules with --rename OLD=NEW; tensors: "
          + t.keySet() + ")");
    }
    return x;
  }
}
