/**
 * Files: safetensors (PyTorch's tensor container, read and written with PyTorch's names), a small
 * JSON reader and writer, and writes that replace a file or a directory atomically. Corrupt input
 * is a {@link org.rnn4j.io.FormatException} that names the file.
 */
package org.rnn4j.io;
