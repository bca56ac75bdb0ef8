package org.rnn4j.serve;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.rnn4j.InvalidSettingException;
import org.rnn4j.network.WeightPrecision;

/**
 * Serves rnn4j models over HTTP: classifiers (predict, with micro-batching) and language models
 * (generate, whole or streamed), plus model descriptions, health, readiness, Prometheus metrics and
 * reloads. docs/serving.md documents the routes.
 *
 * <pre>{@code
 * try (ModelServer s = ModelServer.builder().model("news", Path.of("model")).port(0).start()) {
 *   System.out.println(s.url());   // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>It runs on the JDK's own HTTP server (no dependency) with TCP_NODELAY on, since small JSON
 * answers otherwise wait for Nagle's algorithm, and on virtual threads where the JDK has them (21+),
 * so a slow or vanished client holds no platform thread.
 */
public final class ModelServer implements AutoCloseable {
  static {
    // Read once, when the JDK's server classes initialise: it must be set before the first server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final HttpServer http;
  private final ExecutorService executor;
  private final Map<String, ServedModel> models;
  private final Map<String, PredictBatcher> batchers;
  private final ApiHandler handler;

  private ModelServer(Builder b, Map<String, ServedModel> models) throws IOException {
    this.models = models;
    ServerMetrics metrics = new ServerMetrics();
    Map<String, PredictBatcher> bs = new LinkedHashMap<>();
    for (ServedModel m : models.values()) {
      if (m.current().isClassifier()) {
        bs.put(m.name, new PredictBatcher(m, b.maxBatch, b.maxWaitMs * 1_000_000L, b.queue, metrics));
      }
    }
    this.batchers = bs;
    this.handler = new ApiHandler(models, batchers, metrics, b.maxBody, b.timeoutMs, b.token,
        b.accessLog == null ? null : new AccessLog(b.accessLog));
    this.executor = newExecutor();
    try {
      http = HttpServer.create(new InetSocketAddress(b.host, b.port), 0);
    } catch (IOException e) {
      closeBatchers();
      throw new IOException("cannot listen on " + b.host + ":" + b.port + ": " + e.getMessage(), e);
    }
    http.createContext("/", handler);
    http.setExecutor(executor);
    http.start();
    warmUp(b.warmUpMs);
  }

  /**
   * Runs the models on made-up texts for a while, on a background thread, so that the JIT has
   * compiled the kernels before /readyz says ready: until then requests are served, slower.
   */
  private void warmUp(int millis) {
    if (millis == 0) {
      handler.ready();
      return;
    }
    Thread t = new Thread(() -> {
      long end = System.nanoTime() + millis * 1_000_000L;
      java.util.Random r = new java.util.Random(1);
      try {
        while (System.nanoTime() < end) {
          for (ServedModel m : models.values()) {
            ServedModel.Version v = m.current();
            if (v.isClassifier()) {
              List<String> words = v.classifier().vocabulary().tokens();
              List<String> texts = new ArrayList<>();
              for (int i = 0; i < 1 + r.nextInt(32); i++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 5 + r.nextInt(40); w++) {
                  text.append(words.get(r.nextInt(words.size()))).append(' ');
                }
                texts.add(text.toString());
              }
              try {
                v.classifier().predict(texts);
              } catch (IllegalArgumentException e) {
                // a made-up text without tokens: skip it
              }
            } else if (v.translator() != null) {
              List<String> sources = new ArrayList<>();
              for (String w : v.translator().sourceVocabulary().tokens()) {
                if (sources.size() < 8 && !w.startsWith("<")) {
                  sources.add(w + " " + w);
                }
              }
              if (!sources.isEmpty()) {
                v.translator().translate(sources, org.rnn4j.translate.DecodeOptions.beam(1 + r.nextInt(5)));
              }
            } else {
              v.languageModel().generate("", 50, v.languageModel().sampler(1.0, 0, 1.0, r.nextLong()), x -> { });
            }
          }
        }
      } finally {
        handler.ready();
      }
    }, "rnn4j-serve-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Virtual threads where the JDK has them (21+), else a cached pool of daemon threads. */
  private static ExecutorService newExecutor() {
    try {
      Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      return Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rnn4j-http");
        t.setDaemon(true);
        return t;
      });
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on (the one chosen when built with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** {@code http://host:port}. */
  public String url() {
    InetSocketAddress a = http.getAddress();
    String host = a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** The names of the served models, in the order given. */
  public List<String> models() {
    return new ArrayList<>(models.keySet());
  }

  /**
   * Loads every model's directory again; a directory that does not hold a valid model of the same
   * task is refused and its old model keeps serving.
   *
   * @return for each model, null when the reload succeeded, else why it was refused
   */
  public Map<String, String> reload() {
    return handler.reloadAll();
  }

  /**
   * Answers new requests with 503, lets the requests in flight finish (for at most {@code grace}),
   * then closes the listening socket and stops the batchers and threads.
   */
  public void stop(Duration grace) {
    // HttpServer.stop(delay) waits the whole delay even when nothing is in flight on JDK 17 builds
    // without JDK-8304065 (fixed in 25, backported to 21), so the handler drains its own requests
    // and the server then stops at once.
    // One more second lets the JDK's server finish exchanges accepted but not yet handed to the handler.
    handler.drain(System.nanoTime() + grace.toNanos());
    http.stop(1);
    closeBatchers();
    executor.shutdown();
    handler.closeLog();
  }

  /** Requests being handled now. */
  int inFlight() {
    return handler.inFlight();
  }

  private void closeBatchers() {
    for (PredictBatcher b : batchers.values()) {
      b.close();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** The server's settings; {@link #start()} checks them, loads every model and starts listening. */
  public static final class Builder {
    private final Map<String, Path> models = new LinkedHashMap<>();
    private String host = "127.0.0.1";
    private int port = 8080;
    private int maxBatch = 64;
    private int maxWaitMs = 2;
    private int queue = 1024;
    private long maxBody = 1 << 20;
    private int timeoutMs = 30_000;
    private String token;
    private Path accessLog;
    private int warmUpMs = 3000;
    private WeightPrecision weights = WeightPrecision.FLOAT32;

    private Builder() {}

    /** Serves the model in {@code dir} as {@code name} (letters, digits, '.', '_', '-'). */
    public Builder model(String name, Path dir) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new InvalidSettingException("{model} name '" + name
            + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      if (models.putIfAbsent(name, dir) != null) {
        throw new InvalidSettingException("{model} name '" + name + "' is given twice");
      }
      return this;
    }

    /** Serves the model in {@code dir} under the directory's name. */
    public Builder model(Path dir) {
      Path file = dir.toAbsolutePath().normalize().getFileName();
      return model(file == null ? "model" : file.toString(), dir);
    }

    /** The address to bind: 127.0.0.1 unless another is asked for (0.0.0.0 for every interface). */
    public Builder host(String v) { host = v; return this; }
    /** 0 picks a free port. */
    public Builder port(int v) { port = v; return this; }
    /** Most texts per forward pass (default 64). */
    public Builder maxBatch(int v) { maxBatch = v; return this; }
    /** Most time a batch waits for more texts after its first (default 2 ms). */
    public Builder maxWaitMs(int v) { maxWaitMs = v; return this; }
    /** Most texts waiting per classifier; beyond it requests get 503 (default 1024). */
    public Builder queue(int v) { queue = v; return this; }
    /** Largest request body in bytes; larger ones get 413 (default 1 MiB). */
    public Builder maxBody(long v) { maxBody = v; return this; }
    /** Longest a request waits for its answer; then it gets 504 (default 30 s). */
    public Builder timeoutMs(int v) { timeoutMs = v; return this; }
    /** Requests (except /healthz and /readyz) must carry {@code Authorization: Bearer <token>}. */
    public Builder token(String v) { token = v; return this; }

    /** Reads the bearer token from the first line of a file. */
    public Builder tokenFile(Path file) throws IOException {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (t.isEmpty() || t.contains("\n")) {
        throw new InvalidSettingException("{tokenFile} " + file + " must hold one non-empty line");
      }
      return token(t);
    }

    /** How long the models run on made-up texts before /readyz says ready (default 3000 ms; 0: none). */
    public Builder warmUpMs(int v) { warmUpMs = v; return this; }

    /** Writes one JSON line per request to this file (appending). */
    public Builder accessLog(Path v) { accessLog = v; return this; }

    /**
     * How classifiers hold their recurrent weights ({@link WeightPrecision#BF16}: single requests
     * faster, outputs moved by the rounding); float32 by default.
     */
    public Builder weights(WeightPrecision v) { weights = java.util.Objects.requireNonNull(v, "weights"); return this; }

    /**
     * Checks the settings, loads every model (each must be a valid classifier or language model
     * directory) and starts listening.
     *
     * @throws InvalidSettingException naming the setting that is out of range
     * @throws IOException naming the directory or file that is not a valid model, or the address in use
     */
    public ModelServer start() throws IOException {
      check(!models.isEmpty(), "no {model} to serve");
      check(port >= 0 && port <= 65535, "{port} must be in 0..65535, got " + port);
      check(maxBatch >= 1 && maxBatch <= 4096, "{maxBatch} must be in 1..4096, got " + maxBatch);
      check(maxWaitMs >= 0 && maxWaitMs <= 10_000, "{maxWaitMs} must be in 0..10000, got " + maxWaitMs);
      check(queue >= 1 && queue <= 1_000_000, "{queue} must be in 1..1000000, got " + queue);
      check(maxBody >= 1024 && maxBody <= 1L << 30, "{maxBody} must be in 1024..1073741824 bytes, got " + maxBody);
      check(timeoutMs >= 1, "{timeoutMs} must be >= 1, got " + timeoutMs);
      check(warmUpMs >= 0 && warmUpMs <= 600_000, "{warmUpMs} must be in 0..600000, got " + warmUpMs);
      check(host != null && !host.isBlank(), "{host} must not be empty");
      Map<String, ServedModel> loaded = new LinkedHashMap<>();
      for (Map.Entry<String, Path> e : models.entrySet()) {
        loaded.put(e.getKey(), ServedModel.load(e.getKey(), e.getValue(), weights));
      }
      return new ModelServer(this, loaded);
    }

    private static void check(boolean ok, String template) {
      if (!ok) {
        throw new InvalidSettingException(template);
      }
    }
  }
}
