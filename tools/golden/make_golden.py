#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that rnn4j's Java tests compare against.

Usage (Debian: apt-get install python3-torch; safetensors from pip):
    /usr/bin/python3 tools/golden/make_golden.py [OUT_DIR]

OUT_DIR defaults to rnn4j-core/src/test/resources/golden. Every file is written with
safetensors.torch.save_file, so the Java reader is tested on files Python produced. The script
also loads java_written.safetensors (written by rnn4j's SafetensorsTest) with safetensors.torch
to prove the other direction.

Each recurrent case holds inputs, weights (PyTorch state_dict names under "rnn."), outputs,
final states and the gradient of
    loss = sum(out * g_out) + sum(h_n * g_h_n) [+ sum(c_n * g_c_n)]
with respect to the input, the initial states and every parameter ("grad.<name>").
Padded input steps hold random values: a correct implementation never reads them. Values are
reproducible (one thread); safetensors may order the header keys differently from run to run.
"""
import os
import sys

import torch
import torch.nn as nn
from safetensors.torch import save_file, load_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "rnn4j-core", "src", "test", "resources", "golden")

CELLS = {"rnn_tanh": (nn.RNN, {"nonlinearity": "tanh"}),
         "rnn_relu": (nn.RNN, {"nonlinearity": "relu"}),
         "lstm": (nn.LSTM, {}),
         "gru": (nn.GRU, {})}


def meta(**kw):
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in kw.items()}


def recurrent_case(name, cell, layers, bidir, mixed, B=5, T=6, I=4, H=5, seed=0):
    torch.manual_seed(seed)
    cls, extra = CELLS[cell]
    rnn = cls(I, H, num_layers=layers, bidirectional=bidir, batch_first=True, **extra)
    D = 2 if bidir else 1
    lengths = torch.tensor([4, 6, 1, 4, 2][:B] if B == 5 else
                           [T, 3, 1, T - 2, 2, T - 1][:B]) if mixed else torch.full((B,), T)
    lengths = lengths.clamp(max=T)
    x = torch.randn(B, T, I, requires_grad=True)
    h0 = (0.5 * torch.randn(layers * D, B, H)).requires_grad_()
    c0 = (0.5 * torch.randn(layers * D, B, H)).requires_grad_() if cell == "lstm" else None
    state = (h0, c0) if cell == "lstm" else h0
    if mixed:
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out_p, hn = rnn(packed, state)
        out, _ = nn.utils.rnn.pad_packed_sequence(out_p, batch_first=True, total_length=T)
    else:
        out, hn = rnn(x, state)
    h_n, c_n = (hn if cell == "lstm" else (hn, None))
    g_out = torch.randn_like(out)
    g_h_n = torch.randn_like(h_n)
    loss = (out * g_out).sum() + (h_n * g_h_n).sum()
    t = {}
    if c_n is not None:
        g_c_n = torch.randn_like(c_n)
        loss = loss + (c_n * g_c_n).sum()
        t["g_c_n"] = g_c_n
    loss.backward()
    t.update({"x": x.detach(), "lengths": lengths.to(torch.int64), "h0": h0.detach(),
              "out": out.detach(), "h_n": h_n.detach(), "g_out": g_out, "g_h_n": g_h_n,
              "grad.x": x.grad, "grad.h0": h0.grad, "loss": loss.detach().reshape(1)})
    if c_n is not None:
        t.update({"c0": c0.detach(), "c_n": c_n.detach(), "grad.c0": c0.grad})
    for pname, p in rnn.named_parameters():
        t["rnn." + pname] = p.detach()
        t["grad.rnn." + pname] = p.grad
    save(name, t, meta(cell=cell, layers=layers, bidirectional=bidir, input_size=I,
                       hidden_size=H, batch=B, T=T))


class Classifier(nn.Module):
    """Embedding -> recurrent stack -> pooling -> Linear, as rnn4j's ClassifierNet."""

    def __init__(self, cell, V, E, H, layers, bidir, pooling, C, padding_idx=None):
        super().__init__()
        cls, extra = CELLS[cell]
        self.embedding = nn.Embedding(V, E, padding_idx=padding_idx)
        self.rnn = cls(E, H, num_layers=layers, bidirectional=bidir, batch_first=True, **extra)
        self.fc = nn.Linear(H * (2 if bidir else 1), C)
        self.cell, self.bidir, self.pooling = cell, bidir, pooling

    def forward(self, tokens, lengths):
        p = nn.utils.rnn.pack_padded_sequence(self.embedding(tokens), lengths, batch_first=True,
                                              enforce_sorted=False)
        o, h = self.rnn(p)
        if self.pooling == "mean":
            o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True)
            feat = o.sum(1) / lengths.unsqueeze(1).to(o.dtype)
        else:
            h = h[0] if self.cell == "lstm" else h
            feat = torch.cat([h[-2], h[-1]], 1) if self.bidir else h[-1]
        return self.fc(feat)


