package org.rnn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.classify.Classifier;
import org.rnn4j.io.Json;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.translate.DecodeOptions;
import org.rnn4j.translate.Translator;
import org.rnn4j.persist.ModelDirectory;
import org.rnn4j.testing.TestModels;
import org.rnn4j.text.LabeledText;

/** The server over real HTTP on loopback: answers, batching, every documented error, reloads. */
class ModelServerTest {
  private static final String TOKEN = "s3cret-token";

  @TempDir static Path dir;
  static Path news;
  static Path news2;
  static Path lm;
  static Path de;
  static ModelServer server;
  static HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    news = dir.resolve("news");
    news2 = dir.resolve("news2");
    lm = dir.resolve("lm");
    TestModels.classifier(news, 1);
    TestModels.classifier(news2, 2);
    TestModels.languageModel(lm);
    de = dir.resolve("de");
    TestModels.translator(de);
    Path token = dir.resolve("token.txt");
    Files.writeString(token, TOKEN + "\n");
    server = ModelServer.builder().model("news", copy(news, dir.resolve("served-news"))).model("lm", lm).model("de", de).port(0)
        .tokenFile(token).maxWaitMs(20).warmUpMs(0).start();
  }

  static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return to;
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + TOKEN)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static String error(HttpResponse<String> r) throws Exception {
    return (String) Json.parseObject(r.body()).get("error");
  }

  @Test
  void predict_text_answersWhatClassifierPredictsBitForBit() throws Exception {
    Classifier c = Classifier.load(news);
    for (LabeledText t : TestModels.topics(20, 9)) {
      HttpResponse<String> r = post("/v1/models/news/predict", Json.write(Map.of("text", t.text())));
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(Json.write(c.predict(t.text()).toJson()) + "\n", r.body());
    }
  }

  @Test
  void predict_texts_answersInOrder() throws Exception {
    Classifier c = Classifier.load(news);
    List<String> texts = TestModels.topics(7, 5).stream().map(LabeledText::text).toList();
    HttpResponse<String> r = post("/v1/models/news/predict", Json.write(Map.of("texts", texts)));
    assertEquals(200, r.statusCode(), r.body());
    List<Object> expected = new ArrayList<>();
    c.predict(texts).forEach(p -> expected.add(p.toJson()));
    assertEquals(Json.write(Map.of("predictions", expected)) + "\n", r.body());
  }

  @Test
  void predict_concurrentRequests_areBatchedWithTheSameAnswers() throws Exception {
    Classifier c = Classifier.load(news);
    List<String> texts = TestModels.topics(200, 11).stream().map(LabeledText::text).toList();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (String t : texts) {
        answers.add(pool.submit(() -> post("/v1/models/news/predict", Json.write(Map.of("text", t))).body()));
      }
      for (int i = 0; i < texts.size(); i++) {
        assertEquals(Json.write(c.predict(texts.get(i)).toJson()) + "\n", answers.get(i).get());
      }
    } finally {
      pool.shutdown();
    }
    String metrics = get("/metrics").body();
    double sum = metric(metrics, "rnn4j_batch_size_sum{model=\"news\"}");
    double count = metric(metrics, "rnn4j_batch_size_count{model=\"news\"}");
    assertTrue(sum > count, "32 concurrent clients were never batched: " + sum + " texts in " + count + " batches");
  }

  static double metric(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no " + name + " in\n" + text);
  }

  @Test
  void generate_seed_answersWhatLanguageModelGenerates() throws Exception {
    LanguageModel m = LanguageModel.load(lm);
    String expected = m.generate("to be", 40, m.sampler(0.8, 5, 0.9, 42), s -> {});
    HttpResponse<String> r = post("/v1/models/lm/generate",
        "{\"prime\": \"to be\", \"length\": 40, \"temperature\": 0.8, \"top_k\": 5, \"top_p\": 0.9, \"seed\": 42}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(expected, Json.parseObject(r.body()).get("text"));
  }

  @Test
  void generate_stream_sendsEachTokenThenTheWholeText() throws Exception {
    LanguageModel m = LanguageModel.load(lm);
    String expected = m.generate("", 30, m.sampler(1.0, 0, 1.0, 7), s -> {});
    HttpResponse<String> r = post("/v1/models/lm/generate", "{\"length\": 30, \"seed\": 7, \"stream\": true}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    StringBuilder pieces = new StringBuilder();
    Map<String, Object> last = null;
    for (String event : r.body().split("\n\n")) {
      assertTrue(event.startsWith("data: "), event);
      Map<String, Object> e = Json.parseObject(event.substring(6));
      if (e.containsKey("done")) {
        last = e;
      } else {
        pieces.append(e.get("text"));
      }
    }
    assertEquals(expected, pieces.toString());
    assertEquals(expected, last.get("text"));
  }

  @Test
  void explain_answersWhatClassifierExplains() throws Exception {
    String text = "the striker scored a goal in the cup";
    HttpResponse<String> r = post("/v1/models/news/explain", Json.write(Map.of("text", text)));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(Json.write(Classifier.load(news).explain(text).toJson()) + "\n", r.body());
    Map<String, Object> e = Json.parseObject(r.body());
    List<?> tokens = (List<?>) e.get("tokens");
    assertEquals(8, tokens.size());
    assertEquals(Boolean.TRUE, ((Map<?, ?>) tokens.get(2)).get("unknown"), "'scored' is not in the vocabulary");
    assertEquals("\"text\": the text is empty (it has no tokens)",
        error(post("/v1/models/news/explain", "{\"text\": \"\"}")));
    assertEquals("model 'lm' is a language model; explain needs a classifier",
        error(post("/v1/models/lm/explain", "{\"text\": \"x\"}")));
  }

  @Test
  void page_servesItsOwnFilesAndNothingElse() throws Exception {
    HttpResponse<String> page = getWithoutToken(server, "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"/page/app.js\"></script>"), page.body());
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
    for (String p : new String[] {"/page/app.js", "/page/style.css"}) {
      assertEquals(200, getWithoutToken(server, p).statusCode(), p);
    }
    for (String p : new String[] {"/page/", "/page/index.html", "/page/../openapi.json", "/page/%2e%2e/x",
        "/page/app.js/", "/index.html", "/org/rnn4j/serve/openapi.json", "/served-news/config.json"}) {
      HttpResponse<String> r = getWithoutToken(server, p);
      assertTrue(r.statusCode() == 404 || r.statusCode() == 401 && !r.body().contains("<"), p + ": " + r.statusCode());
    }
  }

  @Test
  void predict_malformedJson_is400() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "{\"text\": ");
    assertEquals(400, r.statusCode());
    assertTrue(error(r).startsWith("malformed JSON"), r.body());
  }

  @Test
  void predict_notAnObject_is400() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "[\"a\"]");
    assertEquals(400, r.statusCode());
    assertEquals("the body must be a JSON object", error(r));
  }

  @Test
  void predict_emptyBody_is400() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "");
    assertEquals(400, r.statusCode());
    assertEquals("the body is empty; send a JSON object", error(r));
  }

  @Test
  void predict_invalidUtf8_is400() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/models/news/predict"))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, '"', '}'})).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    assertEquals("the body is not valid UTF-8", error(r));
  }

  @Test
  void predict_textOfWrongType_is400NamingIt() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "{\"text\": 5}");
    assertEquals(400, r.statusCode());
    assertEquals("\"text\" must be a string", error(r));
  }

  @Test
  void predict_missingText_is400() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "{\"txt\": \"goal\"}");
    assertEquals(400, r.statusCode());
    assertEquals("give either \"text\" (a string) or \"texts\" (an array of strings)", error(r));
  }

  @Test
  void predict_emptyText_is400() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "{\"text\": \"  \"}");
    assertEquals(400, r.statusCode());
    assertEquals("\"text\": the text is empty (it has no tokens)", error(r));
  }

  @Test
  void predict_badElementOfTexts_is400NamingItsIndex() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "{\"texts\": [\"goal\", null]}");
    assertEquals(400, r.statusCode());
    assertEquals("\"texts\"[1] must be a string", error(r));
    assertEquals("\"texts\" is empty", error(post("/v1/models/news/predict", "{\"texts\": []}")));
  }

  @Test
  void predict_unknownTokensOnly_areAnsweredAsUnk() throws Exception {
    HttpResponse<String> r = post("/v1/models/news/predict", "{\"text\": \"zebra quokka\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(Json.write(Classifier.load(news).predict("zebra quokka").toJson()) + "\n", r.body());
  }

  @Test
  void predict_bodyOverTheLimit_is413() throws Exception {
    String big = "{\"text\": \"" + "goal ".repeat(300_000) + "\"}";
    HttpResponse<String> r = post("/v1/models/news/predict", big);
    assertEquals(413, r.statusCode());
    assertTrue(error(r).contains("the limit is 1048576"), r.body());
  }

  /** A 2 MiB body is read and discarded, so the client sees the 413 and the connection carries on. */
  @Test
  void predict_bodyOverTheLimit_keepsTheConnection() throws Exception {
    byte[] big = ("{\"text\": \"" + "goal ".repeat(400_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] small = "{\"text\": \"goal\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(rawPost(big.length));
      out.write(big);
      out.flush();
      InputStream in = socket.getInputStream();
      RawResponse first = RawResponse.read(in);
      assertEquals(413, first.status(), first.head());
      assertFalse(first.head().toLowerCase(java.util.Locale.ROOT).contains("connection: close"), first.head());
      out.write(rawPost(small.length));
      out.write(small);
      out.flush();
      RawResponse second = RawResponse.read(in);
      assertEquals(200, second.status(), second.head());
      assertEquals(Json.write(Classifier.load(news).predict("goal").toJson()) + "\n", second.body());
    }
  }

  /** A declared body far over the limit is not waited for: 413 at once, and the connection closes. */
  @Test
  void predict_declaredBodyFarOverTheLimit_is413WithoutReadingIt() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(rawPost(1L << 30)); // and no body at all
      socket.getOutputStream().flush();
      RawResponse r = RawResponse.read(socket.getInputStream());
      assertEquals(413, r.status(), r.head());
      assertTrue(r.head().toLowerCase(java.util.Locale.ROOT).contains("connection: close"), r.head());
      assertTrue(r.body().contains("the body has 1073741824 bytes; the limit is 1048576"), r.body());
    }
  }

  private static byte[] rawPost(long contentLength) {
    return ("POST /v1/models/news/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** One HTTP/1.1 response with a Content-Length, read off a raw socket. */
  private record RawResponse(int status, String head, String body) {
    static RawResponse read(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("the connection closed inside the headers: " + head);
        }
        head.append((char) c);
      }
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      return new RawResponse(Integer.parseInt(head.toString().split(" ")[1]), head.toString(), body);
    }
  }

  @Test
  void unknownModel_is404() throws Exception {
    HttpResponse<String> r = post("/v1/models/nope/predict", "{\"text\": \"goal\"}");
    assertEquals(404, r.statusCode());
    assertEquals("no model 'nope' (models: news, lm, de)", error(r));
  }

  @Test
  void unknownRoute_is404() throws Exception {
    assertEquals(404, get("/v2/whatever").statusCode());
    assertEquals(404, post("/v1/models/news/summarize", "{}").statusCode());
  }

  @Test
  void wrongMethod_is405WithAllow() throws Exception {
    HttpResponse<String> r = get("/v1/models/news/predict");
    assertEquals(405, r.statusCode());
    assertEquals("POST", r.headers().firstValue("Allow").orElse(null));
  }

  @Test
  void wrongTask_is400NamingTheRouteToUse() throws Exception {
    assertEquals("model 'lm' is a language model; use /v1/models/lm/generate",
        error(post("/v1/models/lm/predict", "{\"text\": \"x\"}")));
    assertEquals("model 'news' is a classifier; use /v1/models/news/predict",
        error(post("/v1/models/news/generate", "{}")));
    assertEquals("model 'de' is a translation model; use /v1/models/de/translate",
        error(post("/v1/models/de/predict", "{\"text\": \"x\"}")));
    assertEquals("model 'news' is a classifier; use /v1/models/news/predict",
        error(post("/v1/models/news/translate", "{\"text\": \"x\"}")));
  }

  @Test
  void translate_answersWhatTranslatorTranslates() throws Exception {
    Translator t = Translator.load(de);
    List<String> texts = List.of("goal team", "market shares profit", "zzz unknown");
    List<Translator.Translation> expected = t.translate(texts, new DecodeOptions(3, 0.5f, 2f));
    HttpResponse<String> r = post("/v1/models/de/translate",
        Json.write(Map.of("texts", texts, "beam", 3, "length_penalty", 0.5, "attention", true)));
    assertEquals(200, r.statusCode(), r.body());
    List<?> got = (List<?>) Json.parseObject(r.body()).get("translations");
    for (int i = 0; i < texts.size(); i++) {
      Map<?, ?> m = (Map<?, ?>) got.get(i);
      assertEquals(expected.get(i).text(), m.get("translation"));
      assertEquals(expected.get(i).tokens(), m.get("tokens"));
      assertEquals(expected.get(i).score(), ((Number) m.get("score")).doubleValue(), 0.0);
      assertEquals(expected.get(i).attention().length, ((List<?>) m.get("attention")).size());
    }
    Map<String, Object> one = Json.parseObject(post("/v1/models/de/translate", "{\"text\": \"goal team\"}").body());
    assertEquals(t.translate("goal team"), one.get("translation"));
    assertTrue(!one.containsKey("attention"), "attention only when asked");
  }

  @Test
  void translate_badArguments_are400NamingTheField() throws Exception {
    assertEquals("give either \"text\" (a string) or \"texts\" (an array of strings)",
        error(post("/v1/models/de/translate", "{}")));
    assertEquals("\"text\" is empty", error(post("/v1/models/de/translate", "{\"text\": \"  \"}")));
    assertEquals("\"texts\"[1] must be a string", error(post("/v1/models/de/translate", "{\"texts\": [\"a\", 3]}")));
    assertEquals("\"texts\" is empty", error(post("/v1/models/de/translate", "{\"texts\": []}")));
    assertEquals("\"texts\" holds 257 strings, more than 256",
        error(post("/v1/models/de/translate", Json.write(Map.of("texts", java.util.Collections.nCopies(257, "goal"))))));
    assertEquals("\"beam\" must be in 1..100, got 0",
        error(post("/v1/models/de/translate", "{\"text\": \"goal\", \"beam\": 0}")));
    assertEquals("\"length_penalty\" must be a number >= 0, got -1.0",
        error(post("/v1/models/de/translate", "{\"text\": \"goal\", \"length_penalty\": -1}")));
    assertEquals(405, get("/v1/models/de/translate").statusCode());
  }

  @Test
  void generate_outOfRangeArguments_are400() throws Exception {
    assertEquals("\"top_p\" must be in (0, 1], got 1.5", error(post("/v1/models/lm/generate", "{\"top_p\": 1.5}")));
    assertEquals("\"temperature\" must be > 0, got 0.0",
        error(post("/v1/models/lm/generate", "{\"temperature\": 0}")));
    assertEquals("\"length\" must be in 0..100000, got -1", error(post("/v1/models/lm/generate", "{\"length\": -1}")));
    assertEquals("\"seed\" must be a whole number", error(post("/v1/models/lm/generate", "{\"seed\": \"x\"}")));
    assertTrue(error(post("/v1/models/lm/generate", "{\"prime\": \"\u00e9\u00e9\"}")).startsWith("\"prime\": "));
  }

  @Test
  void token_missingOrWrong_is401_healthNeedsNone() throws Exception {
    HttpResponse<String> r = getWithoutToken(server, "/v1/models");
    assertEquals(401, r.statusCode());
    assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(null));
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/models"))
        .header("Authorization", "Bearer guess").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode());
    HttpResponse<String> health = getWithoutToken(server, "/healthz");
    assertEquals(200, health.statusCode());
  }

  @Test
  void models_describeWhatIsServed() throws Exception {
    Map<String, Object> list = Json.parseObject(get("/v1/models").body());
    assertEquals(3, ((List<?>) list.get("models")).size());
    Map<String, Object> t = Json.parseObject(get("/v1/models/de").body());
    assertEquals("translation", t.get("task"));
    assertTrue(((Number) t.get("target_vocabulary")).intValue() > 4, t.toString());
    Map<String, Object> d = Json.parseObject(get("/v1/models/news").body());
    assertEquals("classification", d.get("task"));
    assertEquals(List.of("markets", "sports"), d.get("classes"));
    assertEquals(64, ((String) d.get("sha256")).length());
    assertEquals("ready", Json.parseObject(get("/readyz").body()).get("status"));
  }

  @Test
  void openapi_documentsEveryRouteTheServerAnswers() throws Exception {
    HttpResponse<String> r = getWithoutToken(server, "/openapi.json");
    assertEquals(200, r.statusCode());
    @SuppressWarnings("unchecked")
    Map<String, Object> paths = (Map<String, Object>) Json.parseObject(r.body()).get("paths");
    assertEquals(java.util.Set.of("/v1/models", "/v1/models/{name}", "/v1/models/{name}/predict",
        "/v1/models/{name}/generate", "/v1/models/{name}/explain", "/v1/models/{name}/translate", "/admin/reload",
        "/healthz", "/readyz", "/metrics", "/openapi.json"),
        paths.keySet());
    for (String path : paths.keySet()) {
      String concrete = path.replace("{name}", path.endsWith("generate") ? "lm" : path.endsWith("translate") ? "de"
          : "news");
      boolean posted = path.endsWith("predict") || path.endsWith("explain") || path.endsWith("generate")
          || path.endsWith("translate") || path.endsWith("reload");
      HttpResponse<String> answer = posted
          ? post(concrete, path.endsWith("generate") ? "{\"length\": 3}" : "{\"text\": \"goal\"}")
          : get(concrete);
      assertEquals(200, answer.statusCode(), path + ": " + answer.body());
    }
  }

  @Test
  void metrics_countRequestsByRouteAndStatus() throws Exception {
    post("/v1/models/nope/predict", "{}");
    String m = get("/metrics").body();
    assertTrue(metric(m, "rnn4j_requests_total{route=\"predict\",status=\"404\"}") >= 1, m);
    assertTrue(m.contains("# TYPE rnn4j_request_duration_seconds histogram"), m);
    assertTrue(m.contains("rnn4j_model_load_seconds{model=\"news\",task=\"classification\",sha256=\""), m);
  }

  @Test
  void reload_replacedDirectoryServesTheNewModel_corruptOneIsRefused() throws Exception {
    Path served = dir.resolve("reload-news");
    copy(news, served);
    try (ModelServer s = ModelServer.builder().model("news", served).port(0).start()) {
      String before = (String) s.reload().get("news");
      assertNull(before);
      String sha1 = sha(s);
      copy(news2, served);
      assertEquals(Collections.singletonMap("news", null), s.reload());
      String sha2 = sha(s);
      assertNotEquals(sha1, sha2);
      Files.write(served.resolve(ModelDirectory.WEIGHTS), new byte[] {1, 2, 3});
      String why = s.reload().get("news");
      assertTrue(why != null && why.contains("model.safetensors"), why);
      assertEquals(sha2, sha(s));
      HttpResponse<String> r = post(s, "/v1/models/news/predict", "{\"text\": \"goal\"}");
      assertEquals(Json.write(Classifier.load(news2).predict("goal").toJson()) + "\n", r.body());
      assertEquals(why, Json.parseObject(getWithoutToken(s, "/v1/models/news").body()).get("last_reload_error"));
    }
  }

  private static String sha(ModelServer s) throws Exception {
    return (String) Json.parseObject(getWithoutToken(s, "/v1/models/news").body()).get("sha256");
  }

  @Test
  void accessLog_writesOneJsonLinePerRequest() throws Exception {
    Path log = dir.resolve("access.jsonl");
    try (ModelServer s = ModelServer.builder().model("news", news).port(0).warmUpMs(0).accessLog(log).start()) {
      post(s, "/v1/models/news/predict", "{\"text\": \"goal\"}");
      post(s, "/v1/models/news/predict", "{\"text\": 1}");
    }
    List<String> lines = Files.readAllLines(log);
    assertEquals(2, lines.size(), String.join("\n", lines));
    Map<String, Object> first = Json.parseObject(lines.get(0));
    assertEquals("POST", first.get("method"));
    assertEquals("/v1/models/news/predict", first.get("path"));
    assertEquals(200L, first.get("status"));
    assertEquals(400L, Json.parseObject(lines.get(1)).get("status"));
  }

  @Test
  void start_outOfRangeSetting_namesIt() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> ModelServer.builder().model(news).port(70000).start());
    assertEquals("port must be in 0..65535, got 70000", e.getMessage());
    assertEquals("maxBatch must be in 1..4096, got 0",
        assertThrows(InvalidSettingException.class, () -> ModelServer.builder().model(news).maxBatch(0).start())
            .getMessage());
    assertEquals("no model to serve",
        assertThrows(InvalidSettingException.class, () -> ModelServer.builder().start()).getMessage());
    assertEquals("model name 'news' is given twice", assertThrows(InvalidSettingException.class,
        () -> ModelServer.builder().model("news", news).model("news", lm)).getMessage());
  }

  @Test
  void start_notAModelDirectory_namesIt() {
    IOException e = assertThrows(IOException.class,
        () -> ModelServer.builder().model("x", dir.resolve("missing")).port(0).start());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void predict_slowerThanTheTimeout_is504() throws Exception {
    // 2,000 texts of 40 words are tens of milliseconds of work; the timeout is 1 ms.
    String word = "goal match striker cup league ";
    List<String> texts = Collections.nCopies(2000, word.repeat(8));
    try (ModelServer s = ModelServer.builder().model("news", news).port(0).queue(4096).timeoutMs(1).warmUpMs(0)
        .start()) {
      HttpResponse<String> r = post(s, "/v1/models/news/predict", Json.write(Map.of("texts", texts)));
      assertEquals(504, r.statusCode());
      assertEquals("no answer within 1 ms", error(r));
    }
  }

  @Test
  void readyz_saysWarmingUpUntilTheWarmUpEnds() throws Exception {
    try (ModelServer s = ModelServer.builder().model("news", news).port(0).warmUpMs(1500).start()) {
      HttpResponse<String> first = getWithoutToken(s, "/readyz");
      assertEquals(503, first.statusCode());
      assertTrue(error(first).startsWith("warming up"), first.body());
      assertEquals(200, post(s, "/v1/models/news/predict", "{\"text\": \"goal\"}").statusCode(),
          "requests are answered while warming up");
      long deadline = System.nanoTime() + 20_000_000_000L;
      int status = 503;
      while (status == 503 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        status = getWithoutToken(s, "/readyz").statusCode();
      }
      assertEquals(200, status);
    }
  }

  /** A POST without the bearer token, to the server s. */
  private static HttpResponse<String> post(ModelServer s, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(s.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET without the bearer token, to the server s. */
  private static HttpResponse<String> getWithoutToken(ModelServer s, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(s.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void stop_finishesRequestsInFlight() throws Exception {
    ModelServer s = ModelServer.builder().model("lm", lm).model("de", de).port(0).start();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<HttpResponse<String>> inFlight = pool.submit(() -> http.send(HttpRequest.newBuilder(
          URI.create(s.url() + "/v1/models/lm/generate")).POST(HttpRequest.BodyPublishers.ofString(
          "{\"length\": 100000, \"seed\": 1}")).build(), HttpResponse.BodyHandlers.ofString()));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (s.inFlight() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertFalse(inFlight.isDone(), "the request must still be running when the server stops");
      s.stop(java.time.Duration.ofSeconds(30));
      HttpResponse<String> r = inFlight.get();
      assertEquals(200, r.statusCode(), r.body());
      assertEquals(100000, ((String) Json.parseObject(r.body()).get("text")).length());
      assertThrows(IOException.class, () -> getWithoutToken(s, "/healthz"));
    } finally {
      pool.shutdown();
    }
  }
}
