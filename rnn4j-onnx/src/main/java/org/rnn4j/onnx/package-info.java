/**
 * ONNX export. {@link org.rnn4j.onnx.Onnx} writes a classifier as an ONNX graph whose recurrent
 * layers are ONNX {@code LSTM}, {@code GRU} and {@code RNN} nodes with {@code sequence_lens};
 * {@code OnnxGraph} lays the network out (gate orders converted at this border only), and {@code
 * Protobuf} encodes the messages of onnx.proto that the file needs.
 */
package org.rnn4j.onnx;
