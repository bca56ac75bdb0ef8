package org.rnn4j.persist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.io.Safetensors;

/** Damages checkpoints the way a bad run or a bad disk would, for the tests of both tasks. */
public final class CheckpointFiles {
  private CheckpointFiles() {}

  /** Rewrites the checkpoint in dir with every value of tensor {@code name} set to NaN. */
  public static void fillWithNaN(Path dir, String name) throws IOException {
    Path ck = dir.resolve(Checkpoint.FILE);
    Safetensors.Contents c = Safetensors.read(ck);
    List<Safetensors.Tensor> ts = new ArrayList<>();
    for (Safetensors.Tensor t : c.tensors().values()) {
      float[] v = t.toFloats();
      if (t.name().equals(name)) {
        Arrays.fill(v, Float.NaN);
      }
      ts.add(Safetensors.Tensor.ofFloats(t.name(), v, t.shape()));
    }
    Safetensors.write(ck, ts, c.metadata());
  }
}
