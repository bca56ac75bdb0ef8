#!/usr/bin/env python3
"""Keras fixtures for rnn4j's Keras import: small text classifiers built with Keras 3 (JAX backend) for each
supported combination, saved as .keras and legacy .h5, with Keras's own predictions on padded batches.

Run with the anchors' environment (../shared/bench/setup_torch2.sh --keras):
    KERAS_BACKEND=jax $VENV/bin/python tools/keras/make_fixtures.py rnn4j-keras/src/test/resources/keras
Writes, per model NAME: NAME.keras, NAME.h5, NAME.json ({"ids": [[...]], "lengths": [...], "output": [[...]],
"softmax": bool}) and one vocab.txt shared by all (TextVectorization's order: "" then "[UNK]" then words).
"""
import json, os, sys
os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras
from keras import layers

V, E, H, K = 24, 5, 4, 3
CASES = [  # name, cell, layers, bidirectional, pooling, dense activation
    ("lstm_last", "LSTM", 1, False, "last", "softmax"),
    ("lstm_bi_mean", "LSTM", 2, True, "mean", "softmax"),
    ("gru_last", "GRU", 1, False, "last", "softmax"),
    ("gru_bi_last", "GRU", 2, True, "last", "linear"),
    ("rnn_mean", "SimpleRNN", 1, False, "mean", "softmax"),
    ("rnn_bi_last", "SimpleRNN", 1, True, "last", "softmax"),
]


def build(cell, n_layers, bi, pooling, activation):
    inp = keras.Input((None,), dtype="int32", name="ids")
    x = layers.Embedding(V, E, mask_zero=True, name="embedding")(inp)
    for l in range(n_layers):
        seq = l < n_layers - 1 or pooling == "mean"
        rnn = getattr(layers, cell)(H, return_sequences=seq, name=f"{cell.lower()}_{l}")
        x = layers.Bidirectional(rnn, name=f"bidirectional_{l}")(x) if bi else rnn(x)
    if pooling == "mean":
        x = layers.GlobalAveragePooling1D(name="mean")(x)
    out = layers.Dense(K, activation=activation, name="dense")(x)
    return keras.Model(inp, out)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    words = ["", "[UNK]"] + [f"w{i}" for i in range(V - 2)]
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    for name, cell, n_layers, bi, pooling, activation in CASES:
        keras.utils.set_random_seed(1)
        m = build(cell, n_layers, bi, pooling, activation)
        # Random biases too (Keras initializes them to zeros): every weight's mapping is exercised.
        m.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in m.get_weights()])
        lengths = [5, 1, 3, 6]
        ids = np.zeros((len(lengths), 6), dtype="int32")
        for i, n in enumerate(lengths):
            ids[i, :n] = rng.integers(1, V, n)
        y = np.asarray(m.predict(ids, verbose=0), dtype="float64")
        m.save(os.path.join(out, name + ".keras"))
        m.save(os.path.join(out, name + ".h5"))
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({"ids": ids.tolist(), "lengths": lengths, "output": y.tolist(),
                       "softmax": activation == "softmax", "keras": keras.__version__}, f)
        print(name, "ok")


if __name__ == "__main__":
    main()
