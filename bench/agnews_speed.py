#!/usr/bin/env python3
"""One epoch of the lesson's LSTM on AG News (split/train.csv, batch 16, Adam 1e-3, packed variable
lengths, 36k-word vocabulary), rnn4j against ../shared/bench/torch_agnews.py, alternately, in one run.

Reports each framework's training time for the epoch (validation excluded, as torch_agnews.py
reports it), its tokens/s, the whole process's wall time and peak RSS.
Usage: bench/agnews_speed.py [--rounds 2] [--cell lstm]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

from run_facts import facts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The anchor: PyTorch 2.x from ../shared/bench/setup_torch2.sh (RNN4J_BENCH_VENV), or ANCHOR_PYTHON to choose another
# (/usr/bin/python3 with Debian's python3-torch 1.13 is the older, second anchor).
ANCHOR_PYTHON = os.environ.get("ANCHOR_PYTHON", os.path.join(
    os.environ.get("RNN4J_BENCH_VENV", os.path.expanduser("~/.cache/rnn4j/bench-venv")), "bin", "python"))

DATA = os.path.join(ROOT, "..", "shared", "data", "ag_news")


def run(cmd):
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    if status:
        sys.exit(f"failed: {' '.join(cmd)}")
    return out, time.time() - t0, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--cell", default="lstm")
    a = ap.parse_args()
    rows = {"pytorch": [], "rnn4j": []}
    for r in range(a.rounds):
        out, wall, rss = run([ANCHOR_PYTHON, os.path.join(ROOT, "..", "shared", "bench", "torch_agnews.py"),
                              DATA, "--cell", a.cell, "--epochs", "1", "--seed", str(r + 1)])
        ep = [json.loads(l) for l in out.splitlines() if '"epoch"' in l][0]
        rows["pytorch"].append((ep["epoch_s"], ep["train_tokens_per_s"], wall, rss))
        print(f"# round {r + 1} pytorch: epoch {ep['epoch_s']} s, {ep['train_tokens_per_s']} tok/s, "
              f"wall {wall:.0f} s, peak RSS {rss:.0f} MB", file=sys.stderr, flush=True)
        d = tempfile.mkdtemp(prefix="rnn4j-agnews-")
        out, wall, rss = run([os.path.join(ROOT, "rnn4j"), "train", "--data", os.path.join(DATA, "split", "train.csv"),
                              "--valid", os.path.join(DATA, "split", "eval.csv"), "--cell", a.cell, "--epochs", "1",
                              "--seed", str(r + 1), "--out", os.path.join(d, "m"), "--json"])
        ep = [json.loads(l) for l in out.splitlines() if l.startswith('{"epoch"')][0]
        rows["rnn4j"].append((ep["seconds"], ep["tokens_per_s"], wall, rss))
        print(f"# round {r + 1} rnn4j: epoch {ep['seconds']:.1f} s, {ep['tokens_per_s']:.0f} tok/s, "
              f"wall {wall:.0f} s, peak RSS {rss:.0f} MB", file=sys.stderr, flush=True)
    med = lambda fw, i: statistics.median(x[i] for x in rows[fw])
    record = facts(ANCHOR_PYTHON)
    out_file = os.path.join(ROOT, "bench", "results", f"agnews-{record['time_utc'].replace(':', '')}.jsonl")
    with open(out_file, "w") as f:
        for fw in ("pytorch", "rnn4j"):
            for r, (epoch_s, tok_s, wall, rss) in enumerate(rows[fw]):
                f.write(json.dumps(dict(record, framework=fw, round=r + 1, cell=a.cell, epoch_s=epoch_s,
                                        tokens_per_s=tok_s, wall_s=round(wall, 1), peak_rss_mb=round(rss))) + "\n")
    print(f"# results: {os.path.relpath(out_file, ROOT)}; CPU {record['cpu']}, fma peak "
          f"{record.get('fma_peak_gflops') or 0:.0f} GFLOP/s, {record['anchor']}, {record.get('java')}")
    print(f"| framework | epoch s (train only) | tokens/s | process wall s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for fw in ("pytorch", "rnn4j"):
        print(f"| {fw} | {med(fw, 0):.1f} | {med(fw, 1):,.0f} | {med(fw, 2):.0f} | {med(fw, 3):.0f} |")
    print(f"\nrnn4j is {med('pytorch', 0) / med('rnn4j', 0):.1f}x faster per epoch "
          f"({med('pytorch', 2) / med('rnn4j', 2):.1f}x in process wall time, start-up and validation included)")


if __name__ == "__main__":
    main()
