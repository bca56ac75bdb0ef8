#!/usr/bin/env python3
"""Dumps what torch_agnews.py draws for a GRU run: the initial weights (torch.manual_seed) and the
per-epoch batch orders (random.shuffle), for seeds FIRST..LAST-1, into /tmp/diag.
Usage: /usr/bin/python3 dump_torch_init.py 1 7"""
import json, os, random, sys
import torch, torch.nn as nn
from safetensors.torch import save_file
n = 16088  # rows of split/train.csv
os.makedirs("/tmp/diag", exist_ok=True)
for seed in range(int(sys.argv[1]), int(sys.argv[2])):
    torch.manual_seed(seed); random.seed(seed)
    emb = nn.Embedding(36329, 64); rnn = nn.GRU(64, 32, batch_first=True); fc = nn.Linear(32, 4)
    sd = {"embedding.weight": emb.weight}
    sd.update({"rnn." + k: v for k, v in rnn.named_parameters()})
    sd.update({"fc." + k: v for k, v in fc.named_parameters()})
    save_file({k: v.detach().contiguous() for k, v in sd.items()}, f"/tmp/diag/init{seed}.safetensors")
    orders = []
    for e in range(3):
        idx = list(range(n)); random.shuffle(idx); orders.append(idx)
    json.dump(orders, open(f"/tmp/diag/orders{seed}.json", "w"))
print("ok")
