package org.rnn4j.train;

/** Training produced NaN or infinity; the message names the step, the batch and the tensor. */
public class NumericalFaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NumericalFaultException(String message) {
    super(message);
  }
}
