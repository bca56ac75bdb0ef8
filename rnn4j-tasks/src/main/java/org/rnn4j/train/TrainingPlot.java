package org.rnn4j.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.rnn4j.persist.EpochMetrics;

/**
 * Draws the training history as a PNG: one panel per group of series (for example loss and
 * accuracy), epochs on the x axis. Java2D only, headless.
 */
public final class TrainingPlot {
  /** A panel: a title and the metric keys drawn in it, with their legend labels. */
  public static final class Panel {
    final String title;
    final String[] keys;
    final String[] labels;

    public Panel(String title, String[] keys, String[] labels) {
      this.title = title;
      this.keys = keys;
      this.labels = labels;
    }
  }

  private static final Color[] COLORS = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};

  private TrainingPlot() {}

  public static byte[] png(String title, List<EpochMetrics> history, Panel... panels) throws IOException {
    return png(title, null, history, panels);
  }

  /** The caption's lines, each cut into pieces of at most width characters, at most max lines. */
  static String[] wrap(String caption, int width, int max) {
    List<String> out = new java.util.ArrayList<>();
    if (caption != null && !caption.isEmpty()) {
      for (String line : caption.split("\n", -1)) {
        for (int i = 0; i < Math.max(1, line.length()) && out.size() < max; i += width) {
          out.add(line.substring(i, Math.min(line.length(), i + width)));
        }
      }
    }
    return out.subList(0, Math.min(max, out.size())).toArray(new String[0]);
  }

  /** With a caption under the panels (a language model's latest sample), wrapped to the width. */
  public static byte[] png(String title, String caption, List<EpochMetrics> history, Panel... panels)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    int pw = 520;
    int ph = 360;
    String[] lines = wrap(caption, pw * panels.length / 7 - 4, 12);
    int captionHeight = lines.length == 0 ? 0 : 16 * lines.length + 12;
    BufferedImage img = new BufferedImage(pw * panels.length, ph + 30 + captionHeight, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, 12, 20);
    for (int p = 0; p < panels.length; p++) {
      drawPanel(g, panels[p], history, p * pw, 30, pw, ph);
    }
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
    for (int i = 0; i < lines.length; i++) {
      g.drawString(lines[i].replace('\t', ' '), 12, ph + 30 + 16 * (i + 1));
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static void drawPanel(Graphics2D g, Panel panel, List<EpochMetrics> history, int x0, int y0,
                                int w, int h) {
    int left = x0 + 60;
    int right = x0 + w - 20;
    int top = y0 + 30;
    int bottom = y0 + h - 45;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int maxEpoch = 1;
    for (EpochMetrics m : history) {
      maxEpoch = Math.max(maxEpoch, m.epoch());
      for (String k : panel.keys) {
        double v = m.get(k);
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!Double.isFinite(lo)) {
      lo = 0;
      hi = 1;
    }
    if (hi - lo < 1e-9) {
      hi = lo + Math.max(1e-3, Math.abs(lo) * 0.1);
    }
    double pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(panel.title, left, y0 + 18);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.setStroke(new BasicStroke(1f));
    g.setColor(new Color(0xdddddd));
    for (int i = 0; i <= 5; i++) {
      int y = bottom - (bottom - top) * i / 5;
      g.drawLine(left, y, right, y);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(left, top, right - left, bottom - top);
    for (int i = 0; i <= 5; i++) {
      int y = bottom - (bottom - top) * i / 5;
      String label = String.format(Locale.ROOT, "%.3f", lo + (hi - lo) * i / 5);
      g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    int ticks = Math.min(maxEpoch, 10);
    for (int i = 0; i <= ticks; i++) {
      int e = maxEpoch <= 1 ? 1 : 1 + (int) Math.round((maxEpoch - 1) * (double) i / Math.max(1, ticks));
      int x = xOf(e, maxEpoch, left, right);
      String label = Integer.toString(e);
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, bottom + 15);
    }
    g.drawString("epoch", (left + right) / 2 - 15, bottom + 30);
    for (int k = 0; k < panel.keys.length; k++) {
      g.setColor(COLORS[k % COLORS.length]);
      g.setStroke(new BasicStroke(2f));
      List<int[]> pts = new ArrayList<>();
      for (EpochMetrics m : history) {
        double v = m.get(panel.keys[k]);
        if (Double.isFinite(v)) {
          pts.add(new int[] {xOf(m.epoch(), maxEpoch, left, right),
              bottom - (int) Math.round((v - lo) / (hi - lo) * (bottom - top))});
        }
      }
      for (int i = 0; i < pts.size(); i++) {
        int[] pt = pts.get(i);
        g.fillOval(pt[0] - 3, pt[1] - 3, 7, 7);
        if (i > 0) {
          int[] q = pts.get(i - 1);
          g.drawLine(q[0], q[1], pt[0], pt[1]);
        }
      }
      int ly = top + 8 + k * 16;
      g.drawLine(right - 110, ly, right - 90, ly);
      g.setColor(Color.BLACK);
      g.drawString(panel.labels[k], right - 85, ly + 4);
    }
  }

  private static int xOf(int epoch, int maxEpoch, int left, int right) {
    if (maxEpoch <= 1) {
      return (left + right) / 2;
    }
    return left + 15 + (int) Math.round((right - left - 30) * (epoch - 1) / (double) (maxEpoch - 1));
  }
}
