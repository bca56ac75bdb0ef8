package org.rnn4j.text;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;

/**
 * Reads labelled texts from AG News CSV, CSV/TSV with a header, or JSON lines. A malformed record
 * stops the load with a {@link DataException} naming the file, line and problem, unless
 * {@link Options#skipBadRows} is set, in which case it is skipped and counted.
 */
public final class DataReader {
  private DataReader() {}

  /** Reading options. */
  public static final class Options {
    String labelColumn = "label";
    String textColumn = "text";
    boolean skipBadRows;

    public Options labelColumn(String v) {
      labelColumn = v;
      return this;
    }

    public Options textColumn(String v) {
      textColumn = v;
      return this;
    }

    public Options skipBadRows(boolean v) {
      skipBadRows = v;
      return this;
    }
  }

  /** What a file held. */
  public static final class Result {
    private final List<LabeledText> examples;
    private final List<String> classNames;
    private final int skipped;
    private final List<String> skippedReasons;

    Result(List<LabeledText> examples, List<String> classNames, int skipped, List<String> reasons) {
      this.examples = Collections.unmodifiableList(examples);
      this.classNames = classNames;
      this.skipped = skipped;
      this.skippedReasons = Collections.unmodifiableList(reasons);
    }

    public List<LabeledText> examples() {
      return examples;
    }

    /** Class names in the file's own order (AG News: classes.txt), or null when the file has none. */
    public List<String> classNames() {
      return classNames;
    }

    public int skipped() {
      return skipped;
    }

    /** The first few skipped rows' problems, as {@code file:line: problem}. */
    public List<String> skippedReasons() {
      return skippedReasons;
    }
  }

