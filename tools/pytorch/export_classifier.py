#!/usr/bin/env python3
"""Turns a PyTorch text classifier into an rnn4j model directory, and records PyTorch's predictions.

The model is the lesson's (torch_agnews.py): Embedding -> nn.RNN/LSTM/GRU (batch_first) -> last state
or mean over valid steps -> Linear, with the vocabulary as a list of tokens (itos). rnn4j names the
modules embedding / rnn / fc; other names are mapped with --rename (torch_agnews.py calls its
embedding "emb").

Usage (demonstration with a freshly built model, optionally trained for a few batches):
    /usr/bin/python3 tools/pytorch/export_classifier.py OUT_DIR --data ../shared/data/ag_news [--train-batches 200]
then
    ./rnn4j predict --model OUT_DIR --json < OUT_DIR/texts.txt   # equals OUT_DIR/expected.jsonl

The function export() is what to call from your own code:
    export(out_dir, state_dict, itos, classes, cell="lstm", pooling="last", tokenizer="basic_english")
"""
import argparse
import csv
import hashlib
import json
import os
import random
import re
from collections import Counter

import torch
import torch.nn as nn
from safetensors.torch import save_file

RULES = [(r"\'", " '  "), (r"\"", ""), (r"\.", " . "), (r"<br \/>", " "), (r",", " , "),
         (r"\(", " ( "), (r"\)", " ) "), (r"\!", " ! "), (r"\?", " ? "), (r"\;", " "),
         (r"\:", " "), (r"\s+", " ")]
RULES = [(re.compile(p), r) for p, r in RULES]


def basic_english(line):
    line = line.lower()
    for p, r in RULES:
        line = p.sub(r, line)
    return line.split()


