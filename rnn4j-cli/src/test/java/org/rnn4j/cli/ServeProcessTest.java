package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.Json;
import org.rnn4j.testing.TestModels;

/** rnn4j serve as a process: SIGTERM in the middle of a load finishes every accepted request and exits 0. */
class ServeProcessTest {
  @TempDir Path dir;

  @Test
  void sigterm_finishesRequestsInFlightAndExitsZero() throws Exception {
    Path lm = dir.resolve("lm");
    TestModels.languageModel(lm);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "serve", "--model", "lm=" + lm, "--port", "0")
        .redirectError(dir.resolve("stderr.txt").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null && line.startsWith("serving lm at http://127.0.0.1:"), String.valueOf(line));
      String url = line.substring(line.indexOf("http://"));
      HttpClient http = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      List<long[]> finished = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        long[] at = new long[1];
        finished.add(at);
        inFlight.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/generate"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"length\": 100000, \"seed\": " + i + "}")).build(),
            HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> at[0] = System.nanoTime()));
      }
      Thread.sleep(500);
      long sigterm = System.nanoTime();
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server stops");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr.txt")));
      int afterSigterm = 0;
      for (int i = 0; i < inFlight.size(); i++) {
        HttpResponse<String> r = inFlight.get(i).get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(100000, ((String) Json.parseObject(r.body()).get("text")).length());
        afterSigterm += finished.get(i)[0] > sigterm ? 1 : 0;
      }
      assertTrue(afterSigterm > 0, "some requests were still running when SIGTERM came");
      String err = Files.readString(dir.resolve("stderr.txt"));
      assertTrue(err.contains("finishing the requests in flight") && err.contains("rnn4j: stopped"), err);
    } finally {
      p.destroyForcibly();
    }
  }
}
