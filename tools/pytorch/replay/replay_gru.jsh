// Replays AG News GRU training in rnn4j from PyTorch's draws (see README.md in this folder).
// jshell -R--add-modules -Rjdk.incubator.vector -R-Xmx6g --class-path rnn4j-core/target/classes:rnn4j-text/target/classes tools/pytorch/replay/replay_gru.jsh
import org.rnn4j.text.*; import org.rnn4j.model.*; import org.rnn4j.nn.*; import org.rnn4j.optim.*; import org.rnn4j.io.*; import org.rnn4j.math.*; import java.nio.file.*; import java.util.*;
var tr = DataReader.read(Path.of("/work/shared/data/ag_news/split/train.csv"), DataFormat.AGNEWS, new DataReader.Options()).examples();
var ev = DataReader.read(Path.of("/work/shared/data/ag_news/split/eval.csv"), DataFormat.AGNEWS, new DataReader.Options()).examples();
var tok = Tokenizer.named("basic_english"); var vb = Vocabulary.builder(); for (var e : tr) vb.add(tok.tokenize(e.text()));
var vocab = vb.build(List.of("<unk>", "<pad>"), 1, 0);
List<String> classes = List.of("World", "Sports", "Business", "Sci/Tech");
int[][] ids(List<LabeledText> d) { int[][] o = new int[d.size()][]; for (int i = 0; i < o.length; i++) { var t = tok.tokenize(d.get(i).text()); o[i] = t.isEmpty() ? new int[]{0} : vocab.encode(t);} return o; }
int[] labs(List<LabeledText> d) { int[] o = new int[d.size()]; for (int i = 0; i < o.length; i++) o[i] = classes.indexOf(d.get(i).label()); return o; }
var trIds = ids(tr); var trY = labs(tr); var evIds = ids(ev); var evY = labs(ev);
var cfg = NetConfig.builder().cell(CellType.GRU).vocabulary(vocab.size()).embed(64).hidden(32).classes(4).build();
String run(int seed, boolean torchInit, boolean torchOrder) throws Exception {
  var net = new ClassifierNet(cfg);
  if (torchInit) { var init = Safetensors.read(Path.of("/tmp/diag/init" + seed + ".safetensors")); for (var p : net.parameters().parameters()) p.set(init.get(p.name()).toFloats()); }
  else net.initialize(new Rng(seed));
  var orders = torchOrder ? (List<?>) Json.parse(Files.readString(Path.of("/tmp/diag/orders" + seed + ".json"))) : null;
  var adam = Adam.adam(net.parameters()); var ws = net.newWorkspace(); StringBuilder sb = new StringBuilder();
  for (int ep = 0; ep < 3; ep++) {
    int[] order = new int[trIds.length];
    if (torchOrder) { List<?> ord = (List<?>) orders.get(ep); for (int i = 0; i < order.length; i++) order[i] = ((Number) ord.get(i)).intValue(); }
    else { for (int i = 0; i < order.length; i++) order[i] = i; new Rng(seed * 0x9E3779B97F4A7C15L + (ep + 1) * 0xC2B2AE3D27D4EB4FL).shuffle(order); }
    for (int from = 0; from < order.length; from += 16) { var b = Batch.of(trIds, trY, order, from, Math.min(order.length, from + 16), 1, 0);
      net.forward(ws, b.tokens, b.lengths, b.paddedLength, true, null); net.loss(ws, b.labels); net.backward(ws); adam.step(1e-3); }
    int ok = 0; int[] all = new int[evIds.length]; for (int i = 0; i < all.length; i++) all[i] = i;
    for (int from = 0; from < all.length; from += 128) { var b = Batch.of(evIds, evY, all, from, Math.min(all.length, from + 128), 1, 0);
      float[] lg = net.forward(ws, b.tokens, b.lengths, b.paddedLength, false, null);
      for (int i = 0; i < b.size; i++) { int best = 0; for (int c = 1; c < 4; c++) if (lg[i*4+c] > lg[i*4+best]) best = c; if (best == b.labels[i]) ok++; } }
    sb.append(String.format(" %.4f", ok / (double) evIds.length));
  }
  return sb.toString();
}
for (int seed = 1; seed <= 6; seed++) for (int combo = 0; combo < 4; combo++) { boolean ti = (combo & 1) != 0, to = (combo & 2) != 0; System.out.println("RES seed " + seed + " init=" + (ti ? "torch" : "rnn4j") + " order=" + (to ? "torch" : "rnn4j") + run(seed, ti, to)); }
/exit
