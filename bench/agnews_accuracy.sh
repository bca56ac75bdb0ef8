#!/usr/bin/env bash
# Trains the lesson's AG News models with rnn4j for seeds 1, 2, 3 (5 epochs, best epoch kept) and
# prints the README's results table. Usage: bench/agnews_accuracy.sh [DATA_DIR] [OUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data/ag_news}"
OUT="${2:-$ROOT/runs/agnews}"
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

configs=(
  "rnn-mean|--cell rnn --pooling mean"
  "rnn-last|--cell rnn --pooling last"
  "lstm|--cell lstm"
  "gru|--cell gru"
  "bilstm2|--cell lstm --layers 2 --bidirectional --embed 128 --hidden 64"
)
for entry in "${configs[@]}"; do
  name="${entry%%|*}"
  flags="${entry#*|}"
  for seed in 1 2 3; do
    dir="$OUT/$name-seed$seed"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$ROOT/rnn4j" train --data "$DATA/split/train.csv" --format agnews --valid "$DATA/split/eval.csv" \
      --epochs 5 --seed "$seed" --out "$dir" --overwrite $flags --json > "$dir.log" 2> "$dir.err"
    end=$(date +%s.%N)
    eval_json=$("$ROOT/rnn4j" eval --model "$dir" --data "$DATA/split/eval.csv" --json)
    python3 - "$name" "$seed" "$start" "$end" "$dir.log" "$eval_json" >> "$RESULTS" <<'PY'
import json, sys
name, seed, start, end, log, ev = sys.argv[1:]
epochs = [json.loads(l) for l in open(log) if l.startswith('{"epoch"')]
ev = json.loads(ev)
best = max(epochs, key=lambda m: (m["valid_accuracy"], -m["valid_loss"]))
print(json.dumps({"config": name, "seed": int(seed), "best_epoch": best["epoch"], "accuracy": ev["accuracy"],
                  "macro_f1": ev["macro_f1"], "train_seconds": sum(m["seconds"] for m in epochs),
                  "wall_seconds": float(end) - float(start),
                  "tokens_per_s": sum(m["tokens_per_s"] for m in epochs) / len(epochs)}))
PY
    tail -1 "$RESULTS"
  done
done

python3 - "$RESULTS" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
print("\n| config | accuracy (seeds 1/2/3) | mean accuracy | mean macro-F1 | best epochs | train s/run | tokens/s |")
print("|---|---|---:|---:|---|---:|---:|")
for name in dict.fromkeys(r["config"] for r in rows):
    rs = [r for r in rows if r["config"] == name]
    accs = " / ".join("%.4f" % r["accuracy"] for r in rs)
    epochs = ", ".join(str(r["best_epoch"]) for r in rs)
    print("| %s | %s | %.4f | %.4f | %s | %.1f | %s |" % (
        name, accs, st.mean(r["accuracy"] for r in rs), st.mean(r["macro_f1"] for r in rs), epochs,
        st.mean(r["train_seconds"] for r in rs), format(round(st.mean(r["tokens_per_s"] for r in rs)), ",")))
PY
