/**
 * Whole networks built from {@link org.rnn4j.nn} layers: the classifier (embedding, recurrent
 * stack, pooling, linear head) and the language model (embedding, recurrent stack, a linear head
 * per step, state carried between calls), with their architecture ({@link
 * org.rnn4j.network.NetConfig}), initialisation as PyTorch draws it, and sampling. A network is
 * weights and arithmetic; the files a trained model is saved as are {@code org.rnn4j.persist}'s.
 */
package org.rnn4j.network;
