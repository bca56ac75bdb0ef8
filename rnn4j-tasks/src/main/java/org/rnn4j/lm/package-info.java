/**
 * Language models: {@link org.rnn4j.lm.LanguageModel} loads a model directory, evaluates bits per
 * character and generates text; {@link org.rnn4j.lm.LanguageModelTrainer} trains one by truncated
 * backpropagation through time on the shared training loop.
 */
package org.rnn4j.lm;
