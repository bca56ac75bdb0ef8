#!/usr/bin/env python3
"""Trains the same character LSTM with PyTorch (../shared/bench/torch_charlm.py) and with
`rnn4j train-lm`, one after the other in ONE run, and prints validation bits/char and training
chars/s per epoch side by side.

Both use torch_charlm.py's defaults (embedding 64, hidden 128, 1 layer, seq-length 64, batch 32,
Adam 2e-3, clip 5, seed 1, 2 threads): the same vocabulary, the same streams and windows, so the
same number of updates. rnn4j must come within 2% of PyTorch's validation loss.

Usage: bench/charlm_compare.py [--train FILE] [--valid FILE] [--epochs 5] [--out runs/charlm]
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

from run_facts import facts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The anchor: PyTorch 2.x from ../shared/bench/setup_torch2.sh (RNN4J_BENCH_VENV), or ANCHOR_PYTHON to choose another
# (/usr/bin/python3 with Debian's python3-torch 1.13 is the older, second anchor).
ANCHOR_PYTHON = os.environ.get("ANCHOR_PYTHON", os.path.join(
    os.environ.get("RNN4J_BENCH_VENV", os.path.expanduser("~/.cache/rnn4j/bench-venv")), "bin", "python"))

SHARED = os.path.join(ROOT, "..", "shared")
TORCH = os.path.join(SHARED, "bench", "torch_charlm.py")


def lines(cmd, log):
    t0 = time.time()
    with open(log, "w") as err:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed (status {p.returncode}); see {log}")
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")], time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", default=os.path.join(SHARED, "data", "moby_dick", "train.txt"))
    ap.add_argument("--valid", default=os.path.join(SHARED, "data", "moby_dick", "valid.txt"))
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "charlm"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch_rows, torch_wall = lines([ANCHOR_PYTHON, TORCH, a.train, a.valid, "--epochs", str(a.epochs),
                                    "--threads", "2"], os.path.join(a.out, "torch.log"))
    model = os.path.join(a.out, "rnn4j-model")
    ours, our_wall = lines([os.path.join(ROOT, "rnn4j"), "train-lm", "--data", a.train, "--valid", a.valid,
                            "--out", model, "--overwrite", "--epochs", str(a.epochs), "--threads", "2",
                            "--sample-length", "0", "--json"], os.path.join(a.out, "rnn4j.log"))
    torch_epochs = [r for r in torch_rows if "epoch" in r]
    our_epochs = [r for r in ours if "valid_loss" in r]
    print(f"# char-LM, {os.path.relpath(a.train, ROOT)} -> {os.path.relpath(a.valid, ROOT)}, "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, 2 threads")
    print("| epoch | PyTorch valid bits/char | rnn4j valid bits/char | difference | PyTorch chars/s | rnn4j chars/s | speed ratio |")
    print("|---|---|---|---|---|---|---|")
    result = []
    for t, r in zip(torch_epochs, our_epochs):
        tb, rb = t["valid"]["bits_per_char"], r["valid_bits_per_char"]
        tc, rc = t["chars_per_s"], r["chars_per_s"]
        print(f"| {t['epoch']} | {tb:.4f} | {rb:.4f} | {100 * (rb - tb) / tb:+.2f}% | {tc:,.0f} | {rc:,.0f} | "
              f"{rc / tc:.2f}x |")
        result.append({"epoch": t["epoch"], "torch_bits": tb, "rnn4j_bits": rb, "torch_chars_per_s": tc,
                       "rnn4j_chars_per_s": rc, "torch_steps": t["steps"], "rnn4j_steps": r["steps"]})
    print(f"\nwall clock incl. start-up and validation: PyTorch {torch_wall:.0f} s, rnn4j {our_wall:.0f} s")
    with open(os.path.join(a.out, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    record = facts(ANCHOR_PYTHON)
    record.update(epochs=result, pytorch_wall_s=round(torch_wall), rnn4j_wall_s=round(our_wall))
    out_file = os.path.join(ROOT, "bench", "results", f"charlm-{record['time_utc'].replace(':', '')}.json")
    with open(out_file, "w") as f:
        json.dump(record, f, indent=1)
    print(f"# results: {os.path.relpath(out_file, ROOT)}; CPU {record['cpu']}, fma peak "
          f"{record.get('fma_peak_gflops') or 0:.0f} GFLOP/s, {record['anchor']}, {record.get('java')}")


if __name__ == "__main__":
    main()
