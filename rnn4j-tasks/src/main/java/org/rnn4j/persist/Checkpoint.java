package org.rnn4j.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.FormatException;
import org.rnn4j.io.Json;
import org.rnn4j.io.Safetensors;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.ParameterSet;

/**
 * A training checkpoint as one safetensors file, replaced atomically: the parameters
 * ({@code param.<name>}), the optimizer state ({@code optim.<name>}) and a JSON document with
 * everything else needed to resume (metadata key {@code rnn4j.state}).
 */
public final class Checkpoint {
  public static final String FILE = "checkpoint.safetensors";
  /** The folder of the per-epoch copies, {@code epoch-NNN-valid-LOSS.safetensors}. */
  public static final String COPIES = "checkpoints";
  private static final String STATE_KEY = "rnn4j.state";

  private final CheckpointState state;
  private final Map<String, float[]> params;
  private final Map<String, float[]> optimizer;
  private final Map<String, float[]> extras;

  private Checkpoint(CheckpointState state, Map<String, float[]> params, Map<String, float[]> optimizer,
                     Map<String, float[]> extras) {
    this.state = state;
    this.params = params;
    this.optimizer = optimizer;
    this.extras = extras;
  }

  /** The resume document. */
  public CheckpointState state() {
    return state;
  }

  public Map<String, float[]> optimizerState() {
    return optimizer;
  }

  /** Other tensors a run needs to resume (a language model's carried state), by name. */
  public Map<String, float[]> extras() {
    return extras;
  }

  /** Writes a checkpoint atomically, with the task's extra tensors ({@code extra.<name>}). */
  public static void write(Path file, CheckpointState state, ParameterSet params,
                           Map<String, float[]> optimizerState, Map<String, float[]> extras) throws IOException {
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (Parameter p : params.parameters()) {
      long[] shape = new long[p.rank()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = p.dim(i);
      }
      tensors.add(Safetensors.Tensor.viewOfFloats("param." + p.name(), p.data(), p.offset(), p.size(), shape));
    }
    // Views, not copies: the arrays are streamed to the file while training waits.
    for (Map.Entry<String, float[]> e : optimizerState.entrySet()) {
      float[] v = e.getValue();
      tensors.add(Safetensors.Tensor.viewOfFloats("optim." + e.getKey(), v, 0, v.length, v.length));
    }
    for (Map.Entry<String, float[]> e : extras.entrySet()) {
      float[] v = e.getValue();
      tensors.add(Safetensors.Tensor.viewOfFloats("extra." + e.getKey(), v, 0, v.length, v.length));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(STATE_KEY, Json.write(state.toJson()));
    Safetensors.write(file, tensors, meta);
  }

  /**
   * Reads the checkpoint in a run's directory to resume it: NoSuchFileException when there is none,
   * FormatException when it is corrupt or belongs to another task.
   */
  public static Checkpoint readForResume(Path dir, String task) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "no checkpoint to resume from (was the run written to this directory?)");
    }
    Checkpoint ck = read(file);
    if (!task.equals(ck.state().task())) {
      throw new FormatException(file + ": this checkpoint is for task " + ck.state().task() + ", not " + task);
    }
    return ck;
  }

  /** Reads a checkpoint; FormatException when it is corrupt or not a checkpoint. */
  @SuppressWarnings("unchecked")
  public static Checkpoint read(Path file) throws IOException {
    Safetensors.Contents c = Safetensors.read(file);
    String s = c.metadata().get(STATE_KEY);
    if (s == null) {
      throw new FormatException(file + ": not an rnn4j checkpoint (no " + STATE_KEY + " metadata)");
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(s);
    } catch (FormatException e) {
      throw new FormatException(file + ": corrupt checkpoint state: " + e.getMessage());
    }
    CheckpointState state = CheckpointState.fromJson(json, file.toString());
    Map<String, float[]> params = new LinkedHashMap<>();
    Map<String, float[]> optim = new LinkedHashMap<>();
    Map<String, float[]> extras = new LinkedHashMap<>();
    for (Safetensors.Tensor t : c.tensors().values()) {
      if (t.name().startsWith("param.")) {
        params.put(t.name().substring(6), t.toFloats());
      } else if (t.name().startsWith("optim.")) {
        optim.put(t.name().substring(6), t.toFloats());
      } else if (t.name().startsWith("extra.")) {
        extras.put(t.name().substring(6), t.toFloats());
      }
    }
    return new Checkpoint(state, params, optim, extras);
  }

  /** Loads the saved parameters into params; FormatException on any mismatch. */
  public void restoreParameters(ParameterSet target, Path file) throws FormatException {
    if (params.size() != target.parameters().size()) {
      throw new FormatException(file + ": checkpoint has " + params.size() + " parameters, the model "
          + target.parameters().size());
    }
    for (Parameter p : target.parameters()) {
      float[] v = params.get(p.name());
      if (v == null || v.length != p.size()) {
        throw new FormatException(file + ": checkpoint parameter " + p.name() + " is missing or has the wrong size");
      }
      p.set(v);
    }
  }
}
