package org.rnn4j.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitChooserTest {
  /** Runs calls through the chooser with fixed costs per item; returns how many ran split. */
  private static int drive(SplitChooser c, int calls, long splitNs, long wholeNs) {
    int split = 0;
    for (int i = 0; i < calls; i++) {
      boolean s = c.split();
      c.record(s, s ? splitNs : wholeNs, 1);
      split += s ? 1 : 0;
    }
    return split;
  }

  @Test
  void split_alternatesDuringWarmUpStartingSplit() {
    SplitChooser c = new SplitChooser();
    for (int i = 0; i < SplitChooser.WARM_UP; i++) {
      boolean s = c.split();
      assertEquals(i % 2 == 0, s, "call " + i);
      c.record(s, 100, 1);
    }
  }

  @Test
  void split_choosesTheFasterAfterWarmUp() {
    SplitChooser fastSplit = new SplitChooser();
    drive(fastSplit, SplitChooser.WARM_UP, 100, 300);
    int split = drive(fastSplit, 10 * SplitChooser.PROBE, 100, 300);
    assertEquals(10 * SplitChooser.PROBE - 20, split, "all but two probes in every " + SplitChooser.PROBE);

    SplitChooser fastWhole = new SplitChooser();
    drive(fastWhole, SplitChooser.WARM_UP, 400, 300);
    assertEquals(20, drive(fastWhole, 10 * SplitChooser.PROBE, 400, 300));
  }

  @Test
  void split_followsAChangeOfTheMachine() {
    SplitChooser c = new SplitChooser();
    drive(c, SplitChooser.WARM_UP + 4 * SplitChooser.PROBE, 100, 300);
    // Splitting turns slow: the chooser keeps splitting until the running average crosses over,
    // then runs whole; whole calls do not update the split average, so it takes only a few calls.
    drive(c, 16, 500, 300);
    assertFalse(c.split(), "split " + c.splitNanosPerItem() + " ns, whole " + c.wholeNanosPerItem());
    // It turns fast again: the probes see it, and splitting wins back.
    drive(c, 8 * SplitChooser.PROBE, 100, 300);
    assertTrue(c.splitNanosPerItem() < c.wholeNanosPerItem(), "split average " + c.splitNanosPerItem());
    assertEquals(SplitChooser.PROBE - 2, drive(c, SplitChooser.PROBE, 100, 300));
  }

  @Test
  void record_ignoresTheFirstCallOfAProbePair() {
    SplitChooser c = new SplitChooser();
    drive(c, SplitChooser.WARM_UP, 100, 300);
    drive(c, SplitChooser.PROBE - (SplitChooser.WARM_UP % SplitChooser.PROBE), 100, 300);
    // The next two calls are the probe pair, whole. The first pays to wake the pool (here 10x).
    assertFalse(c.split());
    c.record(false, 3000, 1);
    assertEquals(300, c.wholeNanosPerItem(), 1e-9, "the waking call is not counted");
    assertFalse(c.split());
    c.record(false, 200, 1);
    assertEquals(300 + 0.25 * (200 - 300), c.wholeNanosPerItem(), 1e-9);
    assertTrue(c.split());
  }

  @Test
  void record_oneOutlierDoesNotFlipTheChoice() {
    SplitChooser c = new SplitChooser();
    drive(c, SplitChooser.WARM_UP + 5, 100, 150);
    assertTrue(c.split());
    c.record(true, 1000, 1); // ten times the average: counts as twice
    assertEquals(125, c.splitNanosPerItem(), 1e-9);
    assertTrue(c.split(), "still split: 125 < 150");
  }

  @Test
  void record_normalisesByItemsAndIgnoresNonPositiveDurations() {
    SplitChooser c = new SplitChooser();
    assertTrue(Double.isNaN(c.splitNanosPerItem()));
    c.record(true, 8000, 80);
    assertEquals(100, c.splitNanosPerItem(), 1e-9);
    c.record(true, 0, 80);
    c.record(true, -5, 80);
    assertEquals(100, c.splitNanosPerItem(), 1e-9);
    c.record(false, 700, 0); // no items counts as one
    assertEquals(700, c.wholeNanosPerItem(), 1e-9);
  }
}
