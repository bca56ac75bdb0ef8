/**
 * Layers, each an explicit forward/backward pair over flat {@code float[]} buffers with the shapes
 * in its comments (in the manner of llm.c), and the parameters they train.
 *
 * <p>Reading order for the recurrent cells:
 * <ol>
 *   <li>{@link org.rnn4j.nn.CellType}: the equations of RNN, LSTM and GRU as PyTorch defines them,
 *       gate order [i|f|g|o] and [r|z|n].</li>
 *   <li>{@link org.rnn4j.nn.CellMath}: the element-wise math of one cell step for one row, forward
 *       and backward; {@code ScalarCellMath} is the reference that {@code VectorCellMath} matches
 *       bit for bit.</li>
 *   <li>{@link org.rnn4j.nn.RecurrentLayer} with {@code RnnLayer}, {@code LstmLayer} and
 *       {@code GruLayer}: one layer in one direction over a packed batch
 *       ({@link org.rnn4j.nn.SequenceLayout}), the recurrent GEMM per step and the time loop split
 *       across threads by rows.</li>
 *   <li>{@link org.rnn4j.nn.RecurrentStack}: layers and directions stacked, variable lengths,
 *       dropout between layers, backpropagation through time across the stack.</li>
 * </ol>
 * Around them: {@link org.rnn4j.nn.Embedding}, {@link org.rnn4j.nn.Linear},
 * {@link org.rnn4j.nn.Pooling}, {@link org.rnn4j.nn.SoftmaxCrossEntropy}, and
 * {@link org.rnn4j.nn.ParameterSet} with PyTorch's parameter names.
 */
package org.rnn4j.nn;
