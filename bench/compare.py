#!/usr/bin/env python3
"""Runs rnn4j's bench and PyTorch's ../shared/bench/torch_rnn.py alternately, in ONE run, on the same
machine, and prints the ratios rnn4j / PyTorch. The anchor is PyTorch 2.x as pip installs it (MKL + oneDNN),
in the environment ../shared/bench/setup_torch2.sh makes; Debian's PyTorch 1.13 (python3-torch), when
installed, is measured too as a second, older anchor. Each run records the CPU model, its vector flags, the
measured fma peak and the JVM.

Each workload is measured in a fresh process per framework (so that peak RSS is that workload's own),
PyTorch first, then rnn4j, and the pair is repeated --rounds times; every process itself reports the
min/median/max over --repeats timed repeats. The table uses the median over all of a framework's runs.
A second table puts both frameworks' model FLOPs per second (the recurrent products, as rnn4j's bench
counts them) against the machine's fma peak (rnn4j's probe, the median over its processes): how much
of the machine each uses, and how much rnn4j would need to meet each target against this PyTorch.

Usage: bench/compare.py [--workloads W1,...,W6] [--rounds 2] [--seconds 3] [--repeats 3]
                        [--out runs/bench] [--markdown]
       bench/compare.py --from runs/bench/results.json      (the tables of a run already made)
Needs the anchors' environment (../shared/bench/setup_torch2.sh; compare.sh makes it when missing).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

from run_facts import FLAGS, machine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("RNN4J_SHARED", os.path.join(ROOT, "..", "shared"))
TORCH = os.path.join(SHARED, "bench", "torch_rnn.py")
# The frameworks measured, in the order each round runs them: the PyTorch 2.x anchor, Debian's 1.13 when
# installed, then rnn4j.
VENV_PYTHON = os.path.join(os.environ.get("RNN4J_BENCH_VENV", os.path.expanduser("~/.cache/rnn4j/bench-venv")),
                           "bin", "python")
DEBIAN_PYTHON = "/usr/bin/python3"
# The speed targets against PyTorch 2.x (rnn4j / PyTorch, training and inference): issue 26, BENCHMARKS.md.
TARGETS = {"W1": (4, 4), "W2": (1.5, 1.5), "W3": (1.5, 1.5), "W4": (1.5, 1.5), "W5": (4, 4), "W6": (1.5, 1.5)}
# A compiled rnn4j step allocates tens of KB; boxed vectors, hundreds of MB. Keep equal to
# BoxedVectorWatch.BOXED_BYTES_PER_STEP, which bench and the trainers warn by.
BOXED_VECTORS_BYTES = 1 << 20
# What ./rnn4j prints when it rebuilds the jar before starting the JVM.
REBUILT = "rnn4j: building the jar"
LATENCY_TARGET = 0.5  # W2 batch-1 latency, rnn4j / PyTorch; peak RSS must not exceed PyTorch's


def mark(ok):
    return "✓" if ok else "✗"


def goal(ratio, target):
    return f"{target:g}x {mark(ratio >= target)}" if target else ""


def run(cmd, log):
    """Runs cmd, returns (json lines, peak RSS in MB of the process tree)."""
    with open(log, "w") as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT)
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed (status {status}); see {log}")
    rows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return rows, usage.ru_maxrss / 1024.0


def has_torch(python):
    return os.path.exists(python) and subprocess.run([python, "-c", "import torch"], capture_output=True).returncode == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workloads", default="W1,W2,W3,W4,W5,W6")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "runs", "bench"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--from", dest="source", metavar="FILE",
                    help="print the tables of an earlier run's results.json instead of measuring")
    a = ap.parse_args()
    if a.source:
        try:
            with open(a.source) as f:
                doc = json.load(f)
            a.machine = doc.pop("machine", None)
            results = {tuple(key.split("/")): v for key, v in doc.items()}
        except OSError as e:
            sys.exit(f"{a.source}: {e.strerror}")
        except (ValueError, AttributeError) as e:
            sys.exit(f"{a.source}: not a results.json written by bench/compare.py ({e})")
        a.workloads = ",".join(dict.fromkeys(w for w, _ in results))
        report(a, results)
        return
    os.makedirs(a.out, exist_ok=True)
    if not has_torch(VENV_PYTHON):
        sys.exit(f"no PyTorch 2.x at {VENV_PYTHON}: run ../shared/bench/setup_torch2.sh (bench/compare.sh does)")
    anchors = {"pytorch": VENV_PYTHON}
    if has_torch(DEBIAN_PYTHON):
        anchors["pytorch1"] = DEBIAN_PYTHON
    a.machine = machine()
    # Build the jar now if the sources are newer, so that no measured process starts with a build.
    subprocess.run([os.path.join(ROOT, "rnn4j"), "--version"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    results = {}
    for w in a.workloads.split(","):
        for rnd in range(a.rounds):
            for fw in list(anchors) + ["rnn4j"]:
                if fw != "rnn4j":
                    cmd = [anchors[fw], TORCH, "--workload", w, "--json", "--threads", str(a.threads),
                           "--seconds", str(a.seconds), "--repeats", str(a.repeats)]
                else:
                    cmd = [os.path.join(ROOT, "rnn4j"), "bench", "--workload", w, "--json", "--threads",
                           str(a.threads), "--seconds", str(a.seconds), "--repeats", str(a.repeats)]
                log = os.path.join(a.out, f"{w}-{fw}-{rnd}.log")
                rows, rss = run(cmd, log)
                r = rows[0]
                if fw == "rnn4j" and REBUILT in open(log, errors="replace").read():
                    # Sources changed during the run: Maven's JVM is in the process tree; count the JVM's own.
                    r["rebuilt_jar"] = True
                    rss = r.get("peak_rss_mb", rss)
                r["process_peak_rss_mb"] = rss
                results.setdefault((w, fw), []).append(r)
                print(f"# {w} {fw} round {rnd + 1}: train {r['train_tokens_per_s']['median']:,.0f} tok/s, "
                      f"infer {r['infer_tokens_per_s']['median']:,.0f} tok/s, peak RSS {rss:.0f} MB",
                      file=sys.stderr, flush=True)
    with open(os.path.join(a.out, "results.json"), "w") as f:
        doc = {f"{w}/{fw}": v for (w, fw), v in results.items()}
        doc["machine"] = a.machine
        json.dump(doc, f, indent=1)
    report(a, results)


def report(a, results):
    """Prints the ratio table and the share-of-peak table for results {(workload, framework): [rows]}."""

    def med(w, fw, key):
        runs = [x for r in results[(w, fw)] if key in r for x in r[key]["runs"]]
        return statistics.median(runs) if runs else None

    def rss(w, fw):
        return max(r["process_peak_rss_mb"] for r in results[(w, fw)])

    if a.source:
        written = datetime.datetime.fromtimestamp(os.path.getmtime(a.source), datetime.timezone.utc)
        print(f"\n{a.source}, written {written:%Y-%m-%d %H:%M} UTC")
    else:
        print(f"\n{datetime.date.today()}, {platform.node()}, {os.cpu_count()} cores, {a.threads} threads, "
              f"{a.rounds} rounds x {a.repeats} repeats x {a.seconds:g} s per process")
    versions = {f"rnn4j {r.get('version', '?')} on {r.get('java', '?')}" if fw == "rnn4j"
                else f"PyTorch {r.get('version', '?')}" for (_, fw), rows in results.items() for r in rows}
    print(", ".join(sorted(versions)))
    m = getattr(a, "machine", None)
    if m:
        print(f"CPU: {m['cpu']}, {m['cores']} cores, flags {' '.join(m['flags']) or 'none of ' + ', '.join(FLAGS)}")
    old = any(fw == "pytorch1" for _, fw in results)
    print("| workload | train tok/s PyTorch 2.x | train tok/s rnn4j | train ratio | target | infer tok/s PyTorch 2.x | "
          "infer tok/s rnn4j | infer ratio | target | W2 latency µs PyTorch / rnn4j | peak RSS MB PyTorch / rnn4j |"
          + (" ratio to PyTorch 1.13, train / infer |" if old else ""))
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if old else ""))
    for w in a.workloads.split(","):
        name = results[(w, "rnn4j")][0]["name"]
        tp, tr = med(w, "pytorch", "train_tokens_per_s"), med(w, "rnn4j", "train_tokens_per_s")
        ip, ir = med(w, "pytorch", "infer_tokens_per_s"), med(w, "rnn4j", "infer_tokens_per_s")
        lp, lr = med(w, "pytorch", "latency_us"), med(w, "rnn4j", "latency_us")
        lat = f"{lp:,.0f} / {lr:,.0f} ({lr / lp:.2f}x {mark(lr / lp <= LATENCY_TARGET)})" if lp and lr else ""
        tt, it = TARGETS.get(w, (None, None))
        rp, rr = rss(w, "pytorch"), rss(w, "rnn4j")
        second = ""
        if old:
            t1, i1 = med(w, "pytorch1", "train_tokens_per_s"), med(w, "pytorch1", "infer_tokens_per_s")
            second = f" {tr / t1:.2f}x / {ir / i1:.2f}x |"
        print(f"| {w} {name} | {tp:,.0f} | {tr:,.0f} | **{tr / tp:.2f}x** | {goal(tr / tp, tt)} | {ip:,.0f} | "
              f"{ir:,.0f} | **{ir / ip:.2f}x** | {goal(ir / ip, it)} | {lat} | {rp:.0f} / {rr:.0f} {mark(rr <= rp)} |"
              + second)

    boxed = [f"{w} round {i + 1} {mode} ({r[key]:,} bytes per step)"
             for w in a.workloads.split(",") for i, r in enumerate(results[(w, "rnn4j")])
             for mode in ("train", "infer") for key in [f"{mode}_alloc_bytes_per_step"]
             if r.get(key, 0) > BOXED_VECTORS_BYTES]
    if boxed:
        print("\nrnn4j processes in which the JIT left vector operations boxed (slower than usual, see BENCHMARKS.md): "
              + "; ".join(boxed))
    rebuilt = [f"{w} round {i + 1}" for w in a.workloads.split(",")
               for i, r in enumerate(results[(w, "rnn4j")]) if r.get("rebuilt_jar")]
    if rebuilt:
        print("\nrnn4j processes that rebuilt the jar first (sources changed during the run; their peak RSS is the "
              "JVM's own): " + "; ".join(rebuilt))
    peaks = [r["fma_peak_gflops"] for w in a.workloads.split(",") for r in results[(w, "rnn4j")]
             if "fma_peak_gflops" in r]
    if not peaks:
        return  # a run from before bench measured the peak
    peak = statistics.median(peaks)
    print(f"\nShare of the fma peak ({peak:.0f} GFLOP/s on {a.threads} threads): model FLOPs per second / peak; "
          "'needed' is target x PyTorch's share")
    print("| workload | train PyTorch | train rnn4j | train needed | infer PyTorch | infer rnn4j | infer needed |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for w in a.workloads.split(","):
        row = results[(w, "rnn4j")][0]
        cells = []
        for mode, target in zip(("train", "infer"), TARGETS.get(w, (None, None))):
            flops = row[f"{mode}_flops_per_token"]
            p, r = (med(w, fw, f"{mode}_tokens_per_s") * flops / 1e9 / peak for fw in ("pytorch", "rnn4j"))
            cells += [f"{100 * p:.0f}%", f"{100 * r:.0f}%", f"{100 * target * p:.0f}%" if target else ""]
        print(f"| {w} {row['name']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
