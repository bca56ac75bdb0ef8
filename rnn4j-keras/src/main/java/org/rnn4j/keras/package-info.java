/**
 * Importing Keras models. {@link org.rnn4j.keras.KerasImport} reads a Keras 3 {@code .keras}
 * archive or a legacy {@code .h5} file (config and weights), checks that rnn4j computes exactly what
 * the layers compute, and writes an rnn4j classifier directory; Keras's layouts (transposed
 * kernels, GRU's z, r, h) are converted here and nowhere else.
 */
package org.rnn4j.keras;
