/**
 * Text classification: {@link org.rnn4j.classify.Classifier} loads a model directory and predicts
 * (thread-safe), {@link org.rnn4j.classify.ClassifierTrainer} trains one on the shared training
 * loop from a {@link org.rnn4j.classify.TrainingConfig}, and {@link org.rnn4j.classify.Evaluation}
 * reports accuracy, macro-F1 and the confusion matrix.
 */
package org.rnn4j.classify;
