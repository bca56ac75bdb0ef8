package org.rnn4j.network;

/**
 * How a model's recurrent weights are held for inference. Training always uses float32; a model
 * directory on disk is float32 whatever is chosen here.
 */
public enum WeightPrecision {
  /** As trained. The default. */
  FLOAT32,
  /**
   * Every recurrent layer's W_hh rounded to bfloat16 (nearest, ties to even) once, at load: a batch of
   * one sequence (a single request, {@code predict} of one text) then reads W_hh at half the bytes each
   * step. Batches read the same rounded values through the float kernels, so a text gets the same result
   * alone or in a batch. Outputs move by the rounding (BENCHMARKS.md measures AG News accuracy with it).
   */
  BF16
}
