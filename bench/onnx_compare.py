#!/usr/bin/env python3
"""ONNX Runtime's inference speed on rnn4j's own exports of the workloads W1..W6.

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
    a = ap.parse_args()
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


if __name__ == "__main__":
    main()
