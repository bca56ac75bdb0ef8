/**
 * The one training loop every task runs on. {@link org.rnn4j.train.TrainingLoop} owns epochs,
 * batches, the NaN policy, clipping, the optimizer and its schedule, best-epoch selection and
 * bit-identical resume; checkpoints, the best model, metrics files, early stopping, progress and
 * the JIT watch are listeners composed around it. A task implements
 * {@link org.rnn4j.train.TrainingTask}; a caller steers a run with
 * {@link org.rnn4j.train.TrainingControl} and hears of it through
 * {@link org.rnn4j.train.TrainingListener}. {@link org.rnn4j.train.RunSettings} are the settings
 * every task shares.
 */
package org.rnn4j.train;
