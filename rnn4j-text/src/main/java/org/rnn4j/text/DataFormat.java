package org.rnn4j.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Supported labelled-text file formats. */
public enum DataFormat {
  /** AG News' original CSV: no header, "class","title","description"; class 1..N; text = title + " " + description. */
  AGNEWS,
  /** CSV with a header row; label and text columns chosen by name. */
  CSV,
  /** Tab-separated, with a header row. */
  TSV,
  /** One JSON object per line with label and text keys. */
  JSONL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DataFormat parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown format '" + s + "' (allowed: agnews, csv, tsv, jsonl)");
    }
  }

  /**
   * Guesses the format from the file name and first record: .jsonl/.ndjson → jsonl, .tsv → tsv;
   * a CSV whose first record has three fields with an integer first field → agnews; else csv.
   */
  public static DataFormat detect(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    if (name.endsWith(".tsv") || name.endsWith(".tab")) {
      return TSV;
    }
    try (InputStream in = Files.newInputStream(file); CsvReader r = new CsvReader(in, ',', file)) {
      List<String> first = r.next();
      if (first != null && first.size() == 3 && first.get(0).trim().matches("\\d+")) {
        return AGNEWS;
      }
    } catch (DataException e) {
      // Not parseable as CSV at the first record: let the CSV reader report it properly.
    }
    return CSV;
  }
}
