#!/usr/bin/env bash
# Spark against one process, side by side in one run on the same cores (issue 22):
#   scoring:  `rnn4j predict` (stdin, --json) and `rnn4j spark score --master local[2]` (text in, parquet
#             out) on the same texts: AG News' test split repeated REPEAT times; wall time of each command,
#             JVM and Spark start-up included, so the ratio is what a user sees;
#   training: `rnn4j train` and `rnn4j spark train --master local[2]` (--sync-every 1 and 8) on the AG News
#             lesson split, 1 epoch of the lesson's recipe; samples/s, steps/s, bytes per step, accuracy.
# Rounds alternate the order of the contenders; the table gives medians.
#
# Usage: bench/spark_compare.sh [--repeat N] [--rounds N]   (defaults 100 and 2)
# Writes bench/results/spark-<UTC time>.jsonl and prints the table for BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${RNN4J_SHARED:-$root/../shared}
repeat=100
rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "spark_compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp=$(date -u +%Y-%m-%dT%H%MZ)
out=bench/results/spark-$stamp.jsonl
mkdir -p bench/results
data=$shared/data/ag_news/split

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
peak=$(./rnn4j bench --workload W1 --mode infer --seconds 1 --repeats 1 --json 2>/dev/null \
  | python3 -c 'import json,sys; print(round(json.loads(sys.stdin.readline())["fma_peak_gflops"]))')
java=$(RNN4J_DRY_RUN=1 ./rnn4j | head -1)
java_version=$("$java" -version 2>&1 | head -1)
echo "spark_compare: $cpu, fma peak $peak GFLOP/s, $(nproc) cores, $java_version" >&2

record() { # kind contender json-fields...
  python3 - "$stamp" "$cpu" "$peak" "$java_version" "$@" >> "$out" <<'PY'
import json, sys
stamp, cpu, peak, java, kind, who, fields = sys.argv[1:8]
d = {"run": stamp, "cpu": cpu, "fma_peak_gflops": float(peak), "java": java, "kind": kind, "contender": who}
d.update(json.loads(fields))
print(json.dumps(d))
PY
}
seconds() { python3 -c "import time; print(time.monotonic())"; }

# --- scoring -------------------------------------------------------------------------------------------
model=$tmp/agnews
./rnn4j train --data "$data/train.csv" --valid "$data/eval.csv" --out "$model" --json > /dev/null
python3 - "$shared/data/ag_news/test.csv" "$repeat" > "$tmp/texts.txt" <<'PY'
import csv, sys
texts = [(r[1] + " " + r[2]).replace("\n", " ") for r in csv.reader(open(sys.argv[1], encoding="utf-8"))]
for _ in range(int(sys.argv[2])):
    for t in texts:
        print(t)
PY
n=$(wc -l < "$tmp/texts.txt")
echo "scoring $n texts" >&2
score_predict() {
  local t0 t1
  t0=$(seconds)
  ./rnn4j predict --model "$model" --json < "$tmp/texts.txt" > "$tmp/predictions.jsonl"
  t1=$(seconds)
  [ "$(wc -l < "$tmp/predictions.jsonl")" = "$n" ] || { echo "predict gave a wrong count" >&2; exit 1; }
  record score predict "{\"texts\": $n, \"seconds\": $(python3 -c "print($t1 - $t0)")}"
}
score_spark() {
  local t0 t1 summary
  rm -rf "$tmp/scored"
  t0=$(seconds)
  summary=$(./rnn4j spark score --master 'local[2]' --model "$model" --input "$tmp/texts.txt" --input-format text \
    --output "$tmp/scored" --output-format parquet --json)
  t1=$(seconds)
  record score spark "{\"texts\": $n, \"seconds\": $(python3 -c "print($t1 - $t0)"), \"job\": $summary}"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then score_predict; score_spark; else score_spark; score_predict; fi
done

# --- training ------------------------------------------------------------------------------------------
train_one() { # name command...
  local name=$1
  shift
  rm -rf "$tmp/model-$name"
  "$@" --out "$tmp/model-$name" --json > "$tmp/train-$name.jsonl"
  record train "$name" "$(head -1 "$tmp/train-$name.jsonl")"
}
for r in $(seq 1 "$rounds"); do
  train_one process ./rnn4j train --data "$data/train.csv" --valid "$data/eval.csv"
  train_one spark-k1 ./rnn4j spark train --master 'local[2]' --format agnews --data "$data/train.csv" \
    --valid "$data/eval.csv" --sync-every 1
  train_one spark-k8 ./rnn4j spark train --master 'local[2]' --format agnews --data "$data/train.csv" \
    --valid "$data/eval.csv" --sync-every 8
done

python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = lambda xs: statistics.median(xs)
print(f"CPU: {rows[0]['cpu']}, fma peak {rows[0]['fma_peak_gflops']:.0f} GFLOP/s; {rows[0]['java']}; run {rows[0]['run']}")
score = {w: [r for r in rows if r["kind"] == "score" and r["contender"] == w] for w in ("predict", "spark")}
n = score["predict"][0]["texts"]
p = med([r["seconds"] for r in score["predict"]])
s = med([r["seconds"] for r in score["spark"]])
j = med([r["job"]["seconds"] for r in score["spark"]])
print(f"\n| scoring {n:,} texts, 2 cores | wall s | texts/s | vs predict |\n|---|---|---|---|")
print(f"| rnn4j predict | {p:.1f} | {n / p:,.0f} | 1.00x |")
print(f"| rnn4j spark score, local[2] | {s:.1f} | {n / s:,.0f} | {p / s:.2f}x |")
print(f"| (its job alone, Spark started) | {j:.1f} | {n / j:,.0f} | {p / j:.2f}x |")
print("\n| training, AG News split, 1 epoch | samples/s | tokens/s | steps/s | bytes/step | valid accuracy |\n|---|---|---|---|---|---|")
for w in ("process", "spark-k1", "spark-k8"):
    t = [r for r in rows if r["kind"] == "train" and r["contender"] == w]
    sps = med([r["samples_per_s"] for r in t])
    tps = med([r["tokens_per_s"] for r in t])
    steps = med([r.get("steps_per_s", r["steps"] / r["seconds"]) for r in t])
    b = t[0].get("bytes_per_step")
    print(f"| {w} | {sps:,.0f} | {tps:,.0f} | {steps:,.1f} | {'' if b is None else f'{b / 1e6:.1f} MB'} | {t[0]['valid_accuracy']:.4f} |")
PY
echo "results: $out" >&2
