package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parse_allValueKinds() throws Exception {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\\"\\u00e9\\n\", \"o\": {}} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1L, -2500.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
    assertEquals(null, ((List<?>) m.get("a")).get(4));
    assertEquals("x\"é\n", m.get("s"));
    assertEquals(Map.of(), m.get("o"));
  }

  @Test
  void write_thenParse_roundTrips() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "tab\there \"quoted\" \u0001");
    m.put("n", 42);
    m.put("f", 0.1f);
    m.put("list", List.of(1, 2.5, "z"));
    m.put("nan", Double.NaN);
    String compact = Json.write(m);
    assertEquals("{\"name\":\"tab\\there \\\"quoted\\\" \\u0001\",\"n\":42,\"f\":0.1,\"list\":[1,2.5,\"z\"],\"nan\":null}", compact);
    assertEquals(Json.parse(compact), Json.parse(Json.pretty(m)));
  }

  @Test
  void parse_keepsEveryBitOfLongs() throws Exception {
    // Random-generator states are 64-bit words; a double would lose their low bits.
    long[] words = {Long.MAX_VALUE, Long.MIN_VALUE, -6_910_484_207_733_524_331L, 1_234_567_890_123_456_789L};
    java.util.List<?> back = (java.util.List<?>) Json.parse(Json.write(words));
    for (int i = 0; i < words.length; i++) {
      assertEquals(words[i], back.get(i));
    }
    assertEquals(1e20, Json.parse("100000000000000000000"));
  }

  @Test
  void parse_trailingGarbage() {
    assertEquals("unexpected trailing characters at character 3",
        assertThrows(FormatException.class, () -> Json.parse("{} x")).getMessage());
  }

  @Test
  void parse_duplicateKey() {
    assertEquals("duplicate key \"a\" at character 12",
        assertThrows(FormatException.class, () -> Json.parse("{\"a\":1,\"a\": 2}")).getMessage());
  }

  @Test
  void parse_unterminatedString() {
    assertEquals("unterminated string at character 4",
        assertThrows(FormatException.class, () -> Json.parse("\"abc")).getMessage());
  }

  @Test
  void parse_truncatedObject() {
    assertEquals("unexpected end of input at character 5",
        assertThrows(FormatException.class, () -> Json.parse("{\"a\":")).getMessage());
  }

  @Test
  void parse_deepNestingIsRejected() {
    String deep = "[".repeat(600) + "]".repeat(600);
    assertEquals("nesting too deep at character 513",
        assertThrows(FormatException.class, () -> Json.parse(deep)).getMessage());
  }
}