def spec(net):
    return dict(cell=net.cell, vocabulary=net.embedding.num_embeddings,
                embed=net.embedding.embedding_dim, hidden=net.rnn.hidden_size,
                layers=net.rnn.num_layers, bidirectional=net.bidir, pooling=net.pooling,
                classes=net.fc.out_features,
                padding_index=-1 if net.embedding.padding_idx is None else net.embedding.padding_idx)


def batch(g, B, T, V, pad=1):
    lengths = torch.randint(1, T + 1, (B,), generator=g)
    lengths[0] = T
    tokens = torch.randint(2, V, (B, T), generator=g)
    for b in range(B):
        tokens[b, lengths[b]:] = pad
    labels = torch.randint(0, 4, (B,), generator=g)
    return tokens, lengths, labels


def classifier_case(name, cell, layers, bidir, pooling, padding_idx=None, seed=1, V=30, E=8, H=7, B=5, T=7):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    net = Classifier(cell, V, E, H, layers, bidir, pooling, 4, padding_idx)
    tokens, lengths, labels = batch(g, B, T, V)
    if padding_idx is not None:
        tokens[2, 0] = padding_idx  # a padding token inside a sequence: its row gets no gradient
    logits = net(tokens, lengths)
    loss = nn.functional.cross_entropy(logits, labels)
    loss.backward()
    t = {"tokens": tokens, "lengths": lengths, "labels": labels, "logits": logits.detach(),
         "loss": loss.detach().reshape(1)}
    for pname, p in net.named_parameters():
        t[pname] = p.detach()
        t["grad." + pname] = p.grad
    save(name, t, meta(**spec(net)))


class LanguageModel(nn.Module):
    """Embedding -> unidirectional recurrent stack -> per-step Linear, as rnn4j's LanguageModelNet."""

    def __init__(self, cell, V, E, H, layers):
        super().__init__()
        cls, extra = CELLS[cell]
        self.embedding = nn.Embedding(V, E)
        self.rnn = cls(E, H, num_layers=layers, batch_first=True, **extra)
        self.fc = nn.Linear(H, V)
        self.cell = cell

    def forward(self, tokens, state=None):
        o, state = self.rnn(self.embedding(tokens), state)
        return self.fc(o), state


