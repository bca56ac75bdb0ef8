package org.rnn4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
  private static CsvReader reader(byte[] bytes) {
    return new CsvReader(new ByteArrayInputStream(bytes), ',', Path.of("t.csv"));
  }

  private static CsvReader reader(String s) {
    return reader(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void next_handlesQuotesDoubledQuotesAndEmbeddedNewlines() throws Exception {
    CsvReader r = reader("a,\"b,c\",\"say \"\"hi\"\"\"\n\"multi\nline\",x,\n");
    assertEquals(List.of("a", "b,c", "say \"hi\""), r.next());
    assertEquals(1, r.recordLine());
    assertEquals(List.of("multi\nline", "x", ""), r.next());
    assertEquals(2, r.recordLine());
    assertNull(r.next());
  }

  @Test
  void next_acceptsCrlfCrAndBomAndSkipsBlankLines() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = "a,b\r\n\r\nc,d\re,f".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(body, 0, all, 3, body.length);
    CsvReader r = reader(all);
    assertEquals(List.of("a", "b"), r.next());
    assertEquals(List.of("c", "d"), r.next());
    assertEquals(3, r.recordLine());
    assertEquals(List.of("e", "f"), r.next());
    assertEquals(4, r.recordLine());
    assertNull(r.next());
  }

  @Test
  void next_keepsQuoteInsideUnquotedField() throws Exception {
    assertEquals(List.of("5\" screen", "x"), reader("5\" screen,x\n").next());
  }

  @Test
  void next_reportsUnterminatedQuoteAtItsLine() throws Exception {
    CsvReader r = reader("ok,1\n\"never closed,2\nmore\n");
    r.next();
    DataException e = assertThrows(DataException.class, r::next);
    assertEquals("t.csv:2: unterminated quoted field (the file ends inside quotes)", e.getMessage());
  }

  @Test
  void next_reportsCharacterAfterClosingQuoteAndContinues() throws Exception {
    CsvReader r = reader("\"a\"b,c\nd,e\n");
    assertEquals("t.csv:1: unexpected character 'b' after the closing quote of field 1",
        assertThrows(DataException.class, r::next).getMessage());
    assertEquals(List.of("d", "e"), r.next());
  }

  @Test
  void next_reportsInvalidUtf8AndContinues() throws Exception {
    byte[] bytes = {'a', ',', (byte) 0xC3, (byte) 0x28, '\n', 'o', 'k', '\n'};
    CsvReader r = reader(bytes);
    assertEquals("t.csv:1: invalid UTF-8 in field 2", assertThrows(DataException.class, r::next).getMessage());
    assertEquals(List.of("ok"), r.next());
  }

  @Test
  void next_readsAOneMegabyteLine() throws Exception {
    String big = "x".repeat(1 << 20);
    assertEquals(1 << 20, reader("\"" + big + "\",y\n").next().get(0).length());
  }

  @Test
  void next_tabDelimited() throws Exception {
    CsvReader r = new CsvReader(new ByteArrayInputStream("a\tb,c\n".getBytes(StandardCharsets.UTF_8)), '\t', Path.of("t.tsv"));
    assertEquals(List.of("a", "b,c"), r.next());
  }
}
