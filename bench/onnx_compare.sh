#!/usr/bin/env bash
# Inference speed, side by side in one run: rnn4j against ONNX Runtime (Python, 2 intra-op threads) running
# rnn4j's own exports of the workloads W1..W6 (same networks, same weights, full-length batches as WORKLOADS.md).
# Usage: bench/onnx_compare.sh [--seconds S] [--repeats N]
# Writes bench/results/onnx-<UTC time>.jsonl and prints the table for BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${RNN4J_SHARED:-$root/../shared}
seconds=2; repeats=3
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    *) echo "onnx_compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cd "$root"
venv=$("$shared/bench/setup_torch2.sh" | tail -1)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
stamp=$(date -u +%Y-%m-%dT%H%MZ)
out=bench/results/onnx-$stamp.jsonl
mkdir -p bench/results
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
./rnn4j bench --workload all --mode infer,latency --seconds "$seconds" --repeats "$repeats" --json \
  --export-onnx "$tmp" > "$tmp/rnn4j.jsonl"
"$venv/bin/python" bench/onnx_compare.py "$tmp" --seconds "$seconds" --repeats "$repeats" > "$tmp/ort.jsonl"

# The real recipe: the lesson's AG News LSTM (runs/demo) over AG News' evaluation texts, each with its own length.
[ -f runs/demo/config.json ] || ./rnn4j demo > /dev/null
python3 - "$shared/data/ag_news/split/eval.csv" > "$tmp/texts.txt" <<'PY'
import csv, sys
for row in csv.reader(open(sys.argv[1], encoding="utf-8")):
    print((row[1] + " " + row[2]).replace("\n", " ").strip())
PY
./rnn4j export --model runs/demo --onnx "$tmp/agnews.onnx" > /dev/null
"$venv/bin/python" bench/onnx_compare.py "$tmp" --recipe "$tmp/agnews.onnx" "$tmp/texts.txt" --repeats 5 >> "$tmp/ort.jsonl"
# rnn4j on the same texts, tokenized before timing as the Python side does.
./rnn4j bench --model runs/demo --texts "$tmp/texts.txt" --repeats 5 --json >> "$tmp/rnn4j.jsonl"
python3 - "$tmp/rnn4j.jsonl" "$tmp/ort.jsonl" "$out" "$cpu" "$stamp" <<'PY'
import json, sys
rn = {d["workload"]: d for d in map(json.loads, open(sys.argv[1]))}
ort = {d["workload"]: d for d in map(json.loads, open(sys.argv[2]))}
with open(sys.argv[3], "w") as f:
    for d in list(rn.values()) + list(ort.values()):
        d.update({"run": sys.argv[5], "cpu": sys.argv[4]}); f.write(json.dumps(d) + "\n")
peak = next(iter(rn.values())).get("fma_peak_gflops", 0)
print(f"CPU: {sys.argv[4]}, fma peak {peak:.0f} GFLOP/s; ONNX Runtime {next(iter(ort.values()))['version']}; run {sys.argv[5]}")
print()
print("| workload | rnn4j infer tok/s | ONNX Runtime infer tok/s | rnn4j ÷ ORT |")
print("|---|---:|---:|---:|")
for w in sorted(k for k in rn if k != "agnews"):
    a = rn[w]["infer_tokens_per_s"]["median"]; b = ort[w]["infer_tokens_per_s"]
    print(f"| {w} | {a:,.0f} | {b:,.0f} | {a / b:.2f}x |")
la = rn["W2"]["latency_us"]["median"] if isinstance(rn["W2"].get("latency_us"), dict) else rn["W2"].get("latency_us")
lb = ort["W2"]["latency_us"]
print(f"\nW2 batch-1 latency (T=64): rnn4j {la:,.0f} µs, ONNX Runtime {lb:,.0f} µs ({la / lb:.2f}x).")
a, b = rn["agnews"]["texts_per_s"], ort["agnews"]["texts_per_s"]
print(f"AG News LSTM over real texts (batches of 64 in file order, own lengths, tokenization not timed): "
      f"rnn4j {a:,.0f} texts/s, ONNX Runtime {b:,.0f} texts/s: {a / b:.2f}x.")
PY
echo "results: $out" >&2
