package org.rnn4j.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.rnn4j.InvalidSettingException;

/** Plain UTF-8 text files, read whole and strictly (a language model's corpus). */
public final class TextFile {
  private TextFile() {}

  /**
   * The file's text without a leading byte-order mark.
   *
   * @throws NoSuchFileException when it does not exist ({@link DataException} when it is a directory)
   * @throws DataException naming the line of the first invalid UTF-8 byte
   */
  public static String read(Path file) throws IOException {
    requireFile(file, null);
    byte[] bytes = Files.readAllBytes(file);
    return decode(bytes, file);
  }

  /**
   * Refuses a path that is not a regular file: a directory as such, anything else as missing; the
   * messages end with {@code (flag)} when a flag is given.
   */
  public static void requireFile(Path file, String flag) throws IOException {
    if (Files.isRegularFile(file)) {
      return;
    }
    String which = flag == null ? "" : " (" + flag + ")";
    if (Files.isDirectory(file)) {
      throw new DataException(file, 0, "is a directory, not a text file" + which);
    }
    throw new NoSuchFileException(file.toString(), null,
        "no such file" + InvalidSettingException.render(which, UnaryOperator.identity()));
  }

  /** Decodes UTF-8 bytes strictly; {@code source} names them in errors. */
  public static String decode(byte[] bytes, Path source) throws DataException {
    int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      return decoder.decode(in).toString();
    } catch (CharacterCodingException e) {
      // Find the first bad byte again, to name its line.
      int line = 1;
      int i = start;
      while (i < bytes.length) {
        int b = bytes[i] & 0xFF;
        int n = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        boolean ok = n > 0 && i + n <= bytes.length;
        if (ok && n > 1) {
          try {
            decoder.reset().decode(ByteBuffer.wrap(bytes, i, n));
          } catch (CharacterCodingException bad) {
            ok = false;
          }
        }
        if (!ok) {
          break;
        }
        if (b == '\n') {
          line++;
        }
        i += n;
      }
      throw new DataException(source, line, "invalid UTF-8 (byte offset " + i + "); save the file as UTF-8");
    }
  }
}
