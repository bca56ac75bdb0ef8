#!/usr/bin/env bash
# Step-by-step training loss of torch_agnews.py and rnn4j train from the same seed, side by side.
# Usage: tools/pytorch/trajectory/compare.sh [STEPS] [CELL] [SEED]     (defaults: 1006 = one epoch, lstm, 1)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
STEPS="${1:-1006}"; CELL="${2:-lstm}"; SEED="${3:-1}"
DATA="$ROOT/../shared/data/ag_news"
(cd "$ROOT" && mvn -B -q -o compile -pl rnn4j-tasks -am 2>/dev/null || mvn -B -q compile -pl rnn4j-tasks -am)
TMP="$(mktemp -d)"
/usr/bin/python3 "$HERE/torch_steps.py" "$STEPS" "$DATA" --cell "$CELL" --seed "$SEED" | grep -v '^{' > "$TMP/torch.txt"
java --add-modules jdk.incubator.vector -cp "$ROOT/rnn4j-core/target/classes:$ROOT/rnn4j-text/target/classes:$ROOT/rnn4j-tasks/target/classes" \
  "$HERE/StepLosses.java" "$STEPS" "$DATA" "$CELL" "$SEED" 2>/dev/null > "$TMP/rnn4j.txt"
echo "step  PyTorch loss  rnn4j loss  |diff|"
paste "$TMP/torch.txt" "$TMP/rnn4j.txt" | awk '{d = $2 - $4; if (d < 0) d = -d; if (d > max) max = d;
  if (NR <= 3 || NR % 100 == 0) printf "%4d  %.7f     %.7f   %.1e   (max so far %.1e)\n", $1, $2, $4, d, max}'
rm -rf "$TMP"
