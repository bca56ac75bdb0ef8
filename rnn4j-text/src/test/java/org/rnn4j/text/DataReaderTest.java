package org.rnn4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input either loads correctly or fails with one message naming file, line and problem. */
class DataReaderTest {
  @TempDir
  Path dir;

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private DataReader.Result read(Path p, DataFormat f) throws Exception {
    return DataReader.read(p, f, new DataReader.Options());
  }

  private String error(Path p, DataFormat f) {
    return assertThrows(DataException.class, () -> read(p, f)).getMessage();
  }

  @Test
  void agnews_readsClassNamesAndJoinsTitleAndDescription() throws Exception {
    file("classes.txt", "World\nSports\n");
    Path p = file("train.csv", "\"2\",\"Title\",\"Desc, with \"\"quotes\"\"\"\n\"1\",\"T2\",\"D2\"\n");
    DataReader.Result r = read(p, null);
    assertEquals(List.of("World", "Sports"), r.classNames());
    assertEquals("Sports", r.examples().get(0).label());
    assertEquals("Title Desc, with \"quotes\"", r.examples().get(0).text());
    assertEquals(2, r.examples().get(1).line());
  }

  @Test
  void agnews_classOutsideClassesTxt() throws Exception {
    file("classes.txt", "World\nSports\n");
    Path p = file("train.csv", "\"1\",\"a\",\"b\"\n\"3\",\"c\",\"d\"\n");
    assertEquals(p + ":2: class 3 is outside 1..2 (classes.txt)", error(p, DataFormat.AGNEWS));
  }

  @Test
  void agnews_missingColumn() throws Exception {
    Path p = file("train.csv", "\"1\",\"a\",\"b\"\n\"2\",\"only title\"\n");
    assertEquals(p + ":2: expected 3 fields (class, title, description), found 2", error(p, DataFormat.AGNEWS));
  }

  @Test
  void csv_extraColumn() throws Exception {
    Path p = file("d.csv", "label,text\nham,hello\nspam,buy,now\n");
    assertEquals(p + ":3: expected 2 fields as in the header, found 3", error(p, DataFormat.CSV));
  }

  @Test
  void csv_unknownColumnNamesTheSetting() throws Exception {
    Path p = file("d.csv", "category,body\nham,hello\n");
    assertEquals(p + ":1: no column 'label' in the header [category, body] (choose one with labelColumn)",
        error(p, DataFormat.CSV));
    // the command line names the same setting by its flag
    DataException e = assertThrows(DataException.class, () -> read(p, DataFormat.CSV));
    assertEquals(p + ":1: no column 'label' in the header [category, body] (choose one with --label-column)",
        e.message(name -> name.equals("labelColumn") ? "--label-column" : name));
  }

  @Test
  void csv_chosenColumns() throws Exception {
    Path p = file("d.csv", "id,category,body\n1,ham,hello\n");
    DataReader.Result r = DataReader.read(p, DataFormat.CSV,
        new DataReader.Options().labelColumn("category").textColumn("body"));
    assertEquals("ham", r.examples().get(0).label());
  }

  @Test
  void csv_emptyFile() throws Exception {
    Path p = file("d.csv", "");
    assertEquals(p + ": the file is empty (expected a header row with 'label' and 'text' columns)", error(p, DataFormat.CSV));
  }

  @Test
  void csv_headerOnly() throws Exception {
    Path p = file("d.csv", "label,text\n");
    assertEquals(p + ": no data rows", error(p, DataFormat.CSV));
  }

  @Test
  void csv_emptyText() throws Exception {
    Path p = file("d.csv", "label,text\nham,hello\nspam,\"   \"\n");
    assertEquals(p + ":3: the text is empty", error(p, DataFormat.CSV));
  }

  @Test
  void csv_unterminatedQuote() throws Exception {
    Path p = file("d.csv", "label,text\nham,\"hello\nspam,x\n");
    assertEquals(p + ":2: unterminated quoted field (the file ends inside quotes)", error(p, DataFormat.CSV));
  }

  @Test
  void csv_invalidUtf8() throws Exception {
    Path p = dir.resolve("d.csv");
    Files.write(p, new byte[] {'l', 'a', 'b', 'e', 'l', ',', 't', 'e', 'x', 't', '\n', 'a', ',', (byte) 0xFF, '\n'});
    assertEquals(p + ":2: invalid UTF-8 in field 2", error(p, DataFormat.CSV));
  }

