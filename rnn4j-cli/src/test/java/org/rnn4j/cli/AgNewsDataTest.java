package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's download: verified by checksum against a local HTTP server. */
class AgNewsDataTest {
  @TempDir
  Path dir;
  HttpServer server;
  String base;
  static final byte[] BODY = "\"1\",\"title\",\"description\"\n".getBytes(StandardCharsets.UTF_8);

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok.csv", ex -> {
      ex.sendResponseHeaders(200, BODY.length);
      ex.getResponseBody().write(BODY);
      ex.close();
    });
    server.createContext("/missing.csv", ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }

  @Test
  void fetch_verifiesTheChecksum() throws Exception {
    List<String> log = new ArrayList<>();
    Path target = dir.resolve("train.csv");
    AgNewsData.fetch(HttpClient.newHttpClient(), base + "ok.csv", target, md5(BODY), log::add);
    assertTrue(java.util.Arrays.equals(BODY, Files.readAllBytes(target)));
    assertEquals("downloaded " + target + " (MD5 verified)", log.get(0));
  }

  @Test
  void fetch_rejectsACorruptDownloadAndLeavesNothing() throws Exception {
    Path target = dir.resolve("train.csv");
    IOException e = assertThrows(IOException.class, () -> AgNewsData.fetch(HttpClient.newHttpClient(),
        base + "ok.csv", target, AgNewsData.TRAIN_MD5, s -> { }));
    assertEquals("download of " + base + "ok.csv is corrupt: MD5 " + md5(BODY) + ", expected " + AgNewsData.TRAIN_MD5,
        e.getMessage());
    assertFalse(Files.exists(target));
    assertFalse(Files.exists(dir.resolve("train.csv.part")));
  }

  @Test
  void fetch_reportsHttpErrors() {
    IOException e = assertThrows(IOException.class, () -> AgNewsData.fetch(HttpClient.newHttpClient(),
        base + "missing.csv", dir.resolve("x.csv"), "0", s -> { }));
    assertEquals("download of " + base + "missing.csv failed: HTTP 404", e.getMessage());
  }

  @Test
  void locate_prefersExplicitDirectoryAndRecognisesBothLayouts() throws Exception {
    Path split = Files.createDirectories(dir.resolve("a").resolve("split"));
    Files.writeString(split.resolve("train.csv"), "x");
    Files.writeString(split.resolve("eval.csv"), "x");
    AgNewsData.Located l = AgNewsData.locate(dir.resolve("a"), s -> { });
    assertEquals(split.resolve("train.csv"), l.train);
    assertEquals("--data", l.how);
    Path full = Files.createDirectories(dir.resolve("b"));
    Files.writeString(full.resolve("train.csv"), "x");
    Files.writeString(full.resolve("test.csv"), "x");
    assertEquals(full.resolve("test.csv"), AgNewsData.locate(full, s -> { }).eval);
  }

  @Test
  void locate_explicitDirectoryWithoutData() {
    UsageException e = assertThrows(UsageException.class, () -> AgNewsData.locate(dir, s -> { }));
    assertEquals("--data " + dir + " holds neither split/train.csv + split/eval.csv nor train.csv + test.csv", e.getMessage());
  }

  @Test
  void candidates_followTheDocumentedOrder() {
    List<String[]> c = AgNewsData.candidates(null);
    assertEquals("../shared/data", c.get(c.size() - (System.getProperty("rnn4j.home") == null ? 2 : 3))[1]);
    assertEquals("the user cache", c.get(c.size() - 1)[1]);
  }
}
