"""What every side-by-side run records with its figures: the CPU model and vector flags (lscpu), the
core count, and from one short `rnn4j bench` process the measured fma peak, the JVM and the kernel tuning
in use. Used by agnews_speed.py and charlm_compare.py; compare.py reads the same from its own processes."""
import datetime
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Vector and matrix features worth recording with a run: they decide which kernels a library can use.
FLAGS = ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "avx512_vnni", "amx_tile", "amx_bf16")


def machine():
    """The CPU model and its vector flags (lscpu), and the core count."""
    model, flags = "?", []
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
            if line.startswith("Flags:"):
                present = set(line.split(":", 1)[1].split())
                flags = [f for f in FLAGS if f in present]
    except OSError:
        pass
    return {"cpu": model, "flags": flags, "cores": os.cpu_count()}


def facts(anchor_python):
    """machine(), the anchor's torch version, and rnn4j's fma peak, JVM and kernel tuning, with the time and commit."""
    f = machine()
    f["time_utc"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    f["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                 cwd=ROOT).stdout.strip()
    f["anchor"] = subprocess.run([anchor_python, "-c", "import torch; print(torch.__version__)"],
                                 capture_output=True, text=True).stdout.strip()
    out = subprocess.run([os.path.join(ROOT, "rnn4j"), "bench", "--workload", "W1", "--mode", "latency",
                          "--repeats", "1", "--seconds", "0.1", "--warmup", "0", "--warmup-seconds", "0", "--json"],
                         capture_output=True, text=True, cwd=ROOT).stdout
    rows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    if rows:
        for k in ("fma_peak_gflops", "java", "cpu", "kernel_tuning", "threads"):
            f["rnn4j_" + k if k == "cpu" else k] = rows[0].get(k)
    return f
