package org.rnn4j.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.nn.CellType;

/**
 * Why a classifier decided as it did, for one text (see {@link Classifier#explain}). Shapes, T =
 * tokens the model read (after truncation to max_length), H = hidden size:
 *
 * @param tokens             (T) the tokens as the tokenizer produced them
 * @param unknown            (T) true where a token is not in the vocabulary and was read as {@code <unk>}
 * @param prediction         the prediction, the same bits as {@link Classifier#predict}
 * @param occlusion          (T) how much the predicted class's probability drops when the token is
 *                           removed (negative: the token argued against it); null for a one-token text
 * @param gradientTimesInput (T) the gradient of the predicted class's log-probability with respect to
 *                           the token's embedding, dotted with the embedding
 * @param cell               the recurrent cell, which names the gates
 * @param steps              per layer and direction, the hidden states and gate activations at each step
 */
public record Explanation(List<String> tokens, boolean[] unknown, Prediction prediction, float[] occlusion,
                          float[] gradientTimesInput, CellType cell, List<Steps> steps) {
  /**
   * One layer and direction over the text, rows in token order (a reverse direction's row t is
   * the state after reading token t, having read the tokens after it first).
   *
   * @param hidden (T, H)
   * @param gates  (T, G·H) activations in PyTorch's gate order; empty for plain RNN cells
   */
  public record Steps(int layer, boolean reverse, int hiddenSize, float[] hidden, float[] gates) {}

  /** Gate names in the order {@link Steps#gates} holds them. */
  public List<String> gateNames() {
    return switch (cell) {
      case LSTM -> List.of("input", "forget", "cell", "output");
      case GRU -> List.of("reset", "update", "new");
      case RNN_TANH, RNN_RELU -> List.of();
    };
  }

  /**
   * {"label", "probabilities", "tokens": [{"text", "unknown", "occlusion", "gradient_x_input"}],
   * "cell", "gate_names", "layers": [{"layer", "direction", "hidden": [[H]...], "gates": {name: [[H]...]}}]}.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>(prediction.toJson());
    List<Object> ts = new ArrayList<>();
    for (int t = 0; t < tokens.size(); t++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("text", tokens.get(t));
      e.put("unknown", unknown[t]);
      e.put("occlusion", occlusion == null ? null : occlusion[t]);
      e.put("gradient_x_input", gradientTimesInput[t]);
      ts.add(e);
    }
    m.put("tokens", ts);
    m.put("cell", cell.id());
    m.put("gate_names", gateNames());
    List<Object> layers = new ArrayList<>();
    int tokenCount = tokens.size();
    for (Steps s : steps) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("layer", s.layer());
      l.put("direction", s.reverse() ? "reverse" : "forward");
      int h = s.hiddenSize();
      l.put("hidden", rows(s.hidden(), tokenCount, h, 0, h));
      Map<String, Object> g = new LinkedHashMap<>();
      List<String> names = gateNames();
      for (int i = 0; i < names.size(); i++) {
        g.put(names.get(i), rows(s.gates(), tokenCount, names.size() * h, i * h, h));
      }
      l.put("gates", g);
      layers.add(l);
    }
    m.put("layers", layers);
    return m;
  }

  /** Columns [from, from + width) of each of the rows of a (rows, stride) matrix. */
  private static List<Object> rows(float[] a, int rows, int stride, int from, int width) {
    List<Object> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      List<Object> row = new ArrayList<>(width);
      for (int j = 0; j < width; j++) {
        row.add(a[r * stride + from + j]);
      }
      out.add(row);
    }
    return out;
  }
}
