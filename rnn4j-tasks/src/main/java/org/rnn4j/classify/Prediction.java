package org.rnn4j.classify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The predicted class of one text and the probability of every class. */
public final class Prediction {
  private final List<String> classes;
  private final float[] probabilities;
  private final int index;

  Prediction(List<String> classes, float[] probabilities) {
    this.classes = classes;
    this.probabilities = probabilities;
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    this.index = best;
  }

  /** The most probable class name. */
  public String label() {
    return classes.get(index);
  }

  /** Index of the most probable class in {@link Classifier#classes()}. */
  public int index() {
    return index;
  }

  /** Probabilities in class order (a copy). */
  public float[] probabilities() {
    return probabilities.clone();
  }

  public float probability(String className) {
    int i = classes.indexOf(className);
    if (i < 0) {
      throw new IllegalArgumentException("unknown class '" + className + "' (classes: " + classes + ")");
    }
    return probabilities[i];
  }

  /** {"label": ..., "probabilities": {class: p, ...}} */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label", label());
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      p.put(classes.get(i), probabilities[i]);
    }
    m.put("probabilities", p);
    return m;
  }

  @Override
  public String toString() {
    return label() + " " + toJson().get("probabilities");
  }
}
