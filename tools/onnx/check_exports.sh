#!/usr/bin/env bash
# Exports classifiers with `rnn4j export` and runs the ONNX checker on each file (full check: shape
# inference included), then ONNX Runtime's Python API on one text. The Java tests run ONNX Runtime
# themselves (rnn4j-onnx's OnnxExportTest); this script adds the checker, which exists only in Python.
# Usage: tools/onnx/check_exports.sh [MODEL_DIR...]   (default: the format-v1 fixture and runs/demo if present)
# Needs the anchors' Python environment: ../shared/bench/setup_torch2.sh (it has onnx and onnxruntime).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
venv=$("${RNN4J_SHARED:-$root/../shared}/bench/setup_torch2.sh" | tail -1)
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(rnn4j-tasks/src/test/resources/format-v1/classifier
  rnn4j-tasks/src/test/resources/format-v1/lm $( [ -d runs/demo ] && echo runs/demo ))
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for m in "${models[@]}"; do
  out="$tmp/$(basename "$m").onnx"
  ./rnn4j export --model "$m" --onnx "$out" >/dev/null
  "$venv/bin/python" - "$out" <<'PY'
import json, sys
import numpy as np, onnx, onnxruntime as ort
path = sys.argv[1]
model = onnx.load(path)
onnx.checker.check_model(model, full_check=True)
meta = {p.key: p.value for p in model.metadata_props}
s = ort.InferenceSession(path)
ids = np.array([[2, 3, 4, 1]], dtype=np.int64)
name = path.split('/')[-1]
if meta["rnn4j_task"] == "language_model":
    feeds = {"ids": ids}
    for i in s.get_inputs()[1:]:  # h0 (and c0): a zero state
        feeds[i.name] = np.zeros([i.shape[0], 1, i.shape[2]], dtype=np.float32)
    logits = s.run(["logits"], feeds)[0]
    print(f"{name}: onnx {onnx.__version__} full check passed; opset {model.opset_import[0].version}; "
          f"language model, logits {list(logits.shape)}")
else:
    p = s.run(["probabilities"], {"ids": ids, "lengths": np.array([3], dtype=np.int64)})[0]
    print(f"{name}: onnx {onnx.__version__} full check passed; opset {model.opset_import[0].version}; "
          f"classes {json.loads(meta['classes'])}; probabilities sum {p.sum():.6f}")
PY
done
