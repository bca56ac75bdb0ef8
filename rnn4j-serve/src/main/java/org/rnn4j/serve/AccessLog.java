package org.rnn4j.serve;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.rnn4j.io.Json;

/** One JSON line per request, appended; a failing disk never fails a request. */
final class AccessLog {
  private final BufferedWriter out;

  AccessLog(Path file) throws IOException {
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  synchronized void write(Map<String, Object> entry) {
    try {
      out.write(Json.write(entry));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      // The log is best effort: losing a line must not turn a served request into an error.
    }
  }

  synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
