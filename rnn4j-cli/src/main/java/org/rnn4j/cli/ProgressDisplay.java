package org.rnn4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.rnn4j.io.Json;
import org.rnn4j.persist.EpochMetrics;
import org.rnn4j.train.TrainingListener;

/**
 * Shows training progress: on a terminal one line redrawn in place (percent, samples/s, running
 * loss and accuracy, ETA); otherwise a plain log line every 10% of an epoch or every 30 seconds.
 * Epoch summaries go to stdout, or as JSON lines with --json.
 */
final class ProgressDisplay implements TrainingListener {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean tty;
  private final boolean json;
  private final String unit;
  private final int width;
  private int epochs;
  private long epochStart;
  private long lastDraw;
  private long lastLogged;
  private int lastDecile;
  private boolean lineDirty;
  // The rate counts from the first batch seen in this epoch: after --resume, done starts mid-epoch.
  private long baseDone;
  private long baseTime;

  ProgressDisplay(PrintStream out, PrintStream err, boolean json, String unit) {
    this.out = out;
    this.err = err;
    this.tty = Terminal.interactive();
    this.json = json;
    this.unit = unit;
    this.width = Terminal.columns();
  }

  @Override
  public void epochStarted(int epoch, int epochs, long samples) {
    this.epochs = epochs;
    epochStart = System.nanoTime();
    lastDraw = 0;
    lastLogged = epochStart;
    lastDecile = 0;
    baseDone = -1;
  }

  @Override
  public void batchFinished(int epoch, long done, long samples, double loss, double accuracy) {
    long now = System.nanoTime();
    if (baseDone < 0) {
      baseDone = done;
      baseTime = now;
    }
    double rate = done > baseDone ? (done - baseDone) / Math.max(1e-9, (now - baseTime) / 1e9)
        : done / Math.max(1e-9, (now - epochStart) / 1e9);
    double pct = 100.0 * done / Math.max(1, samples);
    String eta = clock((samples - done) / Math.max(1e-9, rate));
    String acc = Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, " acc %.4f", accuracy);
    if (tty) {
      if (now - lastDraw < 100_000_000L && done < samples) {
        return;
      }
      lastDraw = now;
      int barWidth = Math.max(10, Math.min(30, width - 80));
      int filled = (int) Math.round(barWidth * done / (double) Math.max(1, samples));
      String bar = "[" + "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "")
          + " ".repeat(barWidth - filled) + "]";
      String line = String.format(Locale.ROOT, "epoch %d/%d %s %3.0f%% %s %s/s loss %.4f%s ETA %s",
          epoch, epochs, bar, pct, count(done) + "/" + count(samples), count((long) rate), loss, acc, eta);
      if (line.length() > width - 1) {
        line = line.substring(0, width - 1);
      }
      err.print("\r" + line + "\033[K");
      err.flush();
      lineDirty = true;
    } else {
      int decile = (int) (pct / 10);
      if (decile > lastDecile || now - lastLogged > 30_000_000_000L) {
        lastDecile = decile;
        lastLogged = now;
        err.printf(Locale.ROOT, "epoch %d/%d %3.0f%% %d/%d %s %s/s loss %.4f%s ETA %s%n", epoch, epochs, pct, done,
            samples, unit, count((long) rate), loss, acc, eta);
        err.flush();
      }
    }
  }

  @Override
  public void evaluating(int epoch) {
    if (tty) {
      clearLine();
      err.print("epoch " + epoch + "/" + epochs + " validating ...");
      err.flush();
      lineDirty = true;
    }
  }

  @Override
  public void epochFinished(EpochMetrics m, boolean best) {
    clearLine();
    if (json) {
      out.println(Json.write(m.values()));
    } else {
      out.println(summary(m, best));
    }
    out.flush();
  }

  String summary(EpochMetrics m, boolean best) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "epoch %d/%d", m.epoch(), epochs));
    if (!Double.isNaN(m.get(EpochMetrics.TRAIN_LOSS))) {
      b.append(String.format(Locale.ROOT, "  train loss %.4f", m.get(EpochMetrics.TRAIN_LOSS)));
    }
    if (!Double.isNaN(m.get(EpochMetrics.TRAIN_ACCURACY))) {
      b.append(String.format(Locale.ROOT, " acc %.4f", m.get(EpochMetrics.TRAIN_ACCURACY)));
    }
    if (!Double.isNaN(m.get(EpochMetrics.TRAIN_TOKEN_ACCURACY))) {
      b.append(String.format(Locale.ROOT, " token acc %.4f", m.get(EpochMetrics.TRAIN_TOKEN_ACCURACY)));
    }
    if (!Double.isNaN(m.get(EpochMetrics.VALID_LOSS))) {
      b.append(String.format(Locale.ROOT, "  |  valid loss %.4f", m.get(EpochMetrics.VALID_LOSS)));
    }
    if (!Double.isNaN(m.get(EpochMetrics.VALID_ACCURACY))) {
      b.append(String.format(Locale.ROOT, " acc %.4f macro-F1 %.4f", m.get(EpochMetrics.VALID_ACCURACY),
          m.get(EpochMetrics.VALID_MACRO_F1)));
    }
    if (!Double.isNaN(m.get(EpochMetrics.VALID_BITS_PER_CHAR))) {
      b.append(String.format(Locale.ROOT, " (%.4f bits/char)", m.get(EpochMetrics.VALID_BITS_PER_CHAR)));
    }
    if (!Double.isNaN(m.get(EpochMetrics.VALID_BLEU))) {
      b.append(String.format(Locale.ROOT, " token acc %.4f BLEU %.2f (13a %.2f)",
          m.get(EpochMetrics.VALID_TOKEN_ACCURACY), m.get(EpochMetrics.VALID_BLEU), m.get(EpochMetrics.VALID_BLEU_13A)));
    }
    String unit = Double.isNaN(m.get("tokens" + EpochMetrics.PER_SECOND)) ? "chars" : "tokens";
    b.append(String.format(Locale.ROOT, "  |  %.1f s, %s %s/s", m.get(EpochMetrics.SECONDS),
        count((long) m.get(unit + EpochMetrics.PER_SECOND)), unit));
    if (best) {
      b.append("  * saved");
    }
    return b.toString();
  }

  @Override
  public void message(String text) {
    clearLine();
    err.println(text);
    err.flush();
  }

  private void clearLine() {
    if (tty && lineDirty) {
      err.print("\r\033[K");
      err.flush();
      lineDirty = false;
    }
  }

  static String clock(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  static String count(long n) {
    if (n >= 10_000_000) {
      return String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }
    if (n >= 10_000) {
      return String.format(Locale.ROOT, "%.1fk", n / 1e3);
    }
    return Long.toString(n);
  }
}
