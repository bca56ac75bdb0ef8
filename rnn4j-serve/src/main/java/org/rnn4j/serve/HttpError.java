package org.rnn4j.serve;

import java.util.Map;

/** A request that ends with this status and a one-line reason, sent as {"error": reason}. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final Map<String, String> headers;

  HttpError(int status, String reason) {
    this(status, reason, Map.of());
  }

  HttpError(int status, String reason, Map<String, String> headers) {
    super(reason, null, false, false);
    this.status = status;
    this.headers = headers;
  }
}
