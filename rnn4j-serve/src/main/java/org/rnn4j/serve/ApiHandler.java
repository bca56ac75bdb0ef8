package org.rnn4j.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.rnn4j.classify.Classifier;
import org.rnn4j.classify.Prediction;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.lm.LanguageModel;
import org.rnn4j.translate.DecodeOptions;
import org.rnn4j.translate.Translator;
import org.rnn4j.network.Sampler;

/**
 * Routes every request and writes every answer. Errors are one JSON line, {@code {"error": "..."}},
 * naming the field, model or route at fault: 400 for a bad body, 401 without the token, 404 for an
 * unknown model or route, 405 for a wrong method (with Allow), 413 for a body over the limit, 503
 * (with Retry-After) when a classifier's queue is full or the server is stopping, 504 when the
 * answer takes longer than the timeout.
 */
final class ApiHandler implements HttpHandler {
  private static final String JSON = "application/json; charset=utf-8";
  private static final int MAX_GENERATE_LENGTH = 100_000;
  private static final byte[] OPENAPI = resource("openapi.json");
  /** The page's own files, the only files the server ever sends: a fixed map, never a path from the URL. */
  private static final Map<String, Answer> PAGE = Map.of(
      "/", page("index.html", "text/html; charset=utf-8"),
      "/page/app.js", page("app.js", "text/javascript; charset=utf-8"),
      "/page/style.css", page("style.css", "text/css; charset=utf-8"));

  private final Map<String, ServedModel> models;
  private final Map<String, PredictBatcher> batchers;
  private final ServerMetrics metrics;
  private final long maxBody;
  private final long timeoutNanos;
  private final byte[] token;
  private final AccessLog accessLog;
  private volatile boolean stopping;
  private volatile boolean ready;
  private final AtomicInteger inFlight = new AtomicInteger();

  ApiHandler(Map<String, ServedModel> models, Map<String, PredictBatcher> batchers, ServerMetrics metrics,
             long maxBody, int timeoutMs, String token, AccessLog accessLog) {
    this.models = models;
    this.batchers = batchers;
    this.metrics = metrics;
    this.maxBody = maxBody;
    this.timeoutNanos = timeoutMs * 1_000_000L;
    this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.accessLog = accessLog;
  }

  /**
   * From now on, answers 503 to new requests; then waits until the requests already being handled
   * have been answered, or the deadline passes. Returns true when none is left.
   */
  boolean drain(long deadlineNanos) {
    stopping = true;
    while (inFlight.get() > 0 && System.nanoTime() < deadlineNanos) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return inFlight.get() == 0;
  }

  /** The warm-up is over: /readyz says ready. */
  void ready() {
    ready = true;
  }

  int inFlight() {
    return inFlight.get();
  }

