import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Times two builds of rnn4j-core in ONE process, alternating blocks of calls (A B, then B A), so that
 * both see the same CPU placement. On this 2-vCPU virtual machine a process is sometimes 1.5x slower than the
 * next for its whole life; separate processes per build then measure the VM, not the change.
 *
 * <p>Arguments: classesA classesB mode(infer|train|same) T cell hidden batch [layers] [bi]. Prints the
 * median, over 20 measured blocks, of each block's median time per call (4 warm-up blocks); mode
 * same instead checks that both builds train to the same bits (exit 1 if not).
 */
public final class InProcessAB {
  public static void main(String[] args) throws Exception {
    if (args.length < 7 || !List.of("infer", "train", "same").contains(args[2])) {
      System.err.println("usage: InProcessAB classesA classesB infer|train|same T cell hidden batch [layers] [bi]");
      System.exit(2);
    }
    boolean train = args[2].equals("train");
    int t = Integer.parseInt(args[3]);
    String cell = args[4];
    int hidden = Integer.parseInt(args[5]);
    int batch = Integer.parseInt(args[6]);
    int layers = args.length > 7 ? Integer.parseInt(args[7]) : 1;
    boolean bi = args.length > 8 && args[8].equals("bi");
    Build[] builds = {new Build(args[0], cell, hidden, layers, bi), new Build(args[1], cell, hidden, layers, bi)};
    int[] tokens = new int[batch * t];
    Random r = new Random(5);
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = r.nextInt(Build.VOCABULARY);
    }
    int[] lengths = new int[batch];
    Arrays.fill(lengths, t);
    int[] labels = new int[batch];
    if (args[2].equals("same")) {
      System.exit(same(builds, tokens, lengths, t, labels, r) ? 0 : 1);
    }
    int calls = batch == 1 ? 400 : train ? 6 : 20;
    List<List<Double>> medians = List.of(new ArrayList<>(), new ArrayList<>());
    for (int block = 0; block < 24; block++) {
      for (int turn = 0; turn < 2; turn++) {
        int v = block % 2 == 0 ? turn : 1 - turn; // A B B A ...: neither build always goes first
        double[] us = new double[calls];
        for (int i = 0; i < calls; i++) {
          long t0 = System.nanoTime();
          builds[v].call(train, tokens, lengths, t, labels);
          us[i] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(us);
        if (block >= 4) {
          medians.get(v).add(us[calls / 2]);
        }
      }
    }
    for (int v = 0; v < 2; v++) {
      List<Double> m = medians.get(v);
      Collections.sort(m);
      double med = m.get(m.size() / 2);
      System.out.printf("%s: %.0f us per call, %.0f tokens/s  [blocks p25 %.0f, p75 %.0f us]%n",
          v == 0 ? "A" : "B", med, batch * t / med * 1e6, m.get(m.size() / 4), m.get(3 * m.size() / 4));
    }
  }

