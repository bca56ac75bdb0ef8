package org.rnn4j.network;

import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;

/**
 * Architecture of a {@link ClassifierNet} (or, with {@code classes} = vocabulary, a language model).
 * Immutable; build with {@link #builder()}. Defaults are the lesson's: LSTM, embedding 64, hidden 32,
 * one unidirectional layer, last-state pooling.
 */
public final class NetConfig {
  private final CellType cell;
  private final int vocabulary;
  private final int embed;
  private final int hidden;
  private final int layers;
  private final boolean bidirectional;
  private final float dropout;
  private final Pooling pooling;
  private final int classes;
  private final int paddingIndex;

  private NetConfig(Builder b) {
    this.cell = b.cell;
    this.vocabulary = b.vocabulary;
    this.embed = b.embed;
    this.hidden = b.hidden;
    this.layers = b.layers;
    this.bidirectional = b.bidirectional;
    this.dropout = b.dropout;
    this.pooling = b.pooling;
    this.classes = b.classes;
    this.paddingIndex = b.paddingIndex;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.cell = cell;
    b.vocabulary = vocabulary;
    b.embed = embed;
    b.hidden = hidden;
    b.layers = layers;
    b.bidirectional = bidirectional;
    b.dropout = dropout;
    b.pooling = pooling;
    b.classes = classes;
    b.paddingIndex = paddingIndex;
    return b;
  }

  public CellType cell() {
    return cell;
  }

  public int vocabulary() {
    return vocabulary;
  }

  public int embed() {
    return embed;
  }

  public int hidden() {
    return hidden;
  }

  public int layers() {
    return layers;
  }

  public boolean bidirectional() {
    return bidirectional;
  }

  public float dropout() {
    return dropout;
  }

  public Pooling pooling() {
    return pooling;
  }

  public int classes() {
    return classes;
  }

  /** Embedding row that never receives gradient, or -1. */
  public int paddingIndex() {
    return paddingIndex;
  }

  @Override
  public String toString() {
    return cell.id() + " vocab=" + vocabulary + " embed=" + embed + " hidden=" + hidden + " layers="
        + layers + (bidirectional ? " bidirectional" : "") + " dropout=" + dropout + " pooling="
        + pooling.id() + " classes=" + classes;
  }

  /** Builder with the lesson's defaults; {@link #build()} validates every field. */
  public static final class Builder {
    private CellType cell = CellType.LSTM;
    private int vocabulary;
    private int embed = 64;
    private int hidden = 32;
    private int layers = 1;
    private boolean bidirectional;
    private float dropout;
    private Pooling pooling = Pooling.LAST;
    private int classes;
    private int paddingIndex = -1;

    public Builder cell(CellType v) {
      cell = v;
      return this;
    }

    public Builder vocabulary(int v) {
      vocabulary = v;
      return this;
    }

    public Builder embed(int v) {
      embed = v;
      return this;
    }

    public Builder hidden(int v) {
      hidden = v;
      return this;
    }

    public Builder layers(int v) {
      layers = v;
      return this;
    }

    public Builder bidirectional(boolean v) {
      bidirectional = v;
      return this;
    }

    public Builder dropout(float v) {
      dropout = v;
      return this;
    }

    public Builder pooling(Pooling v) {
      pooling = v;
      return this;
    }

    public Builder classes(int v) {
      classes = v;
      return this;
    }

    public Builder paddingIndex(int v) {
      paddingIndex = v;
      return this;
    }

    public NetConfig build() {
      require(cell != null, "cell must be set");
      require(vocabulary >= 1, "vocabulary must be >= 1, got " + vocabulary);
      require(embed >= 1, "embed must be >= 1, got " + embed);
      require(hidden >= 1, "hidden must be >= 1, got " + hidden);
      require(layers >= 1, "layers must be >= 1, got " + layers);
      require(dropout >= 0f && dropout < 1f, "dropout must be in [0, 1), got " + dropout);
      require(pooling != null, "pooling must be set");
      require(classes >= 1, "classes must be >= 1, got " + classes);
      require(paddingIndex >= -1 && paddingIndex < vocabulary,
          "paddingIndex must be -1 or in 0.." + (vocabulary - 1) + ", got " + paddingIndex);
      return new NetConfig(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
