package org.rnn4j.persist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.network.NetConfig;
import org.rnn4j.network.Seq2SeqConfig;
import org.rnn4j.nn.Attention;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Pooling;

/**
 * A model directory's config.json (docs/model-format.md), format version 1: what the model does
 * ({@code task}), the network, how text becomes ids, the settings it was trained with, where it
 * came from and its best epoch. Every key of the document is written and read here.
 *
 * @param task      "classification", "language_model", ...
 * @param network   the architecture ("model" in the file) of a classifier or language model
 * @param classes   class names in logit order; null for tasks without classes
 * @param tokenizer the tokenizer's name
 * @param maxLength texts are cut to this many tokens; 0 keeps all; null where the task has no such setting
 * @param training  the training settings' JSON (keys are the command-line flags); null for an import
 * @param provenance data fingerprints, version, seed; null when the file has none
 * @param best      the best epoch's numbers; null when not trained by rnn4j
 * @param translation the encoder-decoder of a translation model (then {@code network} is null), else null
 */
public record ModelConfig(String task, NetConfig network, List<String> classes, String tokenizer, Integer maxLength,
                          Map<String, Object> training, Provenance provenance, Map<String, Object> best,
                          Seq2SeqConfig translation) {
  public static final String FORMAT = "rnn4j-model";
  public static final int FORMAT_VERSION = 1;
  /** The task of a translation model, whose "model" object describes a {@link Seq2SeqConfig}. */
  public static final String TRANSLATION = "translation";
  static final String CHECKSUMS = "checksums";

  /** A classifier's or a language model's document: the network is a {@link NetConfig}. */
  public ModelConfig(String task, NetConfig network, List<String> classes, String tokenizer, Integer maxLength,
                     Map<String, Object> training, Provenance provenance, Map<String, Object> best) {
    this(task, network, classes, tokenizer, maxLength, training, provenance, best, null);
  }

  /** A translation model's document (task {@link #TRANSLATION}). */
  public static ModelConfig ofTranslation(Seq2SeqConfig network, String tokenizer, int maxLength,
                                          Map<String, Object> training, Provenance provenance,
                                          Map<String, Object> best) {
    return new ModelConfig(TRANSLATION, null, null, tokenizer, maxLength, training, provenance, best, network);
  }

  /** The document as written to config.json (without "checksums", which the commit adds). */
  public Map<String, Object> toJson() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("format", FORMAT);
    c.put("format_version", FORMAT_VERSION);
    c.put("task", task);
    c.put("model", translation != null ? translationJson(translation) : networkJson(network));
    if (classes != null) {
      c.put("classes", classes);
    }
    c.put("tokenizer", tokenizer);
    if (maxLength != null) {
      c.put("max_length", maxLength);
    }
    if (training != null) {
      c.put("training", training);
    }
    if (provenance != null) {
      c.put("provenance", provenance.toJson());
    }
    if (best != null) {
      c.put("best", best);
    }
    return c;
  }

  /**
   * Reads config.json's document; {@link FormatException} naming the file when it is not an rnn4j
   * model, is of a newer format version, is for another task than {@code task} (when not null), or
   * describes no valid network.
   */
  @SuppressWarnings("unchecked")
  public static ModelConfig fromJson(Map<String, Object> c, Path file, String task) throws FormatException {
    if (!FORMAT.equals(c.get("format"))) {
      throw new FormatException(file + ": not an rnn4j model (format is " + c.get("format") + ", expected "
          + FORMAT + ")");
    }
    if (!(c.get("format_version") instanceof Long v)) {
      throw new FormatException(file + ": no format_version");
    }
    if (v > FORMAT_VERSION) {
      throw new FormatException(file + ": format version " + v + " is newer than this rnn4j supports ("
          + FORMAT_VERSION + "); upgrade rnn4j to load it");
    }
    if (task != null && !task.equals(c.get("task"))) {
      throw new FormatException(file + ": task is " + c.get("task") + ", not " + task);
    }
    try {
      List<String> classes = null;
      if (c.containsKey("classes")) {
        if (!(c.get("classes") instanceof List<?> list)) {
          throw new IllegalArgumentException("\"classes\" is not a list");
        }
        classes = new ArrayList<>();
        for (Object o : list) {
          classes.add(String.valueOf(o));
        }
      }
      Integer maxLength = c.get("max_length") instanceof Number n ? n.intValue() : null;
      Provenance provenance = c.get("provenance") instanceof Map<?, ?> p
          ? Provenance.fromJson((Map<String, Object>) p) : null;
      boolean translation = TRANSLATION.equals(c.get("task"));
      return new ModelConfig(String.valueOf(c.get("task")), translation ? null : network(c.get("model")), classes,
          (String) c.get("tokenizer"), maxLength, (Map<String, Object>) c.get("training"), provenance,
          (Map<String, Object>) c.get("best"), translation ? translation(c.get("model")) : null);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new FormatException(file + ": invalid: " + e.getMessage());
    }
  }

  /** config.json's "model" object. */
  static Map<String, Object> networkJson(NetConfig a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cell", a.cell().id());
    m.put("vocabulary", a.vocabulary());
    m.put("embed", a.embed());
    m.put("hidden", a.hidden());
    m.put("layers", a.layers());
    m.put("bidirectional", a.bidirectional());
    m.put("dropout", (double) a.dropout());
    m.put("pooling", a.pooling().id());
    m.put("classes", a.classes());
    m.put("padding_index", a.paddingIndex());
    return m;
  }

  /** config.json's "model" object of a translation model. */
  static Map<String, Object> translationJson(Seq2SeqConfig a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cell", a.cell().id());
    m.put("source_vocabulary", a.sourceVocabulary());
    m.put("target_vocabulary", a.targetVocabulary());
    m.put("embed", a.embed());
    m.put("hidden", a.hidden());
    m.put("layers", a.layers());
    m.put("bidirectional", a.bidirectional());
    m.put("attention", a.attention().id());
    m.put("dropout", (double) a.dropout());
    m.put("tied_embeddings", a.tiedEmbeddings());
    return m;
  }

  /** The encoder-decoder of a translation model's "model" object; IllegalArgumentException naming what is wrong. */
  static Seq2SeqConfig translation(Object model) {
    if (!(model instanceof Map<?, ?> a)) {
      throw new IllegalArgumentException("no \"model\" object");
    }
    return new Seq2SeqConfig(CellType.parse((String) a.get("cell")), intOf(a, "source_vocabulary"),
        intOf(a, "target_vocabulary"), intOf(a, "embed"), intOf(a, "hidden"), intOf(a, "layers"),
        Boolean.TRUE.equals(a.get("bidirectional")), Attention.Kind.parse(String.valueOf(a.get("attention"))),
        a.get("dropout") instanceof Number n ? n.floatValue() : 0f, Boolean.TRUE.equals(a.get("tied_embeddings")));
  }

  /** The network of config.json's "model" object; IllegalArgumentException naming what is wrong. */
  static NetConfig network(Object model) {
    if (!(model instanceof Map<?, ?> a)) {
      throw new IllegalArgumentException("no \"model\" object");
    }
    return NetConfig.builder()
        .cell(CellType.parse((String) a.get("cell")))
        .vocabulary(intOf(a, "vocabulary"))
        .embed(intOf(a, "embed"))
        .hidden(intOf(a, "hidden"))
        .layers(intOf(a, "layers"))
        .bidirectional(Boolean.TRUE.equals(a.get("bidirectional")))
        .dropout(a.get("dropout") instanceof Number n ? n.floatValue() : 0f)
        .pooling(Pooling.parse((String) a.get("pooling")))
        .classes(intOf(a, "classes"))
        .paddingIndex(a.get("padding_index") instanceof Number n ? n.intValue() : -1)
        .build();
  }

  private static int intOf(Map<?, ?> a, String k) {
    if (!(a.get(k) instanceof Number n)) {
      throw new IllegalArgumentException("model." + k + " is missing or not a number");
    }
    return n.intValue();
  }
}
