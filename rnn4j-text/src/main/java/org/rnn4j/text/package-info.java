/**
 * Text in, token ids out: tokenizers (torchtext's basic_english, whitespace, characters),
 * vocabularies, readers of AG News CSV, CSV/TSV with a header, JSON lines and plain text, and
 * padded batches. A problem in a data file is a {@link org.rnn4j.text.DataException} naming the
 * file and line.
 */
package org.rnn4j.text;