def escape(token):
    """vocab.txt escapes: backslash, newline, carriage return, tab."""
    return token.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def export(out_dir, state_dict, itos, classes, cell="lstm", pooling="last", tokenizer="basic_english",
           rename=None, padding_index=-1, max_length=0):
    """Writes config.json, vocab.txt and model.safetensors (with checksums) into out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    rename = rename or {}
    tensors = {}
    for k, v in state_dict.items():
        for old, new in rename.items():
            if k.startswith(old + "."):
                k = new + k[len(old):]
        tensors[k] = v.detach().to(torch.float32).contiguous()
    emb = tensors["embedding.weight"]
    layers = 1 + max(int(k.split("_l")[1].split("_")[0]) for k in tensors if k.startswith("rnn.weight_ih_l"))
    bidirectional = any(k.endswith("_reverse") for k in tensors)
    gates = {"lstm": 4, "gru": 3, "rnn_tanh": 1, "rnn_relu": 1}[cell]
    hidden = tensors["rnn.weight_hh_l0"].shape[1]
    assert tensors["rnn.weight_hh_l0"].shape[0] == gates * hidden, "cell type does not match the weights"
    assert emb.shape[0] == len(itos), f"{len(itos)} tokens but the embedding has {emb.shape[0]} rows"
    weights_path = os.path.join(out_dir, "model.safetensors")
    save_file(tensors, weights_path, metadata={"format": "pt"})
    vocab_bytes = "".join(escape(t) + "\n" for t in itos).encode("utf-8")
    with open(os.path.join(out_dir, "vocab.txt"), "wb") as f:
        f.write(vocab_bytes)
    sha = lambda b: "sha256:" + hashlib.sha256(b).hexdigest()
    config = {
        "format": "rnn4j-model",
        "format_version": 1,
        "task": "classification",
        "model": {"cell": cell, "vocabulary": len(itos), "embed": emb.shape[1], "hidden": hidden,
                  "layers": layers, "bidirectional": bidirectional, "dropout": 0.0, "pooling": pooling,
                  "classes": len(classes), "padding_index": padding_index},
        "classes": list(classes),
        "tokenizer": tokenizer,
        "max_length": max_length,
        "provenance": {"exported_from": "pytorch " + torch.__version__},
        "checksums": {"vocab.txt": sha(vocab_bytes), "model.safetensors": sha(open(weights_path, "rb").read())},
    }
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)


class Net(nn.Module):
    def __init__(s, cell, vocab, embed, hidden, layers, bidir, pooling, classes):
        super().__init__()
        s.emb = nn.Embedding(vocab, embed)
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn_tanh": nn.RNN}[cell]
        s.rnn = kind(embed, hidden, num_layers=layers, bidirectional=bidir, batch_first=True)
        s.fc = nn.Linear(hidden * (2 if bidir else 1), classes)
        s.cell, s.bidir, s.pooling = cell, bidir, pooling

    def forward(s, x, lens):
        p = nn.utils.rnn.pack_padded_sequence(s.emb(x), lens, batch_first=True, enforce_sorted=False)
        o, h = s.rnn(p)
        if s.pooling == "mean":
            o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True)
            return s.fc(o.sum(1) / lens.unsqueeze(1).to(o.dtype))
        h = h[0] if s.cell == "lstm" else h
        return s.fc(torch.cat([h[-2], h[-1]], 1) if s.bidir else h[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--data", required=True, help="AG News directory with split/train.csv and classes.txt")
    ap.add_argument("--cell", default="lstm")
    ap.add_argument("--pooling", default="last")
    ap.add_argument("--embed", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--bidir", action="store_true")
    ap.add_argument("--max-vocab", type=int, default=0, help="keep the most frequent tokens only")
    ap.add_argument("--train-batches", type=int, default=0)
    ap.add_argument("--texts", type=int, default=100, help="how many eval texts to predict")
    ap.add_argument("--texts-file", help="predict these texts (one per line) instead of eval rows")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    read = lambda p: [(int(r[0]) - 1, r[1] + " " + r[2]) for r in csv.reader(open(p, newline="", encoding="utf-8"))]
    train = read(os.path.join(a.data, "split", "train.csv"))
    ev = read(os.path.join(a.data, "split", "eval.csv"))
    classes = [l.strip() for l in open(os.path.join(a.data, "classes.txt"), encoding="utf-8") if l.strip()]
    cnt = Counter(t for _, s in train for t in basic_english(s))
    itos = ["<unk>", "<pad>"] + sorted(cnt, key=lambda w: (-cnt[w], w))
    if a.max_vocab:
        itos = itos[:a.max_vocab]
    stoi = {w: i for i, w in enumerate(itos)}
    enc = lambda s: [stoi.get(t, 0) for t in basic_english(s)] or [0]
    net = Net(a.cell, len(itos), a.embed, a.hidden, a.layers, a.bidir, a.pooling, len(classes))
    if a.train_batches:
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for step in range(a.train_batches):
            b = random.sample(train, 16)
            L = max(len(enc(s)) for _, s in b)
            x = torch.tensor([enc(s) + [1] * (L - len(enc(s))) for _, s in b])
            lens = torch.tensor([len(enc(s)) for _, s in b])
            loss = nn.functional.cross_entropy(net(x, lens), torch.tensor([y for y, _ in b]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    export(a.out, net.state_dict(), itos, classes, cell=a.cell, pooling=a.pooling, rename={"emb": "embedding"})
    net.eval()
    if a.texts_file:
        texts = [l.rstrip("\n") for l in open(a.texts_file, encoding="utf-8") if l.strip()]
    else:
        texts = [s for _, s in ev[:a.texts]]
    with torch.no_grad(), open(os.path.join(a.out, "expected.jsonl"), "w", encoding="utf-8") as f, \
            open(os.path.join(a.out, "texts.txt"), "w", encoding="utf-8") as t:
        for s in texts:
            ids = torch.tensor([enc(s)])
            p = torch.softmax(net(ids, torch.tensor([ids.shape[1]])), 1)[0]
            f.write(json.dumps({"label": classes[int(p.argmax())],
                                "probabilities": {c: float(v) for c, v in zip(classes, p)}}) + "\n")
            t.write(s.replace("\n", " ") + "\n")
    print(f"exported to {a.out}: {len(itos)} tokens, predictions of {len(texts)} texts in expected.jsonl")


if __name__ == "__main__":
    main()
