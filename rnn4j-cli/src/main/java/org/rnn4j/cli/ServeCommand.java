package org.rnn4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rnn4j.serve.ModelServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Serve models over HTTP: predict, generate, model descriptions, health and metrics "
        + "(docs/serving.md).", "Ctrl-C or SIGTERM stops accepting, finishes the requests in flight and exits 0."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "NAME=DIR",
      description = "A model to serve, as NAME=DIR or DIR (named after the directory); repeatable.")
  List<String> models;
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String host;
  @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;
  @Option(names = "--max-batch", defaultValue = "64", description = "Most texts per forward pass (default: ${DEFAULT-VALUE}).")
  int maxBatch;
  @Option(names = "--max-wait-ms", defaultValue = "2", description = "Most time a batch waits for more texts (default: ${DEFAULT-VALUE}).")
  int maxWaitMs;
  @Option(names = "--queue", defaultValue = "1024", description = "Most texts waiting per classifier; beyond it: 503 (default: ${DEFAULT-VALUE}).")
  int queue;
  @Option(names = "--max-body", defaultValue = "1048576", description = "Largest request body in bytes; beyond it: 413 (default: ${DEFAULT-VALUE}).")
  long maxBody;
  @Option(names = "--timeout-ms", defaultValue = "30000", description = "Longest wait for an answer; beyond it: 504 (default: ${DEFAULT-VALUE}).")
  int timeoutMs;
  @Option(names = "--warm-up-ms", defaultValue = "3000", description = "Run the models on made-up texts this long before /readyz says ready (default: ${DEFAULT-VALUE}; 0: none).")
  int warmUpMs;
  @Option(names = "--token-file", paramLabel = "FILE", description = "Require 'Authorization: Bearer TOKEN', TOKEN being the file's one line.")
  Path tokenFile;
  @Option(names = "--access-log", paramLabel = "FILE", description = "Append one JSON line per request to FILE.")
  Path accessLog;
  @CommandLine.Mixin
  WeightsFlag weights;
  @Option(names = "--threads", description = "Compute threads, 1..1024 (default: all cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    Commands.threads(threads);
    ModelServer.Builder b = ModelServer.builder().host(host).port(port).maxBatch(maxBatch).maxWaitMs(maxWaitMs)
        .queue(queue).maxBody(maxBody).timeoutMs(timeoutMs).warmUpMs(warmUpMs).accessLog(accessLog)
        .weights(weights.precision);
    if (tokenFile != null) {
      b.tokenFile(tokenFile);
    }
    for (String m : models) {
      int eq = m.indexOf('=');
      if (eq > 0) {
        b.model(m.substring(0, eq), Path.of(m.substring(eq + 1)));
      } else {
        b.model(Path.of(m));
      }
    }
    ModelServer server = b.start();
    for (String name : server.models()) {
      System.out.println("serving " + name + " at " + server.url() + "/v1/models/" + name);
    }
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Interrupts.onStop(() -> {
      System.err.println();
      System.err.println("rnn4j: stopping: no new connections; finishing the requests in flight ...");
      stop.countDown();
    });
    stop.await();
    server.stop(Duration.ofMillis(timeoutMs));
    System.err.println("rnn4j: stopped");
    return 0;
  }
}
