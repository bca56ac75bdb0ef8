package org.rnn4j.text;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming RFC 4180 reader for UTF-8 CSV (or TSV with a tab delimiter). Quoted fields may hold
 * delimiters, doubled quotes and line breaks; records end at LF, CRLF or CR; a leading byte-order
 * mark is skipped; blank lines are skipped. A quote inside an unquoted field is kept literally, as
 * Python's csv module does.
 *
 * <p>Parsing works on bytes (CSV syntax is ASCII, and UTF-8 multi-byte sequences never contain
 * ASCII bytes); each field is then decoded strictly, so invalid UTF-8 is reported at its record.
 */
final class CsvReader implements Closeable {
  private final InputStream in;
  private final byte delimiter;
  private final Path source;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] field = new byte[256];
  private int fieldLen;
  private long line = 1;
  private long recordLine;
  private int pushback = -2;
  private boolean started;

  CsvReader(InputStream in, char delimiter, Path source) {
    this.in = new BufferedInputStream(in, 1 << 16);
    this.delimiter = (byte) delimiter;
    this.source = source;
  }

  /** Physical line on which the last returned record started (1-based). */
  long recordLine() {
    return recordLine;
  }

  private int read() throws IOException {
    if (pushback != -2) {
      int b = pushback;
      pushback = -2;
      return b;
    }
    return in.read();
  }

  private void skipBom() throws IOException {
    in.mark(3);
    if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
      in.reset();
    }
  }

  /**
   * The next record's fields, or null at the end of the input.
   *
   * @throws DataException on an unterminated quote, a character after a closing quote or invalid
   *     UTF-8; the reader is positioned after the bad record, so reading can go on
   */
  List<String> next() throws IOException {
    if (!started) {
      skipBom();
      started = true;
    }
    int b;
    // skip blank lines
    while (true) {
      b = read();
      if (b == '\n') {
        line++;
      } else if (b == '\r') {
        int n = read();
        if (n != '\n') {
          pushback = n;
        }
        line++;
      } else {
        break;
      }
    }
    if (b == -1) {
      return null;
    }
    recordLine = line;
    List<String> fields = new ArrayList<>();
    DataException error = null;
    fieldLen = 0;
    boolean quoted = false;
    boolean afterQuote = false;
    boolean atFieldStart = true;
    while (true) {
      if (b == -1) {
        if (quoted) {
          throw new DataException(source, recordLine, "unterminated quoted field (the file ends inside quotes)");
        }
        error = addField(fields, error);
        break;
      }
      if (quoted) {
        if (b == '"') {
          int n = read();
          if (n == '"') {
            append((byte) '"');
          } else {
            quoted = false;
            afterQuote = true;
            b = n;
            continue;
          }
        } else {
          if (b == '\n') {
            line++;
          } else if (b == '\r') {
            int n = read();
            append((byte) '\r');
            line++;
            if (n == '\n') {
              append((byte) '\n');
            } else {
              pushback = n;
            }
            b = read();
            continue;
          }
          append((byte) b);
        }
      } else if (b == delimiter) {
        error = addField(fields, error);
        atFieldStart = true;
        afterQuote = false;
        b = read();
        continue;
      } else if (b == '\n' || b == '\r') {
        if (b == '\r') {
          int n = read();
          if (n != '\n') {
            pushback = n;
          }
        }
        line++;
        error = addField(fields, error);
        break;
      } else if (afterQuote) {
        if (error == null) {
          error = new DataException(source, recordLine, "unexpected character '" + (char) b
              + "' after the closing quote of field " + (fields.size() + 1));
        }
      } else if (b == '"' && atFieldStart) {
        quoted = true;
      } else {
        append((byte) b);
      }
      atFieldStart = false;
      b = read();
    }
    if (error != null) {
      throw error;
    }
    return fields;
  }

  private DataException addField(List<String> fields, DataException error) {
    if (error == null) {
      try {
        CharBuffer cb = decoder.reset().decode(ByteBuffer.wrap(field, 0, fieldLen));
        fields.add(cb.toString());
      } catch (CharacterCodingException e) {
        error = new DataException(source, recordLine, "invalid UTF-8 in field " + (fields.size() + 1));
      }
    }
    fieldLen = 0;
    return error;
  }

  private void append(byte b) {
    if (fieldLen == field.length) {
      field = Arrays.copyOf(field, field.length * 2);
    }
    field[fieldLen++] = b;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
