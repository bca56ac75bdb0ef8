package org.rnn4j.classify;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.random.Rng;
import org.rnn4j.text.LabeledText;

/** A learnable toy corpus: each class has its own keywords hidden among shared filler words. */
final class Synthetic {
  static final String[] CLASSES = {"alpha", "beta", "gamma", "delta"};

  private Synthetic() {}

  static List<LabeledText> data(int n, long seed) {
    Rng r = new Rng(seed);
    List<LabeledText> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = r.nextInt(CLASSES.length);
      int len = 3 + r.nextInt(12);
      StringBuilder b = new StringBuilder();
      for (int t = 0; t < len; t++) {
        if (r.nextInt(3) == 0) {
          b.append(CLASSES[c]).append("word").append(r.nextInt(5));
        } else {
          b.append("filler").append(r.nextInt(30));
        }
        b.append(' ');
      }
      out.add(new LabeledText(CLASSES[c], b.toString().trim(), i + 1));
    }
    return out;
  }
}
