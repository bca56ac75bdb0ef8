package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rnn4j serve's mistakes: one line, the flag's name, exit 2 (settings) or 1 (files). */
class ServeCliTest {
  @TempDir Path dir;

  @Test
  void serve_portOutOfRange_namesTheFlag() {
    CliRunner.assertOneLineError(CliRunner.run("serve", "--model", dir.toString(), "--port", "70000"), 2,
        "rnn4j serve: error: --port must be in 0..65535, got 70000");
  }

  @Test
  void serve_maxBatchOutOfRange_namesTheFlag() {
    CliRunner.assertOneLineError(CliRunner.run("serve", "--model", dir.toString(), "--max-batch", "0"), 2,
        "rnn4j serve: error: --max-batch must be in 1..4096, got 0");
  }

  @Test
  void serve_sameNameTwice_namesTheFlag() {
    CliRunner.assertOneLineError(CliRunner.run("serve", "--model", "a=" + dir, "--model", "a=" + dir), 2,
        "rnn4j serve: error: --model name 'a' is given twice");
  }

  @Test
  void serve_notAModelDirectory_isOneLine() {
    CliRunner r = CliRunner.run("serve", "--model", "x=" + dir.resolve("missing"), "--port", "0");
    assertEquals(1, r.code, r.toString());
    assertTrue(r.err.startsWith("rnn4j serve: ") && r.err.contains("missing") && r.err.endsWith("\n")
        && r.err.indexOf('\n') == r.err.length() - 1, r.toString());
  }

  @Test
  void serve_emptyTokenFile_namesTheFlag() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "\n");
    CliRunner.assertOneLineError(CliRunner.run("serve", "--model", dir.toString(), "--token-file", token.toString()), 2,
        "rnn4j serve: error: --token-file " + token + " must hold one non-empty line");
  }
}
