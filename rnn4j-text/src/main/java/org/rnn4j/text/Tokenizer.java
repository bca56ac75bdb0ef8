package org.rnn4j.text;

import java.util.List;
import java.util.Locale;

/** Splits text into tokens. Implementations are stateless and thread-safe. */
public interface Tokenizer {
  List<String> tokenize(String text);

  /** The name stored in config.json: basic_english, char, whitespace, word or
   * keras_lower_and_strip_punctuation. */
  String name();

  /**
   * The tokenizer with this name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  static Tokenizer named(String name) {
    return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
      case "basic_english" -> BasicEnglishTokenizer.INSTANCE;
      case "char", "character" -> CharacterTokenizer.INSTANCE;
      case "whitespace" -> WhitespaceTokenizer.INSTANCE;
      case KerasTokenizer.NAME -> KerasTokenizer.INSTANCE;
      case WordTokenizer.NAME -> WordTokenizer.INSTANCE;
      default -> throw new IllegalArgumentException("unknown tokenizer '" + name
          + "' (allowed: basic_english, char, whitespace, word, " + KerasTokenizer.NAME + ")");
    };
  }
}
