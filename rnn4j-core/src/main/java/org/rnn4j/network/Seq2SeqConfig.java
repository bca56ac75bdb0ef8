package org.rnn4j.network;

import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellType;

/**
 * Architecture of a {@link Seq2SeqNet}. The encoder and the decoder share the cell, the embedding
 * and hidden sizes and the number of layers; only the encoder may be bidirectional.
 *
 * @param sourceVocabulary ids of the source side, including the special tokens
 * @param targetVocabulary ids of the target side, including the special tokens
 * @param dropout          between stacked layers of the encoder and of the decoder, as PyTorch's
 *                         {@code dropout} argument of nn.GRU
 * @param tiedEmbeddings   the output layer's weight is the target embedding (needs embed = hidden)
 */
public record Seq2SeqConfig(CellType cell, int sourceVocabulary, int targetVocabulary, int embed, int hidden,
                            int layers, boolean bidirectional, Attention.Kind attention, float dropout,
                            boolean tiedEmbeddings) {
  /** Without tied embeddings. */
  public Seq2SeqConfig(CellType cell, int sourceVocabulary, int targetVocabulary, int embed, int hidden, int layers,
                       boolean bidirectional, Attention.Kind attention, float dropout) {
    this(cell, sourceVocabulary, targetVocabulary, embed, hidden, layers, bidirectional, attention, dropout, false);
  }

  /** @throws IllegalArgumentException naming the first field out of range */
  public Seq2SeqConfig {
    if (cell == null || attention == null) {
      throw new IllegalArgumentException("cell and attention must be given");
    }
    positive("sourceVocabulary", sourceVocabulary);
    positive("targetVocabulary", targetVocabulary);
    positive("embed", embed);
    positive("hidden", hidden);
    positive("layers", layers);
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (tiedEmbeddings && embed != hidden) {
      throw new IllegalArgumentException("tied embeddings need the embedding size (" + embed
          + ") to equal the hidden size (" + hidden + ")");
    }
    if (attention == Attention.Kind.DOT && bidirectional) {
      throw new IllegalArgumentException("dot attention needs encoder outputs of the decoder's size: "
          + "use general or additive attention with a bidirectional encoder");
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
  }

  /** K: the size of an encoder output, and of the attention context. */
  public int memorySize() {
    return (bidirectional ? 2 : 1) * hidden;
  }

  /** The recipe of {@code ../shared/bench/torch_seq2seq.py}: GRU, 128, 256, one layer, additive attention. */
  public static Seq2SeqConfig reference(int sourceVocabulary, int targetVocabulary) {
    return new Seq2SeqConfig(CellType.GRU, sourceVocabulary, targetVocabulary, 128, 256, 1, false,
        Attention.Kind.ADDITIVE, 0f);
  }
}
