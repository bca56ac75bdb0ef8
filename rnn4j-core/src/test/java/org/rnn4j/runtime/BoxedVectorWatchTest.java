package org.rnn4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoxedVectorWatchTest {
  private static final long S = 1_000_000_000L;

  /** A clock and an allocation counter the test moves by hand. */
  private static final class Fake {
    long now;
    long bytes;
    final BoxedVectorWatch watch = new BoxedVectorWatch(() -> bytes, () -> now);

    /** One step of the given length and allocation; returns the watch's answer. */
    long step(long nanos, long allocated) {
      now += nanos;
      bytes += allocated;
      return watch.afterStep();
    }
  }

  @Test
  void afterStep_reportsBoxedStepsOnceAfterTheWarmUpWindow() {
    Fake f = new Fake();
    // Warm-up: 5 s of steps allocating heavily (the JIT has not compiled yet) are not counted.
    for (int i = 0; i < 50; i++) {
      assertEquals(-1, f.step(S / 10, 500L << 20));
    }
    // The window: 1 s and at least 10 steps, at 235 MB each.
    long answer = -1;
    int steps = 0;
    while (answer < 0 && steps < 100) {
      answer = f.step(S / 10, 235_000_000L);
      steps++;
    }
    assertEquals(235_000_000L, answer);
    assertEquals(10, steps, "1 s of 0.1 s steps");
    assertEquals(-1, f.step(S / 10, 235_000_000L), "once per run");
  }

  @Test
  void afterStep_staysQuietForCompiledSteps() {
    Fake f = new Fake();
    for (int i = 0; i < 500; i++) {
      assertEquals(-1, f.step(S / 20, 40_000), "step " + i);
    }
  }

  @Test
  void afterStep_needsTenStepsInTheWindow() {
    Fake f = new Fake();
    f.step(6 * S, 0); // the first step ends after the warm-up and opens the window
    for (int i = 0; i < 9; i++) {
      assertEquals(-1, f.step(S, 100L << 20), "slow steps: 1 s passes before 10 steps");
    }
    assertEquals(100L << 20, f.step(S, 100L << 20));
  }

  @Test
  void restart_discardsWhatRanBetweenSteps() {
    Fake f = new Fake();
    f.step(6 * S, 0);
    for (int i = 0; i < 5; i++) {
      f.step(S / 10, 40_000);
    }
    f.bytes += 300L << 20; // a checkpoint written between two steps
    f.watch.restart();
    long answer = -1;
    for (int i = 0; i < 30 && answer < 0; i++) {
      answer = f.step(S / 10, 40_000);
    }
    assertEquals(-1, answer, "the checkpoint's 300 MB are not a step's");
  }

  @Test
  void afterStep_ignoresAJvmThatDoesNotCount() {
    long[] now = {0};
    BoxedVectorWatch w = new BoxedVectorWatch(() -> -1, () -> now[0]);
    for (int i = 0; i < 100; i++) {
      now[0] += S / 5;
      assertEquals(-1, w.afterStep());
    }
  }

  @Test
  void message_namesTheCauseAndTheRemedy() {
    String m = BoxedVectorWatch.message(235_000_000L);
    assertTrue(m.startsWith("warning: training steps allocate 235,000,000 bytes each"), m);
    assertTrue(m.contains("JDK 17") && m.contains("--resume") && m.contains("JDK 21 or newer"), m);
  }

  static float[] kept;

  @Test
  void allocatedBytes_countsWhatThisThreadAllocates() {
    long before = BoxedVectorWatch.allocatedBytes();
    kept = new float[1 << 20]; // 4 MB, kept reachable so that it cannot be optimised away
    long after = BoxedVectorWatch.allocatedBytes();
    assertTrue(after - before >= 4L << 20, (after - before) + " bytes");
  }

  @Test
  void allocatedSince_countsNewWorkAndIgnoresThreadsThatEnded() throws InterruptedException {
    Thread t = new Thread(() -> kept = new float[1 << 20]);
    t.start();
    t.join(); // allocated before the snapshot, then ended: it must not make the figure negative
    var before = BoxedVectorWatch.allocationCounters();
    kept = new float[1 << 18];
    long since = BoxedVectorWatch.allocatedSince(before);
    assertTrue(since >= 1L << 20, since + " bytes");
  }
}
