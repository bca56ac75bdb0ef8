/**
 * What a model and a run are saved as, for inference and training alike: the model directory
 * ({@code config.json}, {@code vocab.txt}, {@code model.safetensors}, {@code metrics.jsonl}),
 * checkpoints, and each document's type with its JSON mapping beside it
 * ({@link org.rnn4j.persist.ModelConfig}, {@link org.rnn4j.persist.Provenance},
 * {@link org.rnn4j.persist.CheckpointState}, {@link org.rnn4j.persist.EpochMetrics}). Files
 * stay in format version 1; docs/model-format.md describes them.
 */
package org.rnn4j.persist;
