/**
 * Optimizers as torch.optim defines them (Adam, AdamW, SGD with momentum), learning-rate
 * schedules and gradient clipping by global norm.
 */
package org.rnn4j.optim;
