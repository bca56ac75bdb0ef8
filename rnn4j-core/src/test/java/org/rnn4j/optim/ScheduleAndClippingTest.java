package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rnn4j.nn.ParameterSet;

class ScheduleAndClippingTest {
  @Test
  void constant_isFlat() {
    LearningRateSchedule s = LearningRateSchedule.parse("constant", 1e-3, 100);
    assertEquals(1e-3, s.at(0));
    assertEquals(1e-3, s.at(99));
  }

  @Test
  void step_decaysByGammaEveryInterval() {
    LearningRateSchedule s = LearningRateSchedule.parse("step:10:0.5", 1.0, 100);
    assertEquals(1.0, s.at(9));
    assertEquals(0.5, s.at(10));
    assertEquals(0.25, s.at(25));
  }

  @Test
  void cosine_warmsUpThenDecaysToZero() {
    LearningRateSchedule s = LearningRateSchedule.parse("cosine:4", 1.0, 104);
    assertEquals(0.25, s.at(0), 1e-12);
    assertEquals(1.0, s.at(3), 1e-12);
    assertEquals(1.0, s.at(4), 1e-12);
    assertEquals(0.5, s.at(54), 1e-12);
    assertEquals(0.0, s.at(104), 1e-12);
  }

  @Test
  void parse_rejectsUnknownSpec() {
    assertEquals("schedule 'linear' is not one of: constant, step:EVERY:GAMMA, cosine, cosine:WARMUP",
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("linear", 1, 1)).getMessage());
  }

  @Test
  void clip_scalesToMaxNorm() {
    ParameterSet p = new ParameterSet();
    p.add("a", 2);
    p.grad()[0] = 3f;
    p.grad()[1] = 4f;
    assertEquals(5.0, GradientClipping.clipByGlobalNorm(p, 1.0), 1e-6);
    assertEquals(0.6f, p.grad()[0], 1e-6f);
    assertEquals(0.8f, p.grad()[1], 1e-6f);
    assertEquals(1.0, GradientClipping.clipByGlobalNorm(p, 2.0), 1e-6); // below the limit: untouched
    assertEquals(0.6f, p.grad()[0], 1e-6f);
  }

  @Test
  void clip_reportsNonFiniteNorm() {
    ParameterSet p = new ParameterSet();
    p.add("a", 2);
    p.grad()[1] = Float.NaN;
    assertEquals(Double.NaN, GradientClipping.clipByGlobalNorm(p, 1.0));
  }

  @Test
  void adam_rejectsNegativeLearningRate() {
    ParameterSet p = new ParameterSet();
    p.add("a", 2);
    assertEquals("learning rate must be >= 0 and finite, got -0.1",
        assertThrows(IllegalArgumentException.class, () -> Adam.adam(p).step(-0.1)).getMessage());
  }

  @Test
  void adam_stateRoundTrips() {
    ParameterSet p = new ParameterSet();
    p.add("a", 3);
    Adam a = Adam.adam(p);
    p.grad()[0] = 1f;
    a.step(0.1);
    Adam b = Adam.adam(p);
    b.loadState(a.state());
    assertEquals(1, b.steps());
    p.grad()[1] = 2f;
    float[] before = p.data().clone();
    b.step(0.1);
    ParameterSet q = new ParameterSet();
    q.add("a", 3);
    q.restore(before);
    Adam c = Adam.adam(q);
    c.loadState(a.state());
    q.grad()[1] = 2f;
    c.step(0.1);
    org.junit.jupiter.api.Assertions.assertArrayEquals(p.data(), q.data());
  }

  @Test
  void adamVectorKernel_matchesScalar() {
    int n = 1000;
    float[][] s1 = new float[4][n];
    org.rnn4j.random.Rng r = new org.rnn4j.random.Rng(1);
    for (float[] a : s1) {
      for (int i = 0; i < n; i++) {
        a[i] = r.uniform(-1, 1);
      }
    }
    for (int i = 0; i < n; i++) {
      s1[3][i] = Math.abs(s1[3][i]);
    }
    float[][] s2 = {s1[0].clone(), s1[1].clone(), s1[2].clone(), s1[3].clone()};
    Adam.Update u = new Adam.Update();
    u.beta1 = 0.9f;
    u.beta2 = 0.999f;
    u.eps = 1e-8f;
    u.stepSize = 0.01f;
    u.bc2Sqrt = 0.3f;
    u.oneMinusBeta1 = 0.1f;
    u.oneMinusBeta2 = 0.001f;
    u.l2 = 0.01f;
    u.decay = 0.999f;
    org.junit.jupiter.api.Assumptions.assumeTrue(org.rnn4j.math.Vectorization.ENABLED);
    VectorAdam.update(s1[0], s1[1], s1[2], s1[3], 0, n, u, true);
    Adam.scalarUpdate(s2[0], s2[1], s2[2], s2[3], 0, n, u, true);
    for (int k = 0; k < 4; k++) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(s2[k], s1[k], 1e-6f, "array " + k);
    }
  }
}
