#!/usr/bin/env python3
"""ONNX Runtime's inference speed on rnn4j's own exports of the workloads W1..W6 (and, with --recipe, of the
AG News LSTM over real texts).

Usage: onnx_compare.py DIR [--seconds 2] [--repeats 3] [--threads 2]
DIR holds W<n>.onnx written by `rnn4j bench --export-onnx DIR` (the networks rnn4j measures, same weights).
Prints one JSON line per workload: inference tokens/s (median of repeats) on random ids at the workload's
batch and length, and for W2 the batch-1 latency at T=64 in microseconds.
"""
import argparse, glob, json, os, time
import numpy as np, onnxruntime as ort

SHAPES = {"W1": (16, 64), "W2": (64, 128), "W3": (64, 128), "W4": (64, 128), "W5": (16, 64), "W6": (32, 64)}


def timed(run, seconds):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        run(); n += 1
    return n, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir"); ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--repeats", type=int, default=3); ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--recipe", nargs=2, metavar=("MODEL_ONNX", "TEXTS"), help="only the AG News recipe")
    a = ap.parse_args()
    if a.recipe:
        return recipe(a.recipe[0], a.recipe[1], a.threads, a.repeats)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = a.threads; opts.inter_op_num_threads = 1
    rng = np.random.default_rng(1234)
    for path in sorted(glob.glob(os.path.join(a.dir, "W*.onnx"))):
        w = os.path.basename(path)[:-5]
        b, t = SHAPES[w]
        s = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
        feeds = {"ids": rng.integers(0, 20000, (b, t), dtype=np.int64), "lengths": np.full(b, t, dtype=np.int64)}
        run = lambda: s.run(["logits"], feeds)
        timed(run, 3.0)  # warm-up
        rates = sorted(n * b * t / sec for n, sec in (timed(run, a.seconds) for _ in range(a.repeats)))
        r = {"workload": w, "framework": "onnxruntime", "version": ort.__version__, "threads": a.threads,
             "infer_tokens_per_s": rates[len(rates) // 2]}
        if w == "W2":
            one = {"ids": feeds["ids"][:1, :64].copy(), "lengths": np.array([64], dtype=np.int64)}
            timed(lambda: s.run(["logits"], one), 1.0)
            lat = []
            for _ in range(a.repeats):
                samples = []
                end = time.perf_counter() + a.seconds
                while time.perf_counter() < end:
                    t0 = time.perf_counter(); s.run(["logits"], one); samples.append((time.perf_counter() - t0) * 1e6)
                lat.append(sorted(samples)[len(samples) // 2])
            r["latency_us"] = sorted(lat)[len(lat) // 2]
        print(json.dumps(r), flush=True)


def recipe(onnx_path, texts_path, threads, repeats, batch=64):
    """The AG News LSTM over real texts with their own lengths: texts/s over all texts, batches of 64 in file
    order (as rnn4j predict batches stdin), tokenization not timed. Prints one JSON line."""
    import re
    rules = [(r"\'", " '  "), (r"\"", ""), (r"\.", " . "), (r"<br \/>", " "), (r",", " , "), (r"\(", " ( "),
             (r"\)", " ) "), (r"\!", " ! "), (r"\?", " ? "), (r"\;", " "), (r"\:", " "), (r"\s+", " ")]
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads; opts.inter_op_num_threads = 1
    s = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
    meta = s.get_modelmeta().custom_metadata_map
    vocab = {t: i for i, t in enumerate(meta["vocabulary"].split("\n"))}
    unk, pad = int(meta["unknown_id"]), max(0, int(meta["padding_id"]))
    def tokens(text):
        text = text.lower()
        for p, r in rules:
            text = re.sub(p, r, text)
        return text.split()
    ids = [[vocab.get(t, unk) for t in tokens(l)] or [unk] for l in open(texts_path, encoding="utf-8").read().splitlines()]
    batches = []
    for i in range(0, len(ids), batch):
        b = ids[i:i + batch]; t = max(map(len, b))
        x = np.full((len(b), t), pad, dtype=np.int64)
        for j, row in enumerate(b):
            x[j, :len(row)] = row
        batches.append({"ids": x, "lengths": np.array([len(r) for r in b], dtype=np.int64)})
    for f in batches[:10]:
        s.run(["probabilities"], f)
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for f in batches:
            s.run(["probabilities"], f)
        rates.append(len(ids) / (time.perf_counter() - start))
    n_tokens = sum(map(len, ids))
    print(json.dumps({"workload": "agnews", "framework": "onnxruntime", "version": ort.__version__, "threads": threads,
                      "texts": len(ids), "tokens": n_tokens, "texts_per_s": sorted(rates)[len(rates) // 2]}))


if __name__ == "__main__":
    main()
