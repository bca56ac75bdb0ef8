package org.rnn4j.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sentence pairs for translation: a table with a header row naming a source and a target column,
 * or two plain files with one sentence per line. A table is CSV (RFC 4180) when its name ends in
 * .csv, else tab-separated without quoting, as Python's {@code csv.reader(delimiter="\t",
 * quoting=csv.QUOTE_NONE)} reads it (../shared/bench/torch_seq2seq.py). Every bad row is an error
 * naming the file and line: a missing column, an empty source or target, invalid UTF-8.
 */
public final class ParallelText {
  private ParallelText() {}

  /** One pair and the line it came from (1-based; the header is line 1). */
  public record Pair(String source, String target, long line) {}

  /**
   * The pairs of a table.
   *
   * @throws DataException naming the file and line of the first bad row, or the header lacking a column
   */
  public static List<Pair> readTable(Path file, String sourceColumn, String targetColumn) throws IOException {
    TextFile.requireFile(file, null);
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return readCsv(file, sourceColumn, targetColumn);
    }
    String text = TextFile.decode(Files.readAllBytes(file), file);
    List<String> lines = lines(text);
    if (lines.isEmpty()) {
      throw new DataException(file, 0, "the file is empty (expected a header row naming the '" + sourceColumn
          + "' and '" + targetColumn + "' columns)");
    }
    List<String> header = List.of(lines.get(0).split("\t", -1));
    int s = column(file, header, sourceColumn, "{sourceColumn}");
    int t = column(file, header, targetColumn, "{targetColumn}");
    List<Pair> pairs = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isEmpty()) {
        continue;
      }
      add(pairs, file, i + 1, l.split("\t", -1), header.size(), s, t);
    }
    return nonEmpty(file, pairs);
  }

  private static List<Pair> readCsv(Path file, String sourceColumn, String targetColumn) throws IOException {
    try (InputStream in = Files.newInputStream(file); CsvReader r = new CsvReader(in, ',', file)) {
      List<String> header = r.next();
      if (header == null) {
        throw new DataException(file, 0, "the file is empty (expected a header row naming the '" + sourceColumn
            + "' and '" + targetColumn + "' columns)");
      }
      int s = column(file, header, sourceColumn, "{sourceColumn}");
      int t = column(file, header, targetColumn, "{targetColumn}");
      List<Pair> pairs = new ArrayList<>();
      for (List<String> f = r.next(); f != null; f = r.next()) {
        add(pairs, file, r.recordLine(), f.toArray(new String[0]), header.size(), s, t);
      }
      return nonEmpty(file, pairs);
    }
  }

  /** The pairs of two parallel files: line i of one translates line i of the other; blank lines are errors. */
  public static List<Pair> readParallel(Path sourceFile, Path targetFile) throws IOException {
    TextFile.requireFile(sourceFile, "{sourceFile}");
    TextFile.requireFile(targetFile, "{targetFile}");
    List<String> src = lines(TextFile.decode(Files.readAllBytes(sourceFile), sourceFile));
    List<String> tgt = lines(TextFile.decode(Files.readAllBytes(targetFile), targetFile));
    if (src.size() != tgt.size()) {
      Path shorter = src.size() < tgt.size() ? sourceFile : targetFile;
      throw new DataException(shorter, Math.min(src.size(), tgt.size()) + 1, "the file ends here, but "
          + (shorter == sourceFile ? targetFile : sourceFile) + " has " + Math.max(src.size(), tgt.size())
          + " lines: parallel files need one line per sentence on both sides");
    }
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < src.size(); i++) {
      if (src.get(i).isBlank()) {
        throw new DataException(sourceFile, i + 1, "the source sentence is empty");
      }
      if (tgt.get(i).isBlank()) {
        throw new DataException(targetFile, i + 1, "the target sentence is empty");
      }
      pairs.add(new Pair(src.get(i), tgt.get(i), i + 1));
    }
    return nonEmpty(sourceFile, pairs);
  }

  private static void add(List<Pair> pairs, Path file, long line, String[] fields, int columns, int s, int t)
      throws DataException {
    if (fields.length != columns) {
      throw new DataException(file, line, "expected " + columns + " fields as in the header, found " + fields.length);
    }
    if (fields[s].isBlank()) {
      throw new DataException(file, line, "the source sentence is empty");
    }
    if (fields[t].isBlank()) {
      throw new DataException(file, line, "the target sentence is empty");
    }
    pairs.add(new Pair(fields[s], fields[t], line));
  }

  private static int column(Path file, List<String> header, String name, String setting) throws DataException {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new DataException(file, 1, "the header has no column '" + name + "' (" + setting + "); it has "
          + header);
    }
    return i;
  }

  private static List<Pair> nonEmpty(Path file, List<Pair> pairs) throws DataException {
    if (pairs.isEmpty()) {
      throw new DataException(file, 0, "no sentence pairs");
    }
    return pairs;
  }

  /** Lines split at LF, CRLF or CR, without a final empty line. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(text.substring(start, i));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < n) {
      out.add(text.substring(start));
    }
    return out;
  }
}
