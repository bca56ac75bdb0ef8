package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.Pooling;

/** Builds the network a fixture describes and loads its weights. */
final class GoldenNets {
  private GoldenNets() {}

  static ClassifierNet build(Safetensors.Contents f, String weightPrefix) {
    Map<String, String> m = f.metadata();
    NetConfig config = NetConfig.builder()
        .cell(CellType.parse(m.get("cell")))
        .vocabulary(Integer.parseInt(m.get("vocabulary")))
        .embed(Integer.parseInt(m.get("embed")))
        .hidden(Integer.parseInt(m.get("hidden")))
        .layers(Integer.parseInt(m.get("layers")))
        .bidirectional(Boolean.parseBoolean(m.get("bidirectional")))
        .pooling(Pooling.parse(m.get("pooling")))
        .classes(Integer.parseInt(m.get("classes")))
        .paddingIndex(Integer.parseInt(m.get("padding_index")))
        .build();
    ClassifierNet net = new ClassifierNet(config);
    for (Parameter p : net.parameters().parameters()) {
      Safetensors.Tensor t = f.get(weightPrefix + p.name());
      assertNotNull(t, "fixture has no " + weightPrefix + p.name());
      p.set(t.toFloats());
    }
    return net;
  }
}
