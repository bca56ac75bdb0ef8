#!/usr/bin/env bash
# Side-by-side speed comparison with PyTorch; see compare.py for the options.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "needs PyTorch: apt-get install -y python3-torch libopenblas0-openmp" >&2
  exit 1
fi
uptime >&2
exec /usr/bin/python3 bench/compare.py "$@"
