package org.rnn4j.translate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic translation pairs made with the JDK's own locale data: a date written as people of a
 * locale write it ("13 févr. 2045", "13. Februar 2045", "Feb 13, 2045") → its ISO form
 * ("2045-02-13"). Every output character is copied from or determined by a few source characters,
 * so a model learns it in seconds and its attention alignments are easy to check.
 */
final class DateData {
  static final List<Locale> LOCALES = List.of(Locale.FRENCH, Locale.GERMAN, Locale.US, Locale.ITALIAN,
      Locale.forLanguageTag("es"));
  static final List<FormatStyle> STYLES = List.of(FormatStyle.MEDIUM, FormatStyle.LONG);

  private DateData() {}

  /** n pairs as a TSV with the header source, target. */
  static Path write(Path file, int n, long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder("source\ttarget\n");
    for (int i = 0; i < n; i++) {
      LocalDate d = LocalDate.ofEpochDay(LocalDate.of(1950, 1, 1).toEpochDay() + r.nextInt(365 * 100));
      Locale l = LOCALES.get(r.nextInt(LOCALES.size()));
      FormatStyle s = STYLES.get(r.nextInt(STYLES.size()));
      b.append(DateTimeFormatter.ofLocalizedDate(s).withLocale(l).format(d)).append('\t').append(d).append('\n');
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    return file;
  }
}
