package org.rnn4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * No input makes the readers or tokenizers throw anything but their documented exception: the CSV
 * reader and the data loader either return records or throw {@link DataException} naming the file
 * and a line, and tokenizers never throw. Inputs are built from the bytes that matter to a CSV
 * parser (quotes, delimiters, CR, LF, BOM pieces, invalid UTF-8) mixed with arbitrary bytes.
 */
class FuzzProperties {
  private static final byte[] INTERESTING = {'"', ',', '\t', '\r', '\n', 'a', 'b', ' ', '1',
      (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, (byte) 0x80, 0};

  @Provide
  Arbitrary<byte[]> csvBytes() {
    Arbitrary<Byte> b = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.of(box(INTERESTING))),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes()));
    return b.list().ofMaxSize(300).map(FuzzProperties::unbox);
  }

  @Property(tries = 2000)
  void csvReader_returnsRecordsOrThrowsDataException(@ForAll("csvBytes") byte[] input) throws Exception {
    CsvReader r = new CsvReader(new ByteArrayInputStream(input), ',', Path.of("fuzz.csv"));
    long lastLine = 0;
    for (int i = 0; i < 1000; i++) {
      List<String> fields;
      try {
        fields = r.next();
      } catch (DataException e) {
        assertTrue(e.getMessage().startsWith("fuzz.csv:"), e.getMessage());
        assertTrue(e.line() >= 1, "line " + e.line());
        continue; // documented: reading can go on after a bad record
      }
      if (fields == null) {
        return;
      }
      assertTrue(!fields.isEmpty());
      assertTrue(r.recordLine() > lastLine, "record lines increase");
      lastLine = r.recordLine();
    }
    throw new AssertionError("the reader did not reach the end of " + input.length + " bytes");
  }

  @Property(tries = 300)
  void dataReader_loadsOrNamesTheFileAndLine(@ForAll("csvBytes") byte[] body, @ForAll boolean skipBadRows)
      throws Exception {
    Path f = Files.createTempFile("fuzz", ".csv");
    try {
      byte[] header = "label,text\n".getBytes(StandardCharsets.UTF_8);
      byte[] all = new byte[header.length + body.length];
      System.arraycopy(header, 0, all, 0, header.length);
      System.arraycopy(body, 0, all, header.length, body.length);
      Files.write(f, all);
      try {
        DataReader.Result r = DataReader.read(f, DataFormat.CSV, new DataReader.Options().skipBadRows(skipBadRows));
        for (LabeledText e : r.examples()) {
          assertTrue(!e.label().isEmpty());
        }
      } catch (DataException e) {
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
      }
    } finally {
      Files.delete(f);
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(200),
        Arbitraries.strings().withChars("aZ09 .,;:!?'\"()-\t\n\r\u00e9\u00df\u4e2d\ud83d\ude00<br />").ofMaxLength(200));
  }

  @Property(tries = 2000)
  void tokenizers_neverThrowAndCharactersRoundTrip(@ForAll("texts") String text) {
    for (String name : new String[] {"basic_english", "whitespace", "char"}) {
      List<String> tokens = Tokenizer.named(name).tokenize(text);
      for (String t : tokens) {
        assertTrue(!t.isEmpty(), name + " produced an empty token");
      }
    }
    assertEquals(text, String.join("", Tokenizer.named("char").tokenize(text)));
    for (String t : Tokenizer.named("whitespace").tokenize(text)) {
      assertTrue(t.chars().noneMatch(Character::isWhitespace), "whitespace token '" + t + "'");
    }
  }

  @Property(tries = 500)
  void textFile_decodesOrNamesTheLine(@ForAll("csvBytes") @Size(max = 300) byte[] bytes) throws Exception {
    try {
      String s = TextFile.decode(bytes, Path.of("fuzz.txt"));
      assertTrue(s.length() <= bytes.length);
    } catch (DataException e) {
      assertTrue(e.getMessage().startsWith("fuzz.txt:"), e.getMessage());
      assertTrue(e.line() >= 1);
    }
  }

  private static Byte[] box(byte[] a) {
    Byte[] out = new Byte[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  private static byte[] unbox(List<Byte> l) {
    byte[] out = new byte[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = l.get(i);
    }
    return out;
  }
}
