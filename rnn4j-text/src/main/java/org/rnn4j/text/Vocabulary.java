package org.rnn4j.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.FormatException;

/**
 * Token ↔ id mapping. Built like torchtext's legacy Vocab: the specials first ({@code <unk>} = 0,
 * {@code <pad>} = 1 for classification), then tokens by descending frequency with ties broken by
 * code-point order, keeping those seen at least {@code minFreq} times, up to {@code maxSize}
 * entries in total. Unknown tokens map to {@code <unk>}.
 *
 * <p>Saved as vocab.txt: UTF-8, one token per line in id order, with {@code \\}, {@code \n},
 * {@code \r} and {@code \t} escaped so that character vocabularies survive.
 */
public final class Vocabulary {
  public static final String UNK = "<unk>";
  public static final String PAD = "<pad>";

  private final List<String> tokens;
  private final Map<String, Integer> ids;
  private final int unk;

  private Vocabulary(List<String> tokens) {
    this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
    this.ids = new HashMap<>(tokens.size() * 2);
    for (int i = 0; i < tokens.size(); i++) {
      if (ids.putIfAbsent(tokens.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate token '" + escape(tokens.get(i)) + "' in vocabulary");
      }
    }
    Integer u = ids.get(UNK);
    this.unk = u == null ? -1 : u;
  }

  /** A vocabulary with exactly these tokens, in this order. */
  public static Vocabulary of(List<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("a vocabulary needs at least one token");
    }
    return new Vocabulary(tokens);
  }

  /**
   * The specials, then every distinct token in code point order (Python's {@code sorted(set(text))},
   * as char-rnn-style character vocabularies are built).
   */
  public static Vocabulary sorted(List<String> specials, java.util.Collection<String> tokens) {
    java.util.TreeSet<String> set = new java.util.TreeSet<>(PythonText::compareCodePoints);
    set.addAll(tokens);
    set.removeAll(specials);
    List<String> list = new ArrayList<>(specials);
    list.addAll(set);
    return of(list);
  }

  /** Counts tokens as they stream in, then builds the vocabulary. */
  public static final class Builder {
    private final Map<String, int[]> counts = new HashMap<>();

    public Builder add(List<String> tokens) {
      for (String t : tokens) {
        counts.computeIfAbsent(t, k -> new int[1])[0]++;
      }
      return this;
    }

    /** Adds {@code count} occurrences of one token (counts gathered elsewhere, e.g. by Spark). */
    public Builder add(String token, int count) {
      if (count < 1) {
        throw new IllegalArgumentException("count must be >= 1, got " + count + " for '" + token + "'");
      }
      counts.computeIfAbsent(token, k -> new int[1])[0] += count;
      return this;
    }

    public int distinct() {
      return counts.size();
    }

    /**
     * @param specials tokens placed first, in order (e.g. {@code <unk>, <pad>})
     * @param minFreq  minimum count (>= 1)
     * @param maxSize  maximum size including specials, or 0 for no limit
     */
    public Vocabulary build(List<String> specials, int minFreq, int maxSize) {
      if (minFreq < 1) {
        throw new IllegalArgumentException("min-freq must be >= 1, got " + minFreq);
      }
      if (maxSize < 0 || (maxSize > 0 && maxSize <= specials.size())) {
        throw new IllegalArgumentException("max-vocab must be 0 (no limit) or greater than the "
            + specials.size() + " special tokens, got " + maxSize);
      }
      List<Map.Entry<String, int[]>> entries = new ArrayList<>(counts.entrySet());
      entries.sort((a, b) -> {
        int c = Integer.compare(b.getValue()[0], a.getValue()[0]);
        return c != 0 ? c : PythonText.compareCodePoints(a.getKey(), b.getKey());
      });
      List<String> out = new ArrayList<>(specials);
      for (Map.Entry<String, int[]> e : entries) {
        if (maxSize > 0 && out.size() >= maxSize) {
          break;
        }
        if (e.getValue()[0] < minFreq) {
          break;
        }
        if (!specials.contains(e.getKey())) {
          out.add(e.getKey());
        }
      }
      return new Vocabulary(out);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return tokens.size();
  }

  public String token(int id) {
    return tokens.get(id);
  }

  public List<String> tokens() {
    return tokens;
  }

  /** Id of the token, or of {@code <unk>}; -1 when unknown and there is no {@code <unk>}. */
  public int id(String token) {
    Integer i = ids.get(token);
    return i == null ? unk : i;
  }

  /** True when the token has its own id. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** Id of {@code <unk>}, or -1. */
  public int unknownId() {
    return unk;
  }

  /** Id of {@code <pad>}, or -1. */
  public int paddingId() {
    Integer p = ids.get(PAD);
    return p == null ? -1 : p;
  }

  /** Ids of the tokens; unknown tokens become {@code <unk>}. */
  public int[] encode(List<String> tokens) {
    int[] out = new int[tokens.size()];
    for (int i = 0; i < out.length; i++) {
      int id = id(tokens.get(i));
      if (id < 0) {
        throw new IllegalArgumentException("token '" + escape(tokens.get(i))
            + "' is not in the vocabulary, which has no " + UNK);
      }
      out[i] = id;
    }
    return out;
  }

  /** vocab.txt content. */
  public String toText() {
    StringBuilder b = new StringBuilder(tokens.size() * 8);
    for (String t : tokens) {
      b.append(escape(t)).append('\n');
    }
    return b.toString();
  }

  /** Parses vocab.txt content. */
  public static Vocabulary fromText(String text, String source) throws FormatException {
    List<String> list = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new StringReader(text))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        try {
          list.add(unescape(line));
        } catch (IllegalArgumentException e) {
          throw new FormatException(source + ":" + n + ": " + e.getMessage());
        }
      }
    } catch (FormatException e) {
      throw e;
    } catch (IOException e) {
      throw new FormatException(source + ": " + e.getMessage(), e);
    }
    if (list.isEmpty()) {
      throw new FormatException(source + ": the vocabulary is empty");
    }
    try {
      return new Vocabulary(list);
    } catch (IllegalArgumentException e) {
      throw new FormatException(source + ": " + e.getMessage());
    }
  }

  static String escape(String t) {
    StringBuilder b = null;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      String rep = c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : null;
      if (rep != null && b == null) {
        b = new StringBuilder(t.substring(0, i));
      }
      if (b != null) {
        if (rep != null) {
          b.append(rep);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? t : b.toString();
  }

  static String unescape(String line) {
    if (line.indexOf('\\') < 0) {
      return line;
    }
    StringBuilder b = new StringBuilder(line.length());
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (++i >= line.length()) {
        throw new IllegalArgumentException("dangling backslash");
      }
      char e = line.charAt(i);
      switch (e) {
        case '\\': b.append('\\'); break;
        case 'n': b.append('\n'); break;
        case 'r': b.append('\r'); break;
        case 't': b.append('\t'); break;
        default: throw new IllegalArgumentException("unknown escape \\" + e);
      }
    }
    return b.toString();
  }
}
