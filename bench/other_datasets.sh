#!/usr/bin/env bash
# Trains the lesson's LSTM (defaults, 5 epochs, best epoch kept) on SpamAssassin and the fortunes, seeds 1-3,
# with each data set's test.csv as validation, and prints the README's table rows.
# Usage: bench/other_datasets.sh [DATA_DIR] [OUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${1:-$ROOT/../shared/data}"
OUT="${2:-$ROOT/runs/other}"
mkdir -p "$OUT"
for name in spam_assassin fortunes; do
  for seed in 1 2 3; do
    dir="$OUT/$name-lstm-s$seed"
    "$ROOT/rnn4j" train --data "$DATA/$name/train.csv" --valid "$DATA/$name/test.csv" --epochs 5 --seed "$seed" \
      --out "$dir" --overwrite --json > "$dir.log" 2> "$dir.err"
    "$ROOT/rnn4j" eval --model "$dir" --data "$DATA/$name/test.csv" --json > "$dir.eval.json"
  done
  python3 - "$OUT" "$name" <<'PY'
import json, sys, statistics as st
out, name = sys.argv[1:]
runs = []
for seed in (1, 2, 3):
    ev = json.load(open(f"{out}/{name}-lstm-s{seed}.eval.json"))
    epochs = [json.loads(l) for l in open(f"{out}/{name}-lstm-s{seed}.log") if l.startswith('{"epoch"')]
    runs.append((ev["accuracy"], ev["macro_f1"], st.mean(m["seconds"] for m in epochs)))
print("| %s | %s | %.3f | %.3f | %.0f s |" % (name, " / ".join("%.4f" % r[0] for r in runs),
      st.mean(r[0] for r in runs), st.mean(r[1] for r in runs), st.mean(r[2] for r in runs)))
PY
done
