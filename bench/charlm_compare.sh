#!/usr/bin/env bash
# Character LSTM language model, rnn4j vs PyTorch 2.x side by side; see charlm_compare.py.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${RNN4J_SHARED:-../shared}
export RNN4J_BENCH_VENV=$("$shared/bench/setup_torch2.sh" | tail -1)   # the anchor's environment
uptime >&2
exec python3 bench/charlm_compare.py "$@"
