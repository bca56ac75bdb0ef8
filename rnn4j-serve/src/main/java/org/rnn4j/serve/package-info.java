/**
 * Serving models over HTTP. {@link org.rnn4j.serve.ModelServer} is the API: build it with the
 * models to serve, start it, stop it. Inside, one {@code ApiHandler} routes requests, a {@code
 * PredictBatcher} per classifier gathers concurrent predictions into one forward pass, {@code
 * ServedModel} holds the model a directory currently contains (and reloads it), and {@code
 * ServerMetrics} keeps the counters {@code /metrics} reports. docs/serving.md documents the API.
 */
package org.rnn4j.serve;
