#!/usr/bin/env bash
# Translation against PyTorch 2.x, side by side in one run on the same cores (issue 24).
#   speed:    training tokens/s of `rnn4j train-seq2seq` and ../shared/bench/torch_seq2seq.py on the freedict
#             German-English pairs with the script's recipe (epoch 2 of 2, so both are warm), rounds alternating
#             the order; then translating the 867 validation sentences with one trained model: rnn4j greedy and
#             beam 5 (`eval-seq2seq --repeats`), PyTorch greedy (bench/seq2seq_decode.py loads the same weights),
#             in rounds alternating the order; the summary gives medians of the rounds.
#   accuracy: the recipe's 15 epochs for seeds 1..3 on both sides: the best epoch's validation BLEU (greedy),
#             and rnn4j's beam-5 BLEU of its best model.
#
# Usage: bench/seq2seq_compare.sh speed [--rounds N] [--model DIR] | accuracy [--seeds "1 2 3"] [--epochs 15]
# Writes bench/results/seq2seq-<mode>-<UTC time>.jsonl and prints the figures for BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${RNN4J_SHARED:-$root/../shared}
venv=${RNN4J_TORCH_VENV:-$HOME/.cache/rnn4j/bench-venv}
mode=${1:-}
shift || true
rounds=2
seeds="1 2 3"
epochs=15
model=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    *) echo "seq2seq_compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$mode" in speed|accuracy) ;; *) echo "usage: bench/seq2seq_compare.sh speed|accuracy [options]" >&2; exit 2 ;; esac
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stamp=$(date -u +%Y-%m-%dT%H%MZ)
out=bench/results/seq2seq-$mode-$stamp.jsonl
mkdir -p bench/results
data=$shared/data/freedict_deu_eng
py=$venv/bin/python

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
family=$(lscpu | sed -n 's/^CPU family: *//p' | head -1)
cpumodel=$(lscpu | sed -n 's/^Model: *//p' | head -1)
peak=$(./rnn4j bench --workload W1 --mode infer --seconds 1 --repeats 1 --json 2>/dev/null \
  | python3 -c 'import json,sys; print(round(json.loads(sys.stdin.readline())["fma_peak_gflops"]))')
java=$(RNN4J_DRY_RUN=1 ./rnn4j | head -1)
java_version=$("$java" -version 2>&1 | head -1)
torch_version=$("$py" -c 'import torch; print(torch.__version__)')
echo "seq2seq_compare $mode: $cpu (family $family model $cpumodel), fma peak $peak GFLOP/s, $(nproc) cores," \
  "$java_version, torch $torch_version" >&2

record() { # kind contender json-fields
  python3 - "$stamp" "$cpu (family $family model $cpumodel)" "$peak" "$java_version" "$torch_version" "$@" >> "$out" <<'PY'
import json, sys
stamp, cpu, peak, java, torch, kind, who, fields = sys.argv[1:9]
d = {"run": stamp, "cpu": cpu, "fma_peak_gflops": float(peak), "java": java, "torch": torch, "kind": kind,
     "contender": who}
d.update(json.loads(fields))
print(json.dumps(d))
PY
}
last_json() { grep '^{' | tail -1; }

train_rnn4j() { # seed epochs dir
  ./rnn4j train-seq2seq --data "$data/train.tsv" --valid "$data/valid.tsv" --seed "$1" --epochs "$2" \
    --out "$3" --overwrite --json
}
train_torch() { # seed epochs
  "$py" "$shared/bench/torch_seq2seq.py" "$data/train.tsv" "$data/valid.tsv" --seed "$1" --epochs "$2" --threads 2 \
    2>/dev/null
}

