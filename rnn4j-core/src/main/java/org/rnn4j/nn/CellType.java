package org.rnn4j.nn;

import java.util.Locale;

/** The recurrent cells, with PyTorch's formulation and gate order. */
public enum CellType {
  /** h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
  RNN_TANH(1, "rnn_tanh"),
  /** h' = relu(W_ih x + b_ih + W_hh h + b_hh). */
  RNN_RELU(1, "rnn_relu"),
  /** Gates i, f, g, o; c' = f·c + i·g; h' = o·tanh(c'). */
  LSTM(4, "lstm"),
  /** Gates r, z, n; n = tanh(W_in x + b_in + r·(W_hn h + b_hn)); h' = (1-z)·n + z·h. */
  GRU(3, "gru");

  private final int gates;
  private final String id;

  CellType(int gates, String id) {
    this.gates = gates;
    this.id = id;
  }

  /** Number of gate blocks in W_ih / W_hh (rows = gates × hidden). */
  public int gates() {
    return gates;
  }

  /** Stable identifier used in config files: rnn_tanh, rnn_relu, lstm, gru. */
  public String id() {
    return id;
  }

  public boolean hasCellState() {
    return this == LSTM;
  }

  /**
   * Parses rnn_tanh, rnn_relu, lstm, gru (case-insensitive); {@code rnn} means rnn_tanh.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static CellType parse(String s) {
    String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    return switch (k) {
      case "rnn", "rnn_tanh", "tanh" -> RNN_TANH;
      case "rnn_relu", "relu" -> RNN_RELU;
      case "lstm" -> LSTM;
      case "gru" -> GRU;
      default -> throw new IllegalArgumentException("unknown cell type '" + s
          + "' (allowed: rnn, rnn_tanh, rnn_relu, lstm, gru)");
    };
  }
}
