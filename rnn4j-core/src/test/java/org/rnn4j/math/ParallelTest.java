package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void forRange_coversEveryIndexOnce() {
    int[] hits = new int[1003];
    Parallel.forRange(hits.length, 1, 4, (lo, hi) -> {
      for (int i = lo; i < hi; i++) {
        hits[i]++;
      }
      assertEquals(0, lo % 4, "chunk boundary aligned");
    });
    for (int h : hits) {
      assertEquals(1, h);
    }
  }

  @Test
  void run_propagatesWorkerFailure() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Parallel.run(4, (p, n) -> {
          if (p == 3) {
            throw new IllegalStateException("part 3 failed");
          }
        }));
    assertEquals("part 3 failed", e.getMessage());
  }

  @Test
  void nestedRegion_runsInline() {
    AtomicInteger inner = new AtomicInteger();
    Parallel.run(2, (p, n) -> Parallel.run(3, (q, m) -> inner.incrementAndGet()));
    assertEquals(6, inner.get());
  }

  @Test
  void concurrentCallers_allComplete() throws Exception {
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Thread[] threads = new Thread[8];
    AtomicInteger total = new AtomicInteger();
    for (int i = 0; i < threads.length; i++) {
      threads[i] = new Thread(() -> {
        try {
          for (int r = 0; r < 200; r++) {
            Parallel.run(4, (p, n) -> total.incrementAndGet());
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(0, errors.size());
    assertEquals(8 * 200 * 4, total.get());
  }

  @Test
  void setThreads_rejectsZero() {
    assertEquals("threads must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0)).getMessage());
  }
}
