#!/usr/bin/env bash
# Side-by-side speed comparison with PyTorch 2.x (and Debian's 1.13 when installed); see compare.py for the options.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${RNN4J_SHARED:-../shared}
venv=$("$shared/bench/setup_torch2.sh" | tail -1)   # makes the anchor's environment on first use
export RNN4J_BENCH_VENV=$venv
uptime >&2
exec python3 bench/compare.py "$@"
