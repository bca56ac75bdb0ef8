package org.rnn4j.io;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259) so that the core needs no dependency.
 * Objects read as {@code LinkedHashMap<String, Object>}, arrays as {@code List<Object>}, numbers as
 * {@code Long} when integral and in range, else {@code Double}.
 */
public final class Json {
  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /** Parses one JSON value; trailing characters other than white space are an error. */
  public static Object parse(String text) throws FormatException {
    Json p = new Json(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected trailing characters");
    }
    return v;
  }

  /** Parses a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws FormatException {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new FormatException("expected a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private FormatException error(String what) {
    return new FormatException(what + " at character " + pos);
  }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else {
        break;
      }
    }
  }

  private Object value(int depth) throws FormatException {
    if (depth > 512) {
      throw error("nesting too deep");
    }
    if (pos >= s.length()) {
      throw error("unexpected end of input");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Object literal(String word, Object v) throws FormatException {
    if (!s.startsWith(word, pos)) {
      throw error("invalid literal");
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) throws FormatException {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    skipWs();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      skipWs();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw error("expected a string key");
      }
      String k = string();
      skipWs();
      if (pos >= s.length() || s.charAt(pos) != ':') {
        throw error("expected ':'");
      }
      pos++;
      skipWs();
      if (m.containsKey(k)) {
        throw error("duplicate key \"" + k + "\"");
      }
      m.put(k, value(depth + 1));
      skipWs();
      if (pos >= s.length()) {
        throw error("unterminated object");
      }
      char c = s.charAt(pos++);
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) throws FormatException {
    List<Object> a = new ArrayList<>();
    pos++;
    skipWs();
    if (pos < s.length() && s.charAt(pos) == ']') {
      pos++;
      return a;
    }
    while (true) {
      skipWs();
      a.add(value(depth + 1));
      skipWs();
      if (pos >= s.length()) {
        throw error("unterminated array");
      }
      char c = s.charAt(pos++);
      if (c == ']') {
        return a;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() throws FormatException {
    StringBuilder b = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"': b.append('"'); break;
        case '\\': b.append('\\'); break;
        case '/': b.append('/'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'n': b.append('\n'); break;
        case 'r': b.append('\r'); break;
        case 't': b.append('\t'); break;
        case 'u':
          if (pos + 4 > s.length()) {
            throw error("short unicode escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad unicode escape");
          }
          pos += 4;
          break;
        default:
          throw error("bad escape '\\" + e + "'");
      }
    }
  }

  private Object number() throws FormatException {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    boolean integral = true;
    int digits = 0;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c >= '0' && c <= '9') {
        digits++;
        pos++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        pos++;
      } else {
        break;
      }
    }
    String t = s.substring(start, pos);
    if (digits == 0) {
      throw error("bad number '" + t + "'");
    }
    try {
      if (integral) {
        try {
          return Long.parseLong(t);
        } catch (NumberFormatException overflow) {
          // beyond a long: read as a double below
        }
      }
      double d = Double.parseDouble(t);
      if (!Double.isFinite(d)) {
        throw error("number out of range '" + t + "'");
      }
      return d;
    } catch (NumberFormatException ex) {
      throw error("bad number '" + t + "'");
    }
  }

  // ---------------------------------------------------------------- writing

  /** Compact JSON for maps, lists, strings, numbers, booleans, null, float[] and int[]. */
  public static String write(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v, -1, 0);
    return b.toString();
  }

  /** Indented JSON (two spaces). */
  public static String pretty(Object v) {
    StringBuilder b = new StringBuilder();
    write(b, v, 2, 0);
    return b.append('\n').toString();
  }

  private static void newline(StringBuilder b, int indent, int level) {
    if (indent >= 0) {
      b.append('\n');
      for (int i = 0; i < indent * level; i++) {
        b.append(' ');
      }
    }
  }

  private static void write(StringBuilder b, Object v, int indent, int level) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String) {
      quote(b, (String) v);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Short || v instanceof Byte) {
      b.append(v);
    } else if (v instanceof Float || v instanceof Double) {
      number(b, ((Number) v).doubleValue(), v instanceof Float);
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      b.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      boolean first = true;
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        if (!first) {
          b.append(',');
        }
        first = false;
        newline(b, indent, level + 1);
        quote(b, String.valueOf(e.getKey()));
        b.append(indent >= 0 ? ": " : ":");
        write(b, e.getValue(), indent, level + 1);
      }
      if (!m.isEmpty()) {
        newline(b, indent, level);
      }
      b.append('}');
    } else if (v instanceof Iterable) {
      b.append('[');
      boolean first = true;
      for (Object o : (Iterable<?>) v) {
        if (!first) {
          b.append(indent >= 0 ? ", " : ",");
        }
        first = false;
        write(b, o, indent, level + 1);
      }
      b.append(']');
    } else if (v instanceof float[]) {
      float[] a = (float[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        number(b, a[i], true);
      }
      b.append(']');
    } else if (v instanceof double[]) {
      double[] a = (double[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        number(b, a[i], false);
      }
      b.append(']');
    } else if (v instanceof int[]) {
      int[] a = (int[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(a[i]);
      }
      b.append(']');
    } else if (v instanceof long[]) {
      long[] a = (long[]) v;
      b.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(a[i]);
      }
      b.append(']');
    } else if (v instanceof Number) {
      b.append(v);
    } else {
      quote(b, v.toString());
    }
  }

  private static void number(StringBuilder b, double d, boolean single) {
    if (!Double.isFinite(d)) {
      b.append("null"); // JSON has no NaN or Infinity
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      b.append((long) d);
    } else {
      b.append(single ? Float.toString((float) d) : Double.toString(d));
    }
  }

  /** Appends s as a JSON string literal. */
  public static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        case '\b': b.append("\\b"); break;
        case '\f': b.append("\\f"); break;
        default:
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
