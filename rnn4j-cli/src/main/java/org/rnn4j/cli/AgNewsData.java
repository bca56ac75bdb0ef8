package org.rnn4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds AG News for the demo: --data, $RNN4J_DATA, ../shared/data/ag_news (beside the working
 * directory or the rnn4j checkout), or the user cache; when none has it, downloads the original
 * train.csv and test.csv (the files torchtext's AG_NEWS uses) into the cache and checks their MD5.
 */
final class AgNewsData {
  static final String BASE = "https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/";
  /** MD5 of the original files, as torchtext checks them. */
  static final String TRAIN_MD5 = "b1a00f826fdfbd249f79597b59e1dc12";
  static final String TEST_MD5 = "d52ea96a97a2d943681189a97654912d";
  static final String CLASSES = "World\nSports\nBusiness\nSci/Tech\n";

  /** A located copy: the training file and the evaluation file. */
  static final class Located {
    final Path dir;
    final Path train;
    final Path eval;
    final String how;

    Located(Path dir, Path train, Path eval, String how) {
      this.dir = dir;
      this.train = train;
      this.eval = eval;
      this.how = how;
    }
  }

  private AgNewsData() {}

  static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("rnn4j").resolve("ag_news");
  }

  /** Candidate directories, in order, with how each was found. */
  static List<String[]> candidates(Path explicit) {
    List<String[]> c = new ArrayList<>();
    if (explicit != null) {
      c.add(new String[] {explicit.toString(), "--data"});
      return c;
    }
    String env = System.getenv("RNN4J_DATA");
    if (env != null && !env.isBlank()) {
      c.add(new String[] {Path.of(env).resolve("ag_news").toString(), "$RNN4J_DATA"});
      c.add(new String[] {env, "$RNN4J_DATA"});
    }
    c.add(new String[] {Path.of("..", "shared", "data", "ag_news").toString(), "../shared/data"});
    String home = System.getProperty("rnn4j.home");
    if (home != null) {
      c.add(new String[] {Path.of(home).resolve("..").resolve("shared").resolve("data").resolve("ag_news")
          .normalize().toString(), "../shared/data beside the checkout"});
    }
    c.add(new String[] {cacheDir().toString(), "the user cache"});
    return c;
  }

  /** A directory holding AG News: split/train.csv + split/eval.csv, or train.csv + test.csv. */
  static Located inspect(Path dir, String how) {
    if (Files.isRegularFile(dir.resolve("split").resolve("train.csv"))
        && Files.isRegularFile(dir.resolve("split").resolve("eval.csv"))) {
      return new Located(dir, dir.resolve("split").resolve("train.csv"), dir.resolve("split").resolve("eval.csv"), how);
    }
    if (Files.isRegularFile(dir.resolve("train.csv")) && Files.isRegularFile(dir.resolve("test.csv"))) {
      return new Located(dir, dir.resolve("train.csv"), dir.resolve("test.csv"), how);
    }
    return null;
  }

  static Located locate(Path explicit, Consumer<String> log) throws IOException {
    for (String[] c : candidates(explicit)) {
      Located l = inspect(Path.of(c[0]), c[1]);
      if (l != null) {
        return l;
      }
    }
    if (explicit != null) {
      throw new UsageException("--data " + explicit + " holds neither split/train.csv + split/eval.csv nor train.csv + test.csv");
    }
    Path cache = cacheDir();
    log.accept("AG News not found locally; downloading the original files into " + cache);
    download(BASE, cache, log);
    return inspect(cache, "download");
  }

  /** Downloads train.csv and test.csv from base into dir, verifying their MD5. */
  static void download(String base, Path dir, Consumer<String> log) throws IOException {
    Files.createDirectories(dir);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    fetch(http, base + "test.csv", dir.resolve("test.csv"), TEST_MD5, log);
    fetch(http, base + "train.csv", dir.resolve("train.csv"), TRAIN_MD5, log);
    Files.writeString(dir.resolve("classes.txt"), CLASSES, StandardCharsets.UTF_8);
  }

  static void fetch(HttpClient http, String url, Path target, String md5, Consumer<String> log) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".part");
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        throw new IOException("download of " + url + " failed: HTTP " + r.statusCode());
      }
      MessageDigest digest = MessageDigest.getInstance("MD5");
      try (InputStream in = r.body(); var out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          digest.update(buf, 0, n);
          out.write(buf, 0, n);
        }
      }
      String got = HexFormat.of().formatHex(digest.digest());
      if (!got.equals(md5)) {
        throw new IOException("download of " + url + " is corrupt: MD5 " + got + ", expected " + md5);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.accept("downloaded " + target + " (MD5 verified)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("download of " + url + " interrupted");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      throw new IOException("cannot download " + url + " (" + e.getMessage()
          + "); put AG News in ../shared/data/ag_news or pass --data DIR");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