  public static Result read(Path file, DataFormat format, Options options) throws IOException {
    if (!Files.isRegularFile(file)) {
      if (Files.isDirectory(file)) {
        throw new DataException(file, 0, "is a directory, not a data file");
      }
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    if (format == null) {
      format = DataFormat.detect(file);
    }
    Sink sink = new Sink(file, options.skipBadRows);
    List<String> classNames = null;
    switch (format) {
      case AGNEWS -> {
        classNames = agNewsClassNames(file);
        readAgNews(file, classNames, sink);
      }
      case CSV -> readDelimited(file, ',', options, sink);
      case TSV -> readDelimited(file, '\t', options, sink);
      case JSONL -> readJsonLines(file, options, sink);
      default -> throw new AssertionError(format);
    }
    if (sink.examples.isEmpty()) {
      throw new DataException(file, 0, sink.skipped > 0
          ? "no usable rows (" + sink.skipped + " skipped; first: " + sink.reasons.get(0) + ")"
          : "no data rows");
    }
    return new Result(sink.examples, classNames, sink.skipped, sink.reasons);
  }

  /** Collects examples; turns a bad row into an error or a skip. */
  private static final class Sink {
    final Path file;
    final boolean skipBad;
    final List<LabeledText> examples = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();
    int skipped;

    Sink(Path file, boolean skipBad) {
      this.file = file;
      this.skipBad = skipBad;
    }

    void bad(DataException e) throws DataException {
      if (!skipBad) {
        throw e;
      }
      skipped++;
      if (reasons.size() < 5) {
        reasons.add(e.getMessage());
      }
    }

    void bad(long line, String problem) throws DataException {
      bad(new DataException(file, line, problem));
    }

    void add(String label, String text, long line) throws DataException {
      if (text.isBlank()) {
        bad(line, "the text is empty");
        return;
      }
      if (label.isBlank()) {
        bad(line, "the label is empty");
        return;
      }
      examples.add(new LabeledText(label, text, line));
    }
  }

  /** classes.txt beside an AG News file, or null. */
  static List<String> agNewsClassNames(Path file) throws IOException {
    Path classes = file.toAbsolutePath().getParent().resolve("classes.txt");
    if (!Files.isRegularFile(classes)) {
      Path parent = file.toAbsolutePath().getParent().getParent();
      classes = parent == null ? null : parent.resolve("classes.txt");
      if (classes == null || !Files.isRegularFile(classes)) {
        return null;
      }
    }
    List<String> names = new ArrayList<>();
    for (String l : Files.readAllLines(classes, StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        names.add(l.strip());
      }
    }
    return names.isEmpty() ? null : Collections.unmodifiableList(names);
  }

  /** The next well-formed record, reporting malformed ones to the sink; null at the end of the file. */
  private static List<String> nextRecord(CsvReader r, Sink sink) throws IOException {
    while (true) {
      try {
        return r.next();
      } catch (DataException e) {
        sink.bad(e);
      }
    }
  }

  private static void readAgNews(Path file, List<String> classNames, Sink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file); CsvReader r = new CsvReader(in, ',', file)) {
      for (List<String> f = nextRecord(r, sink); f != null; f = nextRecord(r, sink)) {
        long line = r.recordLine();
        if (f.size() != 3) {
          sink.bad(line, "expected 3 fields (class, title, description), found " + f.size());
          continue;
        }
        int cls;
        try {
          cls = Integer.parseInt(f.get(0).trim());
        } catch (NumberFormatException e) {
          sink.bad(line, "class '" + f.get(0) + "' is not a number");
          continue;
        }
        String label;
        if (classNames != null) {
          if (cls < 1 || cls > classNames.size()) {
            sink.bad(line, "class " + cls + " is outside 1.." + classNames.size() + " (classes.txt)");
            continue;
          }
          label = classNames.get(cls - 1);
        } else {
          if (cls < 1) {
            sink.bad(line, "class " + cls + " is not a positive class number");
            continue;
          }
          label = Integer.toString(cls);
        }
        sink.add(label, f.get(1) + " " + f.get(2), line);
      }
    }
  }

  private static void readDelimited(Path file, char delimiter, Options o, Sink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file); CsvReader r = new CsvReader(in, delimiter, file)) {
      List<String> header = r.next();
      if (header == null) {
        throw new DataException(file, 0, "the file is empty (expected a header row with '"
            + o.labelColumn + "' and '" + o.textColumn + "' columns)");
      }
      int labelIdx = header.indexOf(o.labelColumn);
      int textIdx = header.indexOf(o.textColumn);
      if (labelIdx < 0 || textIdx < 0) {
        String missing = labelIdx < 0 ? o.labelColumn : o.textColumn;
        String flag = labelIdx < 0 ? "{labelColumn}" : "{textColumn}";
        throw new DataException(file, r.recordLine(), "no column '" + missing + "' in the header "
            + header + " (choose one with " + flag + ")");
      }
      for (List<String> f = nextRecord(r, sink); f != null; f = nextRecord(r, sink)) {
        if (f.size() != header.size()) {
          sink.bad(r.recordLine(), "expected " + header.size() + " fields as in the header, found " + f.size());
          continue;
        }
        sink.add(f.get(labelIdx).strip(), f.get(textIdx), r.recordLine());
      }
    }
  }

  private static void readJsonLines(Path file, Options o, Sink sink) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      long line = 0;
      boolean first = true;
      int b;
      do {
        b = in.read();
        if (b != -1 && b != '\n') {
          buf.write(b);
          continue;
        }
        if (b == -1 && buf.size() == 0) {
          break;
        }
        line++;
        byte[] bytes = buf.toByteArray();
        buf.reset();
        int start = first && bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
            && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        first = false;
        String s;
        try {
          s = decoder.reset().decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
        } catch (CharacterCodingException e) {
          sink.bad(line, "invalid UTF-8");
          continue;
        }
        if (s.isBlank()) {
          continue;
        }
        Object v;
        try {
          v = Json.parse(s);
        } catch (FormatException e) {
          sink.bad(line, "invalid JSON: " + e.getMessage());
          continue;
        }
        if (!(v instanceof Map)) {
          sink.bad(line, "expected a JSON object");
          continue;
        }
        Map<?, ?> m = (Map<?, ?>) v;
        Object label = m.get(o.labelColumn);
        Object text = m.get(o.textColumn);
        if (label == null || text == null) {
          sink.bad(line, "no key '" + (label == null ? o.labelColumn : o.textColumn) + "' (keys: " + m.keySet()
              + "; choose with " + (label == null ? "{labelColumn}" : "{textColumn}") + ")");
          continue;
        }
        if (!(text instanceof String)) {
          sink.bad(line, "'" + o.textColumn + "' is not a string");
          continue;
        }
        String labelText = label instanceof Double && (Double) label == Math.rint((Double) label)
            ? Long.toString(((Double) label).longValue()) : String.valueOf(label);
        sink.add(labelText.strip(), (String) text, line);
      } while (b != -1);
    }
  }
}