  @Test
  void csv_bomAndCrlfLoad() throws Exception {
    Path p = dir.resolve("d.csv");
    Files.write(p, ("\uFEFFlabel,text\r\nham,hello\r\n").getBytes(StandardCharsets.UTF_8));
    DataReader.Result r = read(p, DataFormat.CSV);
    assertEquals(1, r.examples().size());
    assertEquals("hello", r.examples().get(0).text());
  }

  @Test
  void csv_skipBadRowsCountsAndContinues() throws Exception {
    Path p = file("d.csv", "label,text\nham,hello\nspam\nham,\"x\"y\nspam,ok\n");
    DataReader.Result r = DataReader.read(p, DataFormat.CSV, new DataReader.Options().skipBadRows(true));
    assertEquals(2, r.examples().size());
    assertEquals(2, r.skipped());
    assertTrue(r.skippedReasons().get(0).endsWith(":3: expected 2 fields as in the header, found 1"));
  }

  @Test
  void csv_allRowsBad() throws Exception {
    Path p = file("d.csv", "label,text\nham\n");
    String m = assertThrows(DataException.class,
        () -> DataReader.read(p, DataFormat.CSV, new DataReader.Options().skipBadRows(true))).getMessage();
    assertTrue(m.startsWith(p + ": no usable rows (1 skipped; first: "), m);
  }

  @Test
  void tsv_reads() throws Exception {
    Path p = file("d.tsv", "text\tlabel\nhello world\tham\n");
    assertEquals("ham", read(p, null).examples().get(0).label());
  }

  @Test
  void jsonl_readsStringAndNumberLabels() throws Exception {
    Path p = file("d.jsonl", "{\"label\": \"ham\", \"text\": \"hi\"}\n\n{\"label\": 3, \"text\": \"x\"}\n");
    DataReader.Result r = read(p, null);
    assertEquals(List.of("ham", "3"), List.of(r.examples().get(0).label(), r.examples().get(1).label()));
    assertEquals(3, r.examples().get(1).line());
  }

  @Test
  void jsonl_invalidJson() throws Exception {
    Path p = file("d.jsonl", "{\"label\": \"ham\", \"text\": \"hi\"}\n{\"label\": \n");
    assertEquals(p + ":2: invalid JSON: unexpected end of input at character 10", error(p, DataFormat.JSONL));
  }

  @Test
  void jsonl_missingKey() throws Exception {
    Path p = file("d.jsonl", "{\"y\": \"ham\", \"text\": \"hi\"}\n");
    assertEquals(p + ":1: no key 'label' (keys: [y, text]; choose with labelColumn)", error(p, DataFormat.JSONL));
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("absent.csv");
    assertEquals(p + ": no such file",
        assertThrows(NoSuchFileException.class, () -> read(p, null)).getMessage());
  }

  @Test
  void directoryInsteadOfFile() {
    assertEquals(dir + ": is a directory, not a data file", error(dir, null));
  }

  @Test
  void detect_recognisesAgNewsAndCsv() throws Exception {
    assertEquals(DataFormat.AGNEWS, DataFormat.detect(file("a.csv", "\"3\",\"t\",\"d\"\n")));
    assertEquals(DataFormat.CSV, DataFormat.detect(file("b.csv", "label,text\nham,x\n")));
    assertEquals(DataFormat.JSONL, DataFormat.detect(dir.resolve("c.jsonl")));
  }

  @Test
  void format_unknown() {
    assertEquals("unknown format 'xml' (allowed: agnews, csv, tsv, jsonl)",
        assertThrows(IllegalArgumentException.class, () -> DataFormat.parse("xml")).getMessage());
  }

  @Test
  void manyDistinctTokens_load() throws Exception {
    StringBuilder b = new StringBuilder("label,text\n");
    for (int row = 0; row < 1000; row++) {
      b.append(row % 2 == 0 ? "a" : "b").append(',');
      for (int i = 0; i < 1000; i++) {
        b.append('w').append(row * 1000 + i).append(' ');
      }
      b.append('\n');
    }
    Path p = file("big.csv", b.toString());
    Vocabulary.Builder vb = Vocabulary.builder();
    for (LabeledText e : read(p, DataFormat.CSV).examples()) {
      vb.add(Tokenizer.named("whitespace").tokenize(e.text()));
    }
    assertEquals(1_000_000, vb.distinct());
  }
}
