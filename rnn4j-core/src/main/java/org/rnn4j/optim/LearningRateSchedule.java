package org.rnn4j.optim;

import java.util.Locale;

/**
 * Learning rate as a function of the update count (0 for the first update).
 * Specs: {@code constant}, {@code step:EVERY:GAMMA} (multiply by GAMMA every EVERY updates, like
 * StepLR), {@code cosine} or {@code cosine:WARMUP} (linear warm-up over WARMUP updates, then cosine
 * decay to zero at the last update).
 */
@FunctionalInterface
public interface LearningRateSchedule {
  double at(long step);

  static LearningRateSchedule constant(double lr) {
    return s -> lr;
  }

  static LearningRateSchedule step(double lr, long every, double gamma) {
    if (every < 1) {
      throw new IllegalArgumentException("step schedule interval must be >= 1, got " + every);
    }
    if (!(gamma > 0)) {
      throw new IllegalArgumentException("step schedule gamma must be > 0, got " + gamma);
    }
    return s -> lr * Math.pow(gamma, s / every);
  }

  /** Linear warm-up from lr/warmup to lr, then half-cosine from lr down to 0 at step total. */
  static LearningRateSchedule cosine(double lr, long warmup, long total) {
    if (warmup < 0 || total < 1) {
      throw new IllegalArgumentException("cosine schedule needs warmup >= 0 and total >= 1, got "
          + warmup + ", " + total);
    }
    return s -> {
      if (s < warmup) {
        return lr * (s + 1) / warmup;
      }
      long span = Math.max(1, total - warmup);
      double progress = Math.min(1.0, (double) (s - warmup) / span);
      return lr * 0.5 * (1 + Math.cos(Math.PI * progress));
    };
  }

  /**
   * Parses a spec (see the type's doc) for a run of {@code total} updates.
   *
   * @throws IllegalArgumentException naming the spec and the accepted forms
   */
  static LearningRateSchedule parse(String spec, double lr, long total) {
    String s = spec == null ? "constant" : spec.trim().toLowerCase(Locale.ROOT);
    String[] f = s.split(":");
    try {
      switch (f[0]) {
        case "constant":
          if (f.length == 1) {
            return constant(lr);
          }
          break;
        case "step":
          if (f.length == 3) {
            return step(lr, Long.parseLong(f[1]), Double.parseDouble(f[2]));
          }
          break;
        case "cosine":
          if (f.length == 1) {
            return cosine(lr, 0, total);
          }
          if (f.length == 2) {
            return cosine(lr, Long.parseLong(f[1]), total);
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("schedule '" + spec
        + "' is not one of: constant, step:EVERY:GAMMA, cosine, cosine:WARMUP");
  }
}