def lm_case(name, cell, layers, seed, V=23, E=6, H=9, B=3, T=5, windows=2):
    """Truncated BPTT as torch_charlm.py: windows of T steps, the state carried and detached."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    net = LanguageModel(cell, V, E, H, layers)
    ids = torch.randint(0, V, (B, windows * T + 1), generator=g)
    t = {"ids": ids}
    for k, v in net.named_parameters():
        t[k] = v.detach().clone()
    state = None
    for w in range(windows):
        x, y = ids[:, w * T:(w + 1) * T], ids[:, w * T + 1:(w + 1) * T + 1]
        net.zero_grad()
        out, state = net(x, state)
        loss = nn.functional.cross_entropy(out.reshape(-1, V), y.reshape(-1))
        loss.backward()
        state = tuple(s.detach() for s in state) if cell == "lstm" else state.detach()
        t[f"w{w}.logits"] = out.detach()
        t[f"w{w}.loss"] = loss.detach().reshape(1)
        for k, v in net.named_parameters():
            t[f"w{w}.grad.{k}"] = v.grad.clone()
    h_n, c_n = state if cell == "lstm" else (state, None)
    t["h_n"] = h_n
    if c_n is not None:
        t["c_n"] = c_n
    save(name, t, meta(cell=cell, vocabulary=V, embed=E, hidden=H, layers=layers, batch=B, steps=T,
                       windows=windows))


def optimizer_case(name, make_opt, clip=None, steps=20, seed=2):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    net = Classifier("lstm", 30, 8, 7, 1, False, "last", 4)
    batches = [batch(g, 4, 6, 30) for _ in range(4)]
    t = {"init." + k: v.detach().clone() for k, v in net.named_parameters()}
    opt = make_opt(net.parameters())
    losses, norms = [], []
    for s in range(steps):
        tokens, lengths, labels = batches[s % len(batches)]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(net(tokens, lengths), labels)
        loss.backward()
        if clip is not None:
            norms.append(float(nn.utils.clip_grad_norm_(net.parameters(), clip)))
        opt.step()
        losses.append(loss.item())
    for i, (tokens, lengths, labels) in enumerate(batches):
        t[f"batch{i}.tokens"], t[f"batch{i}.lengths"], t[f"batch{i}.labels"] = tokens, lengths, labels
    t["losses"] = torch.tensor(losses)
    if norms:
        t["grad_norms"] = torch.tensor(norms)
    for k, v in net.named_parameters():
        t["final." + k] = v.detach()
    save(name, t, meta(steps=steps, batches=len(batches), clip=clip or 0, **spec(net)))


def random_case(name):
    """What torch.manual_seed(s) and random.seed(s) draw, for rnn4j's TorchGenerator and PythonRandom:
    uniform_ and normal_ of several sizes (normal_ has a separate path below 16
    elements and recomputes a partial last block of 16), the initial parameters of the classifier and
    language model exactly as torch_agnews.py / torch_charlm.py build them, and random.shuffle orders
    of three consecutive epochs."""
    import random
    t = {}
    for seed in (0, 1, 3, 2**40 + 7, -1):
        torch.manual_seed(seed)
        t[f"s{seed}.uniform_5"] = torch.empty(5).uniform_(-0.25, 0.75)
        t[f"s{seed}.normal_5"] = torch.empty(5).normal_()
        t[f"s{seed}.normal_16"] = torch.empty(16).normal_(0.5, 2.0)
        t[f"s{seed}.normal_37"] = torch.empty(37).normal_()
        t[f"s{seed}.normal_3"] = torch.empty(3).normal_()
        t[f"s{seed}.uniform_1000"] = torch.empty(1000).uniform_(-1 / 3 ** 0.5, 1 / 3 ** 0.5)
        t[f"s{seed}.normal_4099"] = torch.empty(4099).normal_()
        random.seed(seed)
        for epoch in (1, 2, 3):
            idx = list(range(1000))
            random.shuffle(idx)
            t[f"s{seed}.shuffle_1000_epoch{epoch}"] = torch.tensor(idx, dtype=torch.int64)
    nets = {"gru_l1": ("gru", 1, False, None), "lstm_l2_bi": ("lstm", 2, True, None),
            "rnn_l1_pad": ("rnn_tanh", 1, False, 1)}
    for key, (cell, layers, bidir, pad) in nets.items():
        torch.manual_seed(5)
        net = Classifier(cell, 50, 12, 9, layers, bidir, "last", 4, pad)
        for pname, p in net.named_parameters():
            t[f"init.{key}.{pname}"] = p.detach()
    torch.manual_seed(6)
    lm = LanguageModel("lstm", 41, 10, 12, 2)
    for pname, p in lm.named_parameters():
        t[f"init.lm_lstm_l2.{pname}"] = p.detach()
    save(name, t, meta(seeds="0,1,3," + str(2**40 + 7) + ",-1"))


def save(name, tensors, metadata):
    tensors = {k: v.contiguous() for k, v in tensors.items()}
    path = os.path.join(OUT, name + ".safetensors")
    save_file(tensors, path, metadata=metadata)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def check_java_written():
    path = os.path.join(OUT, "java_written.safetensors")
    if not os.path.exists(path):
        print("java_written.safetensors not found yet (run the Java tests first)")
        return
    t = load_file(path)
    assert t["weights"].dtype == torch.float32 and list(t["weights"].shape) == [2, 3]
    assert torch.equal(t["weights"], torch.tensor([[0.5, -1.25, 3.0], [1e-3, -0.0, 65504.0]]))
    assert t["ids"].dtype == torch.int64 and t["ids"].tolist() == [0, -1, 1 << 40]
    print(f"{path} loads in Python safetensors {__import__('safetensors').__version__}: OK")


def main():
    torch.set_num_threads(1)  # reproducible reductions, so regenerated fixtures are byte-identical
    os.makedirs(OUT, exist_ok=True)
    for cell in CELLS:
        for layers in (1, 2):
            for bidir in (False, True):
                for mixed in (False, True):
                    name = f"{cell}_l{layers}_{'bi' if bidir else 'uni'}_{'mixed' if mixed else 'equal'}"
                    recurrent_case(name, cell, layers, bidir, mixed)
    # Wider shapes so that both the vector body and the scalar tail of every kernel run.
    # (H = 17 gives one 16-lane vector plus a tail; gate GEMMs get wide and narrow panels.)
    recurrent_case("lstm_l2_bi_mixed_wide", "lstm", 2, True, True, B=6, T=7, I=18, H=17, seed=3)
    recurrent_case("gru_l1_bi_mixed_wide", "gru", 1, True, True, B=6, T=7, I=18, H=17, seed=4)
    recurrent_case("rnn_tanh_l1_uni_mixed_wide", "rnn_tanh", 1, False, True, B=6, T=7, I=18, H=33, seed=5)
    classifier_case("classifier_lstm_last", "lstm", 1, False, "last")
    classifier_case("classifier_gru_bi2_mean", "gru", 2, True, "mean", padding_idx=1)
    classifier_case("classifier_rnn_mean", "rnn_tanh", 1, False, "mean")
    # The lesson's sizes (embedding 64, hidden 32, batch 16): full vectors and the batch split over threads.
    classifier_case("classifier_gru_lesson", "gru", 1, False, "last", V=40, E=64, H=32, B=16, T=30, seed=5)
    classifier_case("classifier_lstm_lesson", "lstm", 1, False, "last", V=40, E=64, H=32, B=16, T=30, seed=6)
    lm_case("lm_lstm_l2", "lstm", 2, seed=7)
    lm_case("lm_gru_l1", "gru", 1, seed=8, H=17)
    lm_case("lm_rnn_l1", "rnn_tanh", 1, seed=9)
    optimizer_case("adam_20_steps", lambda p: torch.optim.Adam(p, lr=1e-2))
    optimizer_case("adamw_20_steps_clip", lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.1),
                   clip=0.5)
    optimizer_case("sgd_momentum_20_steps", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9))
    random_case("random_draws")
    check_java_written()


if __name__ == "__main__":
    main()