  private static Answer page(String name, String type) {
    return new Answer(200, resource("page/" + name), type, Map.of("Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'", "X-Content-Type-Options", "nosniff",
        "Cache-Control", "no-cache"));
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiHandler.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks org/rnn4j/serve/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read org/rnn4j/serve/" + name, e);
    }
  }

  void closeLog() {
    if (accessLog != null) {
      accessLog.close();
    }
  }

  /** An answer: status, body, content type and extra headers. */
  private record Answer(int status, byte[] body, String type, Map<String, String> headers) {
    static Answer json(int status, Object doc) {
      return new Answer(status, (Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8), JSON, Map.of());
    }
  }

  /** Marks an answer already streamed to the client by the route itself. */
  private static final Answer STREAMED = new Answer(200, new byte[0], "", Map.of());

  @Override
  public void handle(HttpExchange ex) {
    long t0 = System.nanoTime();
    // Counted first, then the flag read: drain() sets the flag, then waits for the count, so a
    // request either sees the flag and is turned away or is counted before drain() looks. Decided
    // once, so a counted request is never turned away by a later look at the flag.
    inFlight.incrementAndGet();
    boolean counted = !stopping;
    if (!counted) {
      inFlight.decrementAndGet();
    }
    String route = "other";
    int status = 500;
    long bytes = 0;
    boolean recorded = false;
    try {
      String path = ex.getRequestURI().getRawPath();
      String[] parts = path.split("/", -1);
      route = routeName(parts);
      Answer a;
      try {
        a = dispatch(ex, parts, counted);
      } catch (HttpError e) {
        a = error(e.status, e.getMessage(), e.headers);
      } catch (RuntimeException e) {
        a = error(500, "internal error: " + e);
      }
      status = a.status();
      if (a != STREAMED) {
        // Counted before the answer leaves: a client that reads /metrics right after must find it.
        metrics.request(route, status, (System.nanoTime() - t0) / 1e9);
        recorded = true;
        bytes = send(ex, a);
      }
    } catch (IOException e) {
      // The client went away mid-answer; nothing to tell it. Counted with the status chosen.
    } finally {
      ex.close();
      if (counted) {
        inFlight.decrementAndGet();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!recorded) {
        metrics.request(route, status, seconds);
      }
      if (accessLog != null) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", Instant.now().toString());
        e.put("remote", String.valueOf(ex.getRemoteAddress()));
        e.put("method", ex.getRequestMethod());
        e.put("path", ex.getRequestURI().getRawPath());
        e.put("status", status);
        e.put("bytes", bytes);
        e.put("ms", Math.round(seconds * 1e6) / 1e3);
        accessLog.write(e);
      }
    }
  }

  /** The route's name in metrics: bounded, whatever paths clients send. */
  private static String routeName(String[] p) {
    if (p.length == 2) {
      return switch (p[1]) {
        case "healthz", "readyz", "metrics", "openapi.json" -> p[1];
        case "" -> "page";
        default -> "other";
      };
    }
    if (p.length >= 3 && p[1].equals("v1") && p[2].equals("models")) {
      return p.length == 3 ? "models" : p.length == 4 ? "model" : p.length == 5 ? p[4] : "other";
    }
    if (p.length == 3 && p[1].equals("page")) {
      return "page";
    }
    return p.length == 3 && p[1].equals("admin") && p[2].equals("reload") ? "reload" : "other";
  }

  private Answer dispatch(HttpExchange ex, String[] p, boolean accepted) throws IOException {
    String method = ex.getRequestMethod();
    if (p.length == 2 && p[1].equals("healthz")) {
      allow(method, "GET");
      return Answer.json(200, Map.of("status", "ok"));
    }
    if (p.length == 2 && p[1].equals("readyz")) {
      allow(method, "GET");
      if (stopping) {
        return error(503, "stopping");
      }
      return ready ? Answer.json(200, Map.of("status", "ready", "models", new ArrayList<>(models.keySet())))
          : error(503, "warming up: the models are loaded and answer, slower until their code is compiled");
    }
    Answer file = PAGE.get(ex.getRequestURI().getRawPath());
    if (file != null) {
      allow(method, "GET");
      return file;
    }
    if (p.length == 2 && p[1].equals("openapi.json")) {
      allow(method, "GET");
      return new Answer(200, OPENAPI, JSON, Map.of());
    }
    checkToken(ex);
    if (!accepted) {
      throw new HttpError(503, "the server is stopping", Map.of("Retry-After", "1"));
    }
    if (p.length == 2 && p[1].equals("metrics")) {
      allow(method, "GET");
      return new Answer(200, metrics.render(models.values()).getBytes(StandardCharsets.UTF_8),
          "text/plain; version=0.0.4; charset=utf-8", Map.of());
    }
    if (p.length == 3 && p[1].equals("admin") && p[2].equals("reload")) {
      allow(method, "POST");
      readBody(ex); // drained and size-checked; the body is ignored
      return Answer.json(200, Map.of("reload", reloadAll()));
    }
    if (p.length >= 3 && p[1].equals("v1") && p[2].equals("models")) {
      if (p.length == 3) {
        allow(method, "GET");
        List<Object> list = new ArrayList<>();
        for (ServedModel m : models.values()) {
          list.add(m.summary());
        }
        return Answer.json(200, Map.of("models", list));
      }
      ServedModel m = models.get(p[3]);
      if (m == null) {
        throw new HttpError(404, "no model '" + p[3] + "' (models: " + String.join(", ", models.keySet()) + ")");
      }
      if (p.length == 4) {
        allow(method, "GET");
        return Answer.json(200, m.describe());
      }
      if (p.length == 5 && p[4].equals("predict")) {
        allow(method, "POST");
        // While this request is read, the batcher may wait for its texts; predict ends that once they are queued.
        PredictBatcher batcher = batchers.get(m.name);
        Runnable arrived = batcher == null ? () -> { } : once(() -> batcher.arriving(-1));
        if (batcher != null) {
          batcher.arriving(1);
        }
        try {
          return predict(m, readJson(ex), arrived);
        } finally {
          arrived.run();
        }
      }
      if (p.length == 5 && p[4].equals("explain")) {
        allow(method, "POST");
        return explain(m, readJson(ex));
      }
      if (p.length == 5 && p[4].equals("generate")) {
        allow(method, "POST");
        return generate(ex, m, readJson(ex));
      }
      if (p.length == 5 && p[4].equals("translate")) {
        allow(method, "POST");
        return translate(m, readJson(ex));
      }
    }
    throw new HttpError(404, "no route " + ex.getRequestURI().getRawPath());
  }

  Map<String, String> reloadAll() {
    Map<String, String> r = new LinkedHashMap<>();
    for (ServedModel m : models.values()) {
      r.put(m.name, m.reload());
    }
    return r;
  }

  private static void allow(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new HttpError(405, "method " + method + " is not allowed here; use " + allowed,
          Map.of("Allow", allowed));
    }
  }

  private void checkToken(HttpExchange ex) {
    if (token == null) {
      return;
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    // Compared in constant time, so the answer's timing does not reveal how much of a guess was right.
    if (h == null || !MessageDigest.isEqual(token, h.getBytes(StandardCharsets.UTF_8))) {
      throw new HttpError(401, "missing or wrong bearer token", Map.of("WWW-Authenticate", "Bearer"));
    }
  }

  /**
   * The body, at most maxBody bytes. A larger body is 413, answered only after the rest of it is read and
   * discarded (up to {@link #drainLimit}): a server that answers and closes with the body unread makes the
   * kernel reset the connection, and the client, still writing, never sees the 413 (nginx's "lingering
   * close" exists for the same reason). Beyond that bound the connection is closed instead.
   */
  private byte[] readBody(HttpExchange ex) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    long n = -1;
    if (declared != null) {
      try {
        n = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new HttpError(400, "Content-Length '" + declared + "' is not a number");
      }
      if (n > drainLimit()) {
        // Not worth reading, and a client that declared it may not even be sending it. The body
        // stream is left unopened: closing it would make the JDK server wait for the body.
        throw new HttpError(413, "the body has " + n + " bytes; the limit is " + maxBody,
            Map.of("Connection", "close"));
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      if (n > maxBody) {
        throw tooLarge("the body has " + n + " bytes; the limit is " + maxBody, in);
      }
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
      if (b.length > maxBody) {
        throw tooLarge("the body is over the limit of " + maxBody + " bytes", in);
      }
      return b;
    }
  }

  private HttpError tooLarge(String message, InputStream body) throws IOException {
    // read, not skip: the JDK server's body stream inherits FilterInputStream.skip, which skips the
    // socket's stream beneath it, past the end of the body, and then waits for bytes that never come.
    byte[] sink = new byte[8192];
    for (long left = drainLimit(); left > 0; ) {
      int n = body.read(sink, 0, (int) Math.min(sink.length, left));
      if (n < 0) {
        return new HttpError(413, message);
      }
      left -= n;
    }
    // Still more: the unread rest means the connection cannot carry another request, so say it closes.
    return new HttpError(413, message, Map.of("Connection", "close"));
  }

  /** How much of an oversized body is read and discarded so that its client can read the 413. */
  private long drainLimit() {
    return Math.max(4 * maxBody, 16L << 20);
  }

  private Map<String, Object> readJson(HttpExchange ex) throws IOException {
    byte[] body = readBody(ex);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "the body is not valid UTF-8");
    }
    if (text.isBlank()) {
      throw new HttpError(400, "the body is empty; send a JSON object");
    }
    Object doc;
    try {
      doc = Json.parse(text);
    } catch (FormatException e) {
      throw new HttpError(400, "malformed JSON: " + e.getMessage());
    }
    if (!(doc instanceof Map)) {
      throw new HttpError(400, "the body must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) doc;
    return m;
  }

  /** Runs r on the first call only. */
  private static Runnable once(Runnable r) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        r.run();
      }
    };
  }

  private Answer predict(ServedModel m, Map<String, Object> body, Runnable arrived) {
    ServedModel.Version v = m.current();
    if (!v.isClassifier()) {
      throw new HttpError(400, "model '" + m.name + "' " + v.kindAndRoute(m.name));
    }
    boolean one = body.containsKey("text");
    List<String> texts = texts(body, Integer.MAX_VALUE, (value, field) -> text(v.classifier(), value, field));
    PredictBatcher batcher = batchers.get(m.name);
    List<CompletableFuture<Prediction>> futures = new ArrayList<>(texts.size());
    for (String t : texts) {
      CompletableFuture<Prediction> f = batcher.submit(t);
      if (f == null) {
        futures.forEach(x -> x.cancel(false));
        throw new HttpError(503, "model '" + m.name + "' has " + batcher.depth() + " texts waiting; try again",
            Map.of("Retry-After", "1"));
      }
      futures.add(f);
    }
    arrived.run();
    long deadline = System.nanoTime() + timeoutNanos;
    List<Object> out = new ArrayList<>(texts.size());
    try {
      for (CompletableFuture<Prediction> f : futures) {
        out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).toJson());
      }
    } catch (TimeoutException | CancellationException e) {
      futures.forEach(x -> x.cancel(false));
      throw new HttpError(504, "no answer within " + timeoutNanos / 1_000_000 + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(x -> x.cancel(false));
      throw new HttpError(503, "the server is stopping", Map.of("Retry-After", "1"));
    } catch (ExecutionException e) {
      throw new HttpError(500, "prediction failed: " + e.getCause());
    }
    return Answer.json(200, one ? out.get(0) : Map.of("predictions", out));
  }

  private Answer explain(ServedModel m, Map<String, Object> body) {
    ServedModel.Version v = m.current();
    if (!v.isClassifier()) {
      throw new HttpError(400, "model '" + m.name + "' is " + v.kind() + "; explain needs a classifier");
    }
    if (!body.containsKey("text")) {
      throw new HttpError(400, "give \"text\" (a string)");
    }
    return Answer.json(200, v.classifier().explain(text(v.classifier(), body.get("text"), "\"text\"")).toJson());
  }

  /**
   * A text field: a string with at least one token for this classifier. The batcher tokenizes it
   * again on purpose: it predicts with the model current when the batch runs, and a reload in between
   * may bring another vocabulary, so ids made here could be wrong there.
   */
  private static String text(Classifier c, Object v, String field) {
    if (!(v instanceof String s)) {
      throw new HttpError(400, field + " must be a string");
    }
    try {
      c.encode(s);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, field + ": " + e.getMessage());
    }
    return s;
  }

  private Answer generate(HttpExchange ex, ServedModel m, Map<String, Object> body) throws IOException {
    ServedModel.Version v = m.current();
    if (v.languageModel() == null) {
      throw new HttpError(400, "model '" + m.name + "' " + v.kindAndRoute(m.name));
    }
    LanguageModel lm = v.languageModel();
    String prime = string(body, "prime", "");
    int length = (int) integer(body, "length", 200, 0, MAX_GENERATE_LENGTH);
    double temperature = number(body, "temperature", 1.0);
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new HttpError(400, "\"temperature\" must be > 0, got " + temperature);
    }
    int topK = (int) integer(body, "top_k", 0, 0, Integer.MAX_VALUE);
    double topP = number(body, "top_p", 1.0);
    if (!(topP > 0 && topP <= 1)) {
      throw new HttpError(400, "\"top_p\" must be in (0, 1], got " + topP);
    }
    long seed = body.get("seed") == null ? System.nanoTime() : integer(body, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
    boolean stream = Boolean.TRUE.equals(bool(body, "stream"));
    boolean greedy = Boolean.TRUE.equals(bool(body, "greedy"));
    Sampler sampler;
    try {
      lm.encodePrime(prime);
      sampler = greedy ? lm.greedySampler() : lm.sampler(temperature, topK, topP, seed);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "\"prime\": " + e.getMessage());
    }
    if (!stream) {
      String text = lm.generate(prime, length, sampler, piece -> {});
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("prime", prime);
      r.put("text", text);
      r.put("seed", seed);
      return Answer.json(200, r);
    }
    // Server-sent events: one event per token as it is sampled, then one with the whole text.
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    long deadline = System.nanoTime() + timeoutNanos;
    String text;
    try {
      text = lm.generate(prime, length, sampler, piece -> {
        if (System.nanoTime() > deadline) {
          throw new StreamEnd("timeout");
        }
        event(out, Map.of("text", piece));
      });
    } catch (StreamEnd e) {
      if (e.getCause() instanceof IOException io) {
        throw io; // the client went away: stop sampling for it
      }
      event(out, Map.of("error", "no end within " + timeoutNanos / 1_000_000 + " ms"));
      out.close();
      return STREAMED;
    }
    Map<String, Object> done = new LinkedHashMap<>();
    done.put("done", true);
    done.put("text", text);
    done.put("seed", seed);
    event(out, done);
    out.close();
    return STREAMED;
  }

  /** Most sentences in one translate request; each is decoded in the request's thread. */
  static final int MAX_TRANSLATE_TEXTS = 256;

  /**
   * Translates "text" or "texts" with the request's decoding ("beam", "length_penalty",
   * "max_length_ratio"), the same output as {@code rnn4j translate --json}; "attention": true adds
   * each sentence's attention matrix.
   */
  private Answer translate(ServedModel m, Map<String, Object> body) {
    ServedModel.Version v = m.current();
    if (v.translator() == null) {
      throw new HttpError(400, "model '" + m.name + "' " + v.kindAndRoute(m.name));
    }
    boolean one = body.containsKey("text");
    List<String> texts = texts(body, MAX_TRANSLATE_TEXTS, ApiHandler::sentence);
    int beam = (int) integer(body, "beam", 1, 1, 100);
    double alpha = number(body, "length_penalty", 0.0);
    double ratio = number(body, "max_length_ratio", 2.0);
    if (!(alpha >= 0) || !Double.isFinite(alpha)) {
      throw new HttpError(400, "\"length_penalty\" must be a number >= 0, got " + alpha);
    }
    if (!(ratio >= 0 && ratio <= 100)) {
      throw new HttpError(400, "\"max_length_ratio\" must be in 0..100, got " + ratio);
    }
    boolean attention = Boolean.TRUE.equals(bool(body, "attention"));
    List<Translator.Translation> done = v.translator().translate(texts,
        new DecodeOptions(beam, (float) alpha, (float) ratio));
    List<Object> out = new ArrayList<>(done.size());
    for (Translator.Translation t : done) {
      out.add(t.toJson(attention));
    }
    return Answer.json(200, one ? out.get(0) : Map.of("translations", out));
  }

  /** Checks one text field and returns it. */
  private interface TextCheck {
    String check(Object value, String field);
  }

  /**
   * The texts of a body with either "text" (one string) or "texts" (an array of 1..most strings),
   * each passed through check with its field's name.
   */
  private static List<String> texts(Map<String, Object> body, int most, TextCheck check) {
    boolean one = body.containsKey("text");
    if (one == body.containsKey("texts")) {
      throw new HttpError(400, "give either \"text\" (a string) or \"texts\" (an array of strings)");
    }
    List<String> texts = new ArrayList<>();
    if (one) {
      texts.add(check.check(body.get("text"), "\"text\""));
      return texts;
    }
    if (!(body.get("texts") instanceof List<?> list)) {
      throw new HttpError(400, "\"texts\" must be an array of strings");
    }
    if (list.isEmpty()) {
      throw new HttpError(400, "\"texts\" is empty");
    }
    if (list.size() > most) {
      throw new HttpError(400, "\"texts\" holds " + list.size() + " strings, more than " + most);
    }
    for (int i = 0; i < list.size(); i++) {
      texts.add(check.check(list.get(i), "\"texts\"[" + i + "]"));
    }
    return texts;
  }

  /** A sentence field: a non-blank string. */
  private static String sentence(Object v, String field) {
    if (!(v instanceof String s)) {
      throw new HttpError(400, field + " must be a string");
    }
    if (s.isBlank()) {
      throw new HttpError(400, field + " is empty");
    }
    return s;
  }

  /** Ends a stream from inside the sampling callback. */
  private static final class StreamEnd extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamEnd(String why) {
      super(why, null, false, false);
    }

    StreamEnd(IOException cause) {
      super("client gone", cause, false, false);
    }
  }

  private static void event(OutputStream out, Map<String, Object> data) {
    try {
      out.write(("data: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new StreamEnd(e);
    }
  }

  private static String string(Map<String, Object> b, String key, String orElse) {
    Object v = b.get(key);
    if (v == null) {
      return orElse;
    }
    if (!(v instanceof String s)) {
      throw new HttpError(400, "\"" + key + "\" must be a string");
    }
    return s;
  }

  private static long integer(Map<String, Object> b, String key, long orElse, long min, long max) {
    Object v = b.get(key);
    if (v == null) {
      return orElse;
    }
    if (!(v instanceof Long n)) {
      throw new HttpError(400, "\"" + key + "\" must be a whole number");
    }
    if (n < min || n > max) {
      throw new HttpError(400, "\"" + key + "\" must be in " + min + ".." + max + ", got " + n);
    }
    return n;
  }

  private static double number(Map<String, Object> b, String key, double orElse) {
    Object v = b.get(key);
    if (v == null) {
      return orElse;
    }
    if (!(v instanceof Number n)) {
      throw new HttpError(400, "\"" + key + "\" must be a number");
    }
    return n.doubleValue();
  }

  private static Boolean bool(Map<String, Object> b, String key) {
    Object v = b.get(key);
    if (v != null && !(v instanceof Boolean)) {
      throw new HttpError(400, "\"" + key + "\" must be true or false");
    }
    return (Boolean) v;
  }

  private static Answer error(int status, String reason) {
    return error(status, reason, Map.of());
  }

  private static Answer error(int status, String reason, Map<String, String> headers) {
    Answer a = Answer.json(status, Map.of("error", reason));
    return new Answer(a.status(), a.body(), a.type(), headers);
  }

  private static long send(HttpExchange ex, Answer a) throws IOException {
    ex.getResponseHeaders().set("Content-Type", a.type());
    a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
    if (a.body().length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(a.body());
        // Flushed before close: the JDK server's close first drains the request body, and a client
        // that declared a body it never sends would otherwise never see this answer.
        out.flush();
      }
    }
    return a.body().length;
  }
}
