package org.rnn4j.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.testing.Golden.assertClose;
import static org.rnn4j.testing.Golden.floats;
import static org.rnn4j.testing.Golden.ints;

import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;
import org.rnn4j.optim.Adam;
import org.rnn4j.optim.GradientClipping;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.Sgd;
import org.rnn4j.testing.Golden;

/**
 * Twenty training steps of an Embedding → LSTM → Linear classifier against torch.optim: the loss of
 * every step and the final weights. Measured max difference: 1.8e-7 (weights), 1.2e-7 (losses);
 * tolerance 2e-6 absolute + 1e-5 relative, about ten times that, since differences compound over steps.
 */
class OptimizerGoldenTest {
  @Test
  void adam_matchesTorchAdam() {
    run("adam_20_steps", p -> new Adam(p, 0.9, 0.999, 1e-8, 0, false), 1e-2, 0);
  }

  @Test
  void adamWWithClipping_matchesTorchAdamW() {
    run("adamw_20_steps_clip", p -> new Adam(p, 0.9, 0.999, 1e-8, 0.1, true), 1e-2, 0.5);
  }

  @Test
  void sgdMomentum_matchesTorchSgd() {
    run("sgd_momentum_20_steps", p -> new Sgd(p, 0.9, 0, false, 0), 0.1, 0);
  }

  private static void run(String name, Function<ParameterSet, Optimizer> make, double lr, double clip) {
    Safetensors.Contents f = Golden.load(name);
    ClassifierNet net = GoldenNets.build(f, "init.");
    Optimizer opt = make.apply(net.parameters());
    int steps = Integer.parseInt(f.metadata().get("steps"));
    int batches = Integer.parseInt(f.metadata().get("batches"));
    float[] losses = floats(f, "losses");
    float[] norms = clip > 0 ? floats(f, "grad_norms") : null;
    ClassifierNet.Workspace ws = net.newWorkspace();
    float[] ourLosses = new float[steps];
    System.out.println(name);
    for (int s = 0; s < steps; s++) {
      String b = "batch" + (s % batches) + ".";
      int[] lengths = ints(f, b + "lengths");
      int[] tokens = ints(f, b + "tokens");
      net.forward(ws, tokens, lengths, tokens.length / lengths.length, true, null);
      ourLosses[s] = (float) net.loss(ws, ints(f, b + "labels"));
      net.backward(ws);
      if (clip > 0) {
        double norm = GradientClipping.clipByGlobalNorm(net.parameters(), clip);
        assertEquals(norms[s], norm, 1e-5 * Math.max(1, norms[s]),
            String.format(Locale.ROOT, "gradient norm at step %d", s));
      }
      opt.step(lr);
    }
    assertClose("losses", losses, ourLosses, 2e-6, 1e-5);
    for (Parameter p : net.parameters().parameters()) {
      assertClose("final." + p.name(), floats(f, "final." + p.name()), p.values(), 2e-6, 1e-5);
    }
  }
}
