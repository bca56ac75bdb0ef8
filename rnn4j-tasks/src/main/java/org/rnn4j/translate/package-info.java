/**
 * Translation: encoder-decoder models with attention ({@link org.rnn4j.network.Seq2SeqNet}) trained
 * on sentence pairs by {@link org.rnn4j.translate.TranslatorTrainer} on the shared training loop,
 * used through {@link org.rnn4j.translate.Translator} (greedy or beam search), and scored by
 * {@link org.rnn4j.translate.Bleu} as sacreBLEU scores.
 */
package org.rnn4j.translate;