if [ "$mode" = speed ]; then
  for r in $(seq 1 "$rounds"); do
    for who in rnn4j torch; do
      [ $((r % 2)) -eq 0 ] && who=$([ "$who" = rnn4j ] && echo torch || echo rnn4j)
      if [ "$who" = rnn4j ]; then
        line=$(train_rnn4j 1 2 "$tmp/speed" | grep '"epoch":2' | head -1)
        tps=$(echo "$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tokens_per_s"])')
      else
        line=$(train_torch 1 2 | grep '"epoch": 2')
        tps=$(echo "$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["train_tokens_per_s"])')
      fi
      record train "$who" "{\"round\": $r, \"tokens_per_s\": $tps}"
      echo "round $r train $who: $tps tokens/s" >&2
    done
  done
  if [ -z "$model" ]; then
    model=$tmp/model
    train_rnn4j 1 "$epochs" "$model" > /dev/null
  fi
  # Translation rounds alternate the order too: this machine's speed drifts by tens of percent over minutes.
  for r in $(seq 1 "$rounds"); do
    for who in rnn4j torch; do
      [ $((r % 2)) -eq 0 ] && who=$([ "$who" = rnn4j ] && echo torch || echo rnn4j)
      if [ "$who" = rnn4j ]; then
        for beam in 1 5; do
          line=$(./rnn4j eval-seq2seq --model "$model" --data "$data/valid.tsv" --beam "$beam" --repeats 3 --json)
          record translate "rnn4j-beam$beam" "{\"round\": $r, \"result\": $line}"
          echo "round $r translate rnn4j beam $beam: $line" >&2
        done
      else
        line=$("$py" bench/seq2seq_decode.py "$model" "$data/valid.tsv" --batch 64 --threads 2 --repeats 3 2>/dev/null \
          | last_json)
        record translate "torch-greedy" "{\"round\": $r, \"result\": $line}"
        echo "round $r translate torch greedy: $line" >&2
      fi
    done
  done
else
  for seed in $seeds; do
    dir=$tmp/acc-$seed
    best=$(train_rnn4j "$seed" "$epochs" "$dir" | last_json)
    beam=$(./rnn4j eval-seq2seq --model "$dir" --data "$data/valid.tsv" --beam 5 --json)
    record accuracy rnn4j "{\"seed\": $seed, \"summary\": $best, \"beam5\": $beam}"
    echo "seed $seed rnn4j: $best; beam 5: $beam" >&2
    curve=$(train_torch "$seed" "$epochs" | grep '"epoch"' | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
best = max(rows, key=lambda r: r["valid_bleu"])
print(json.dumps({"best_epoch": best["epoch"], "valid_bleu": best["valid_bleu"], "epochs": rows}))')
    record accuracy torch "{\"seed\": $seed, \"summary\": $curve}"
    echo "seed $seed torch: $(echo "$curve" | cut -c1-80)" >&2
  done
fi
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"results: {sys.argv[1]}")
train = {}
for r in rows:
    if r["kind"] == "train":
        train.setdefault(r["contender"], []).append(r["tokens_per_s"])
if train:
    med = {k: statistics.median(v) for k, v in train.items()}
    print(f"training tokens/s (median): rnn4j {med['rnn4j']:.0f}, torch {med['torch']:.0f}, ratio {med['rnn4j'] / med['torch']:.2f}x")
tr = {}
for r in rows:
    if r["kind"] == "translate":
        res = r.get("result", r)  # runs before 2026-12-07T19 kept one unnamed result per contender
        tr.setdefault(r["contender"], []).append(res)
if tr:
    t = statistics.median(x["seconds"] for x in tr["torch-greedy"])
    for k in ("rnn4j-beam1", "rnn4j-beam5"):
        s = statistics.median(x["translate_seconds"] for x in tr[k])
        per_round = ", ".join(f"{a['seconds'] / b['translate_seconds']:.2f}x"
                              for a, b in zip(tr["torch-greedy"], tr[k]))
        print(f"translate valid (median of rounds): {k} {s:.3f} s (BLEU {tr[k][0]['bleu']:.2f}), torch greedy {t:.3f} s "
              f"(BLEU {tr['torch-greedy'][0]['bleu']:.2f}): {t / s:.2f}x; by round {per_round}")
acc = [r for r in rows if r["kind"] == "accuracy"]
if acc:
    ours = [r["summary"]["best"]["valid_bleu"] for r in acc if r["contender"] == "rnn4j"]
    beam = [r["beam5"]["bleu"] for r in acc if r["contender"] == "rnn4j"]
    theirs = [r["summary"]["valid_bleu"] for r in acc if r["contender"] == "torch"]
    print(f"validation BLEU, mean of seeds: rnn4j greedy {statistics.mean(ours):.2f} {ours}, beam 5 {statistics.mean(beam):.2f} {beam}; torch {statistics.mean(theirs):.2f} {theirs}")
PY