  /**
   * Trains both builds 3 steps from the same weights, on full-length batches and then on batches of
   * random lengths, and compares every parameter bit for bit.
   */
  private static boolean same(Build[] builds, int[] tokens, int[] lengths, int t, int[] labels, Random r)
      throws Exception {
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(4);
    }
    int[] ragged = new int[lengths.length];
    for (int i = 0; i < ragged.length; i++) {
      ragged[i] = 1 + r.nextInt(t);
    }
    for (int[] lens : new int[][] {lengths, ragged}) {
      for (int step = 0; step < 3; step++) {
        for (Build b : builds) {
          b.call(true, tokens, lens, t, labels);
        }
      }
      float[] a = builds[0].parameters();
      float[] b = builds[1].parameters();
      int differ = 0;
      double maxDiff = 0;
      for (int i = 0; i < a.length; i++) {
        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
          differ++;
          maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
        }
      }
      String what = lens == lengths ? "full-length batches" : "ragged batches";
      System.out.printf("%s: %d of %d parameters differ after 3 steps (largest difference %.3g)%n",
          what, differ, a.length, maxDiff);
      if (differ > 0) {
        return false;
      }
    }
    return true;
  }

  /** One build's ClassifierNet, Workspace and Adam, reached by reflection through its own loader. */
  private static final class Build {
    static final int VOCABULARY = 20000;
    final Object net;
    final Object ws;
    final Object adam;
    final Method infer;
    final Method forward;
    final Method loss;
    final Method backward;
    final Method step;
    final Method gradientRows; // null in builds without it
    final Method touchedRows;
    final Method embeddingWeight;

    Build(String classes, String cell, int hidden, int layers, boolean bi) throws Exception {
      ClassLoader cl = new URLClassLoader(new URL[] {Paths.get(classes).toUri().toURL()},
          InProcessAB.class.getClassLoader().getParent());
      Class<?> cfgClass = cl.loadClass("org.rnn4j.network.NetConfig");
      Class<?> netClass = cl.loadClass("org.rnn4j.network.ClassifierNet");
      Class<?> cellClass = cl.loadClass("org.rnn4j.nn.CellType");
      Class<?> poolClass = cl.loadClass("org.rnn4j.nn.Pooling");
      Object b = cfgClass.getMethod("builder").invoke(null);
      Class<?> bc = b.getClass();
      bc.getMethod("cell", cellClass).invoke(b, enumValue(cellClass, cell));
      bc.getMethod("vocabulary", int.class).invoke(b, VOCABULARY);
      bc.getMethod("embed", int.class).invoke(b, 128);
      bc.getMethod("hidden", int.class).invoke(b, hidden);
      bc.getMethod("layers", int.class).invoke(b, layers);
      bc.getMethod("bidirectional", boolean.class).invoke(b, bi);
      bc.getMethod("classes", int.class).invoke(b, 4);
      bc.getMethod("paddingIndex", int.class).invoke(b, -1);
      bc.getMethod("pooling", poolClass).invoke(b, enumValue(poolClass, "LAST"));
      net = netClass.getConstructor(cfgClass).newInstance(bc.getMethod("build").invoke(b));
      Class<?> gen = cl.loadClass("org.rnn4j.random.TorchGenerator");
      netClass.getMethod("initialize", gen).invoke(net, gen.getMethod("seeded", long.class).invoke(null, 1L));
      ws = netClass.getMethod("newWorkspace").invoke(net);
      Class<?> wsClass = ws.getClass();
      infer = netClass.getMethod("infer", wsClass, int[].class, int[].class, int.class);
      forward = netClass.getMethod("forward", wsClass, int[].class, int[].class, int.class, boolean.class,
          cl.loadClass("org.rnn4j.random.Rng"));
      loss = netClass.getMethod("loss", wsClass, int[].class);
      backward = netClass.getMethod("backward", wsClass);
      Class<?> adamClass = cl.loadClass("org.rnn4j.optim.Adam");
      adam = adamClass.getMethod("adam", cl.loadClass("org.rnn4j.nn.ParameterSet"))
          .invoke(null, netClass.getMethod("parameters").invoke(net));
      step = adamClass.getMethod("step", double.class);
      Class<?> paramClass = cl.loadClass("org.rnn4j.nn.Parameter");
      gradientRows = optional(adamClass, "gradientRows", paramClass, int[].class, int.class);
      touchedRows = wsClass.getMethod("touchedRows");
      embeddingWeight = netClass.getMethod("embeddingWeight");
    }

    private static Method optional(Class<?> type, String name, Class<?>... args) {
      try {
        return type.getMethod(name, args);
      } catch (NoSuchMethodException e) {
        return null;
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
      return Enum.valueOf((Class) type, name);
    }

    float[] parameters() throws Exception {
      Object set = net.getClass().getMethod("parameters").invoke(net);
      return (float[]) set.getClass().getMethod("data").invoke(set);
    }

    void call(boolean train, int[] tokens, int[] lengths, int t, int[] labels) throws Exception {
      if (train) {
        forward.invoke(net, ws, tokens, lengths, t, true, null);
        loss.invoke(net, ws, labels);
        backward.invoke(net, ws);
        if (gradientRows != null) { // as the trainer does
          Object rows = touchedRows.invoke(ws);
          gradientRows.invoke(adam, embeddingWeight.invoke(net), rows.getClass().getMethod("rows").invoke(rows),
              rows.getClass().getMethod("size").invoke(rows));
        }
        step.invoke(adam, 1e-3);
      } else {
        infer.invoke(net, ws, tokens, lengths, t);
      }
    }
  }
}
