package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.classify.Classifier;
import org.rnn4j.io.Json;
import org.rnn4j.testing.TestModels;
import org.rnn4j.text.LabeledText;

/**
 * A bounded load on loopback with 5% bad requests mixed in (malformed JSON, bodies over the limit,
 * wrong types, empty texts, slow clients, clients that vanish mid-request) and a model reload in the
 * middle: every valid request gets its correct answer (from the old model or the new one), every bad
 * one its documented status, and nothing gets a 5xx.
 */
class ReliabilityTest {
  private static final int REQUESTS = 2000;
  private static final int CLIENTS = 16;

  @TempDir Path dir;

  /** What a request was, and what it got. */
  private record Outcome(String kind, int status, boolean correct) {}

  @Test
  void load_withBadRequestsAndAReload_failsNoValidRequest() throws Exception {
    Path old = dir.resolve("old");
    Path replacement = dir.resolve("new");
    TestModels.classifier(old, 1);
    TestModels.classifier(replacement, 2);
    Path served = ModelServerTest.copy(old, dir.resolve("served"));
    List<String> texts = TestModels.topics(200, 21).stream().map(LabeledText::text).toList();
    Classifier before = Classifier.load(old);
    Classifier after = Classifier.load(replacement);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    try (ModelServer s = ModelServer.builder().model("news", served).port(0).maxBody(64 * 1024).start()) {
      URI predict = URI.create(s.url() + "/v1/models/news/predict");
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> work = new ArrayList<>();
      AtomicInteger next = new AtomicInteger();
      for (int c = 0; c < CLIENTS; c++) {
        work.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < REQUESTS; ) {
            if (i == REQUESTS / 2) {
              ModelServerTest.copy(replacement, served);
              assertNull(s.reload().get("news"), "the replacement is a valid model");
            }
            outcomes.add(i % 20 == 0 ? bad(http, s, predict, i / 20 % 6) : valid(http, predict,
                texts.get(i % texts.size()), before, after));
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (Outcome o : outcomes) {
      counts.computeIfAbsent(o.kind() + " " + o.status(), k -> new AtomicInteger()).incrementAndGet();
    }
    System.out.printf("reliability: %d requests in %.1f s by %d clients: %s%n", outcomes.size(), seconds, CLIENTS,
        new java.util.TreeMap<>(counts));
    assertEquals(REQUESTS, outcomes.size());
    for (Outcome o : outcomes) {
      assertTrue(o.status() < 500, o.toString());
      assertTrue(o.correct(), o.toString());
    }
  }

  private static Outcome valid(HttpClient http, URI predict, String text, Classifier before, Classifier after)
      throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict)
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("text", text)))).build(),
        HttpResponse.BodyHandlers.ofString());
    String body = r.body();
    boolean right = r.statusCode() == 200 && (body.equals(Json.write(before.predict(text).toJson()) + "\n")
        || body.equals(Json.write(after.predict(text).toJson()) + "\n"));
    return new Outcome("valid", r.statusCode(), right);
  }

  private static Outcome bad(HttpClient http, ModelServer s, URI predict, int kind) throws Exception {
    return switch (kind) {
      case 0 -> expect(http, predict, "malformed", "{\"text\": \"goal", 400);
      case 1 -> expect(http, predict, "huge", "{\"text\": \"" + "goal ".repeat(20_000) + "\"}", 413);
      case 2 -> expect(http, predict, "wrong-type", "{\"text\": [1, 2]}", 400);
      case 3 -> expect(http, predict, "empty", "{\"text\": \"\"}", 400);
      case 4 -> slowClient(s);
      default -> vanishingClient(s);
    };
  }

  private static Outcome expect(HttpClient http, URI predict, String kind, String body, int status) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(predict).POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    return new Outcome(kind, r.statusCode(), r.statusCode() == status && r.body().startsWith("{\"error\":"));
  }

  /** Sends half of its body, waits 300 ms, sends the rest: still answered correctly. */
  private static Outcome slowClient(ModelServer s) throws IOException, InterruptedException {
    byte[] body = "{\"text\": \"the striker scored a goal\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/models/news/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      Thread.sleep(300);
      out.write(body, body.length / 2, body.length - body.length / 2);
      out.flush();
      String status = statusLine(socket.getInputStream());
      return new Outcome("slow", Integer.parseInt(status.split(" ")[1]), status.contains(" 200 "));
    }
  }

  /** Promises 100 bytes, sends 10 and hangs up: the server must simply carry on. */
  private static Outcome vanishingClient(ModelServer s) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", s.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/models/news/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"text\": \"").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    return new Outcome("vanished", 0, true);
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) {
      b.append((char) c);
    }
    return b.toString().trim();
  }

  @Test
  void hangingClients_doNotBlockOthers() throws Exception {
    Path news = dir.resolve("news");
    TestModels.classifier(news, 1);
    try (ModelServer s = ModelServer.builder().model("news", news).port(0).start()) {
      List<Socket> hanging = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) { // headers sent, the body never comes
          Socket h = new Socket("127.0.0.1", s.port());
          h.getOutputStream().write(("POST /v1/models/news/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
          h.getOutputStream().flush();
          hanging.add(h);
        }
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "/v1/models/news/predict"))
              .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"goal\"}")).build(),
              HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
        }
      } finally {
        for (Socket h : hanging) {
          h.close();
        }
      }
    }
  }
}
