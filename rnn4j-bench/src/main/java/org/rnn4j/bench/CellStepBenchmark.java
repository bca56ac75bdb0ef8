package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.math.Parallel;
import org.rnn4j.nn.CellType;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.nn.RecurrentStack;
import org.rnn4j.nn.SequenceLayout;
import org.rnn4j.random.Rng;
import org.rnn4j.random.TorchGenerator;

/**
 * One time step of a recurrent layer at W2 sizes (batch 64, input 128, hidden 256): the input and
 * recurrent GEMMs and the fused gate math, forward and forward + backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CellStepBenchmark {
  @Param({"lstm", "gru", "rnn_tanh"})
  public String cell;

  @Param({"1", "2"})
  public int threads;

  RecurrentStack stack;
  RecurrentStack.Cache cache;
  SequenceLayout layout;
  float[] x;
  float[] h0;
  float[] dOut;
  float[] dx;

  @Setup(Level.Trial)
  public void setUp() {
    Parallel.setThreads(threads);
    ParameterSet params = new ParameterSet();
    stack = new RecurrentStack(params, "rnn.", CellType.parse(cell), 128, 256, 1, false, 0f);
    Rng rng = new Rng(1);
    Init.recurrent(params, "rnn.", 256, TorchGenerator.seeded(1));
    cache = stack.newCache();
    layout = SequenceLayout.uniform(64, 1);
    x = new float[64 * 128];
    h0 = new float[64 * 256];
    dOut = new float[64 * 256];
    dx = new float[64 * 128];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.uniform(-1, 1);
    }
    for (int i = 0; i < h0.length; i++) {
      h0[i] = rng.uniform(-1, 1);
      dOut[i] = rng.uniform(-1, 1);
    }
  }

  @Benchmark
  public float[] forwardStep() {
    stack.forward(cache, layout, x, h0, null, false, null);
    return stack.output(cache);
  }

  @Benchmark
  public float[] forwardBackwardStep() {
    stack.forward(cache, layout, x, h0, null, false, null);
    stack.backward(cache, dOut, null, null, dx, null, null);
    return dx;
  }
}
