package org.rnn4j.nn;

import java.util.Arrays;
import java.util.Locale;

/** How a classifier turns the recurrent stack's output into one feature row per sequence. */
public enum Pooling {
  /** The top layer's final hidden state; [forward, reverse] when bidirectional (h_n[-2], h_n[-1]). */
  LAST,
  /** The mean of the top-layer outputs over each sequence's own valid steps. */
  MEAN;

  public static Pooling parse(String s) {
    String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    return switch (k) {
      case "last" -> LAST;
      case "mean" -> MEAN;
      default -> throw new IllegalArgumentException("unknown pooling '" + s + "' (allowed: last, mean)");
    };
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** features (B, D·H) in batch order from the stack's last forward. */
  public void forward(RecurrentStack stack, RecurrentStack.Cache c, float[] features) {
    SequenceLayout layout = c.layout();
    int b = layout.batch();
    int h = stack.hiddenSize();
    int d = stack.outputSize();
    if (this == LAST) {
      float[] hN = stack.finalHidden(c);
      int dirs = stack.bidirectional() ? 2 : 1;
      int top = (stack.layers() - 1) * dirs;
      for (int i = 0; i < b; i++) {
        for (int dir = 0; dir < dirs; dir++) {
          System.arraycopy(hN, ((top + dir) * b + i) * h, features, i * d + dir * h, h);
        }
      }
      return;
    }
    float[] out = stack.output(c);
    Arrays.fill(features, 0, b * d, 0f);
    for (int t = 0; t < layout.steps(); t++) {
      int off = layout.stepOffset(t);
      for (int r = 0, n = layout.batchSize(t); r < n; r++) {
        int dst = layout.order(r) * d;
        int src = (off + r) * d;
        for (int j = 0; j < d; j++) {
          features[dst + j] += out[src + j];
        }
      }
    }
    for (int i = 0; i < b; i++) {
      float inv = 1f / layout.length(i);
      for (int j = 0; j < d; j++) {
        features[i * d + j] *= inv;
      }
    }
  }

  /** Whether {@link #backward} writes dOut (N, D·H): MEAN; LAST writes only dhN. */
  public boolean gradientThroughOutputs() {
    return this == MEAN;
  }

  /**
   * Turns dFeatures (B, D·H) into the gradients the stack's backward takes: dOut (N, D·H) for MEAN
   * (returns true), or dhN (layers·directions, B, H) for LAST (returns false). The other is untouched.
   */
  public boolean backward(RecurrentStack stack, RecurrentStack.Cache c, float[] dFeatures,
                          float[] dOut, float[] dhN) {
    SequenceLayout layout = c.layout();
    int b = layout.batch();
    int h = stack.hiddenSize();
    int d = stack.outputSize();
    if (!gradientThroughOutputs()) {
      Arrays.fill(dhN, 0, stack.stateSlices() * b * h, 0f);
      int dirs = stack.bidirectional() ? 2 : 1;
      int top = (stack.layers() - 1) * dirs;
      for (int i = 0; i < b; i++) {
        for (int dir = 0; dir < dirs; dir++) {
          System.arraycopy(dFeatures, i * d + dir * h, dhN, ((top + dir) * b + i) * h, h);
        }
      }
      return false;
    }
    for (int t = 0; t < layout.steps(); t++) {
      int off = layout.stepOffset(t);
      for (int r = 0, n = layout.batchSize(t); r < n; r++) {
        int bi = layout.order(r);
        float inv = 1f / layout.length(bi);
        int src = bi * d;
        int dst = (off + r) * d;
        for (int j = 0; j < d; j++) {
          dOut[dst + j] = dFeatures[src + j] * inv;
        }
      }
    }
    return true;
  }
}
