#!/usr/bin/env python3
"""Copy an rnn4j model directory with its recurrent weight matrices rounded to bf16 (nearest even), to measure
what storing them in bf16 would cost in accuracy (then `rnn4j eval` or `rnn4j predict --json` on both). Usage: bf16_round.py SRC DST [names-substring ...]"""
import json, hashlib, shutil, struct, sys
import numpy as np
src, dst = sys.argv[1], sys.argv[2]
keys = sys.argv[3:] or ["weight_hh", "weight_ih"]
shutil.copytree(src, dst, dirs_exist_ok=True)
raw = open(f"{src}/model.safetensors", "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n]); body = bytearray(raw[8 + n:])
rounded = []
for name, t in header.items():
    if name == "__metadata__" or t["dtype"] != "F32" or not any(k in name for k in keys):
        continue
    a, b = t["data_offsets"]
    x = np.frombuffer(bytes(body[a:b]), dtype="<u4").copy()
    x = ((x + 0x7FFF + ((x >> 16) & 1)) & 0xFFFF0000).astype("<u4")  # round to nearest even
    body[a:b] = x.tobytes(); rounded.append(name)
out = raw[:8 + n] + bytes(body)
open(f"{dst}/model.safetensors", "wb").write(out)
cfg = json.load(open(f"{dst}/config.json"))
cfg["checksums"]["model.safetensors"] = "sha256:" + hashlib.sha256(out).hexdigest()
json.dump(cfg, open(f"{dst}/config.json", "w"), indent=2)
print("rounded to bf16:", rounded)
