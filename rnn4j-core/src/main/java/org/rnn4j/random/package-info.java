/**
 * Random numbers that reproduce other runtimes' draws: PyTorch's CPU generator (mt19937, for
 * initial weights), Python's {@code random} (for example order), and rnn4j's own small generator
 * (dropout, held-out splits), whose full state a checkpoint keeps.
 */
package org.rnn4j.random;
