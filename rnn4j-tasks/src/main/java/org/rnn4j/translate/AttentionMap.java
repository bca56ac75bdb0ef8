package org.rnn4j.translate;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The attention heat map of one translation as a PNG: a row per output token (and eos), a column
 * per source token, each cell's darkness its weight (white 0, black 1), as in Bahdanau et al.'s
 * figures.
 */
public final class AttentionMap {
  private static final int CELL = 28;

  private AttentionMap() {}

  /** @throws IllegalArgumentException when the translation has no attention rows */
  public static byte[] png(Translator.Translation t) throws IOException {
    if (t.attention().length == 0) {
      throw new IllegalArgumentException("the translation has no output steps to draw");
    }
    System.setProperty("java.awt.headless", "true");
    List<String> rows = new ArrayList<>(t.tokens());
    if (t.finished()) {
      rows.add("<eos>");
    }
    List<String> cols = t.sourceTokens();
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    FontMetrics fm = probe.createGraphics().getFontMetrics(font);
    int left = 12 + widest(fm, rows);
    int top = 12 + widest(fm, cols);
    int w = left + CELL * cols.size() + 12;
    int h = top + CELL * rows.size() + 12;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setFont(font);
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < cols.size(); c++) {
        float v = Math.max(0f, Math.min(1f, t.attention()[r][c]));
        int shade = Math.round(255 * (1 - v));
        g.setColor(new Color(shade, shade, shade));
        g.fillRect(left + c * CELL, top + r * CELL, CELL, CELL);
      }
      g.setColor(Color.BLACK);
      String label = rows.get(r);
      g.drawString(label, left - 6 - fm.stringWidth(label), top + r * CELL + CELL / 2 + fm.getAscent() / 2 - 2);
    }
    AffineTransform normal = g.getTransform();
    for (int c = 0; c < cols.size(); c++) {
      g.setTransform(normal);
      g.translate(left + c * CELL + CELL / 2 + fm.getAscent() / 2 - 2, top - 6);
      g.rotate(-Math.PI / 2);
      g.drawString(cols.get(c), 0, 0);
    }
    g.setTransform(normal);
    g.setColor(Color.GRAY);
    g.drawRect(left, top, CELL * cols.size(), CELL * rows.size());
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static int widest(FontMetrics fm, List<String> labels) {
    int w = 0;
    for (String s : labels) {
      w = Math.max(w, fm.stringWidth(s));
    }
    return w;
  }
}
