#!/usr/bin/env python3
"""Writes the PyTorch fixtures of rnn4j's encoder-decoder (org.rnn4j.network.Seq2SeqNet).

Usage, with the anchor environment of ../shared/bench/setup_torch2.sh plus safetensors:
    ~/.cache/rnn4j/bench-venv/bin/pip install safetensors
    ~/.cache/rnn4j/bench-venv/bin/python tools/golden/make_seq2seq_golden.py [OUT_DIR]

OUT_DIR defaults to rnn4j-core/src/test/resources/golden. The model is ../shared/bench/torch_seq2seq.py's
(GRU encoder, additive attention over the encoder outputs with padding masked, decoder input
[embedding ; context], decoder state from the encoder's final state) generalised as rnn4j defines it:
LSTM cells, stacked layers, a bidirectional encoder joined to the decoder by a bridge
(h0 = tanh(bridge([forward ; reverse])), c0 = bridge_cell([forward ; reverse])), and the attention kinds
additive, dot (q . m_s), general (q . W m_s, no bias) and none (the context is the encoder's top final
state). Each case holds the batch, every parameter, the teacher-forced logits (B, T, V), the
cross-entropy (mean over target tokens, padding ignored, optional label smoothing) and the gradient of
that loss with respect to every parameter ("grad.<name>"). Sources and targets have mixed lengths,
including 1. Two decoding cases hold a small model trained (here, in PyTorch) to reverse sequences and the
greedy and beam-search outputs and scores of held-out sources, from a plain one-sentence-at-a-time beam
search written to rnn4j's definition (beam_search below).
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "rnn4j-core", "src", "test", "resources", "golden")
PAD = 1
CELLS = {"gru": nn.GRU, "lstm": nn.LSTM}


class Seq2Seq(nn.Module):
    def __init__(s, cell, vs, vt, e, h, layers, bidir, attention, tied=False):
        super().__init__()
        rnn = CELLS[cell]
        k = h * (2 if bidir else 1)
        s.cell, s.layers, s.bidir, s.attention, s.h = cell, layers, bidir, attention, h
        s.src_emb = nn.Embedding(vs, e)
        s.encoder = rnn(e, h, num_layers=layers, bidirectional=bidir, batch_first=True)
        s.tgt_emb = nn.Embedding(vt, e)
        if attention == "additive":
            s.attn_q = nn.Linear(h, h)
            s.attn_k = nn.Linear(k, h)
            s.attn_v = nn.Linear(h, 1)
        elif attention == "general":
            s.attn_w = nn.Linear(k, h, bias=False)
        s.decoder = rnn(e + k, h, num_layers=layers, batch_first=True)
        s.out = nn.Linear(h, vt)
        if tied:
            s.out.weight = s.tgt_emb.weight  # after out's own weight was drawn, as rnn4j draws and drops it
        if bidir:
            s.bridge = nn.Linear(2 * h, h)
            if cell == "lstm":
                s.bridge_cell = nn.Linear(2 * h, h)

    def encode(s, src, lens):
        packed = nn.utils.rnn.pack_padded_sequence(s.src_emb(src), lens, batch_first=True, enforce_sorted=False)
        o, hn = s.encoder(packed)
        o, _ = nn.utils.rnn.pad_packed_sequence(o, batch_first=True, total_length=src.size(1))
        hn, cn = hn if s.cell == "lstm" else (hn, None)
        d = 2 if s.bidir else 1
        if s.attention == "none":  # one memory position: the top layer's final states
            top = hn.view(s.layers, d, -1, s.h)[-1]
            o = torch.cat(list(top), 1).unsqueeze(1)
            mask = torch.ones(o.size(0), 1, dtype=torch.bool)
        else:
            mask = torch.arange(src.size(1)).unsqueeze(0) < lens.unsqueeze(1)
        if s.bidir:
            join = lambda x: torch.cat([x.view(s.layers, 2, -1, s.h)[:, 0], x.view(s.layers, 2, -1, s.h)[:, 1]], 2)
            h0 = torch.tanh(s.bridge(join(hn)))
            c0 = s.bridge_cell(join(cn)) if cn is not None else None
        else:
            h0, c0 = hn, cn
        keys = {"additive": lambda: s.attn_k(o), "general": lambda: s.attn_w(o)}.get(s.attention, lambda: o)()
        return o, (h0, c0) if s.cell == "lstm" else h0, keys, mask

    def step(s, y, state, enc, keys, mask):
        h = state[0] if s.cell == "lstm" else state
        q = h[-1]
        if s.attention == "additive":
            score = s.attn_v(torch.tanh(s.attn_q(q).unsqueeze(1) + keys)).squeeze(2)
        elif s.attention == "none":
            score = torch.zeros(mask.shape)
        else:
            score = torch.bmm(keys, q.unsqueeze(2)).squeeze(2)
        w = F.softmax(score.masked_fill(~mask, float("-inf")), dim=1)
        ctx = torch.bmm(w.unsqueeze(1), enc)
        o, state = s.decoder(torch.cat([s.tgt_emb(y).unsqueeze(1), ctx], 2), state)
        return s.out(o.squeeze(1)), state, w

    def forward(s, src, lens, tgt_in):
        enc, state, keys, mask = s.encode(src, lens)
        logits = []
        for t in range(tgt_in.size(1)):
            lo, state, _ = s.step(tgt_in[:, t], state, enc, keys, mask)
            logits.append(lo)
        return torch.stack(logits, 1)


def case(name, cell, attention, layers, bidir, smoothing=0.0, seed=3, vs=13, vt=11, e=6, h=5, tied=False):
    torch.manual_seed(seed)
    net = Seq2Seq(cell, vs, vt, e, h, layers, bidir, attention, tied)
    src_len = torch.tensor([4, 6, 1, 3])
    tgt_len = torch.tensor([2, 1, 5, 3])  # target tokens; the decoder runs len + 1 steps (bos .. / .. eos)
    B, S, T = 4, 6, 6
    src = torch.full((B, S), PAD, dtype=torch.long)
    tin = torch.full((B, T), PAD, dtype=torch.long)
    tout = torch.full((B, T), PAD, dtype=torch.long)
    for b in range(B):
        src[b, :src_len[b]] = torch.randint(4, vs, (int(src_len[b]),))
        words = torch.randint(4, vt, (int(tgt_len[b]),))
        tin[b, 0] = 2
        tin[b, 1:tgt_len[b] + 1] = words
        tout[b, :tgt_len[b]] = words
        tout[b, tgt_len[b]] = 3
    logits = net(src, src_len, tin)
    loss = F.cross_entropy(logits.reshape(-1, vt), tout.reshape(-1), ignore_index=PAD, label_smoothing=smoothing)
    loss.backward()
    t = {"src": src, "src_len": src_len, "tgt_in": tin, "tgt_out": tout, "tgt_len": tgt_len + 1,
         "logits": logits.detach(), "loss": loss.detach().reshape(1)}
    for pname, p in net.named_parameters():
        t[pname] = p.detach()
        t["grad." + pname] = p.grad
    meta = {"cell": cell, "attention": attention, "layers": str(layers), "bidirectional": str(bidir).lower(),
            "embed": str(e), "hidden": str(h), "source_vocabulary": str(vs), "target_vocabulary": str(vt),
            "label_smoothing": str(smoothing), "tied_embeddings": str(tied).lower()}
    os.makedirs(OUT, exist_ok=True)
    save_file({k: v.contiguous() for k, v in t.items()}, os.path.join(OUT, name + ".safetensors"), metadata=meta)
    print(name, loss.item())


def log_probs(logits):
    """log-softmax as rnn4j's BeamSearch computes it: float logits, the normaliser in double."""
    x = logits.double()
    m = x.max()
    return x - (m + torch.log(torch.exp(x - m).sum()))


def lp(length, alpha):
    return 1.0 if alpha == 0 else ((5.0 + length) / 6.0) ** alpha


@torch.no_grad()
def beam_search(net, src, n, k, alpha, max_len, bos=2, eos=3):
    """Beam search as rnn4j defines it (org.rnn4j.network.BeamSearch), one sentence, written plainly: the
    2K best candidates (ties: earlier hypothesis, lower token); an eos among the first K finishes, the first
    K others go on; stop once K are finished and no unfinished one can beat the K-th best of them (its score
    over the longest length's penalty), or at max_len where the unfinished ones finish without eos; the
    result is the finished hypothesis of best score / lp(length)."""
    enc, state, keys, mask = net.encode(src[None, :n], torch.tensor([n]))
    alive = [(0.0, [], state)]
    done = []
    for step in range(max_len):
        cands = []
        for hi, (score, toks, st) in enumerate(alive):
            y = torch.tensor([bos if not toks else toks[-1]])
            lo, st2, _ = net.step(y, st, enc, keys, mask)
            lp_ = log_probs(lo[0])
            for tok in range(lo.size(1)):
                cands.append((score + float(lp_[tok]), hi, tok, st2))
        cands.sort(key=lambda c: (-c[0], c[1], c[2]))
        top = cands[: 2 * k]
        last = step + 1 >= max_len
        nxt, taken = [], 0
        for c, (sc, hi, tok, st2) in enumerate(top):
            is_eos = tok == eos
            if (is_eos and c >= k) or (not is_eos and taken == k):
                continue
            toks = alive[hi][1] + [tok]
            if is_eos or last:
                done.append((sc, toks, is_eos))
                if not is_eos:
                    taken += 1
            else:
                nxt.append((sc, toks, st2))
                taken += 1
        if not nxt:
            break
        if not last and len(done) >= k:
            norms = sorted(d[0] / lp(len(d[1]), alpha) for d in done)
            if max(a[0] for a in nxt) / lp(max_len, alpha) <= norms[len(norms) - k]:
                break
        alive = nxt
    best = max(range(len(done)), key=lambda i: (done[i][0] / lp(len(done[i][1]), alpha), -i))
    sc, toks, is_eos = done[best]
    return (toks[:-1] if is_eos else toks), sc, is_eos


def decoding_case(name, cell="gru", attention="additive", seed=11):
    """A small model trained to reverse sequences, then its greedy and beam outputs on held-out sources."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    V = 12
    net = Seq2Seq(cell, V, V, 8, 16, 1, False, attention)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)

    def batch(b):
        lens = torch.randint(1, 7, (b,), generator=g)
        S = int(lens.max())
        src = torch.full((b, S), PAD, dtype=torch.long)
        tin = torch.full((b, S + 1), PAD, dtype=torch.long)
        tout = torch.full((b, S + 1), PAD, dtype=torch.long)
        for i in range(b):
            w = torch.randint(4, V, (int(lens[i]),), generator=g)
            src[i, :lens[i]] = w
            r = w.flip(0)
            tin[i, 0] = 2
            tin[i, 1:lens[i] + 1] = r
            tout[i, :lens[i]] = r
            tout[i, lens[i]] = 3
        return src, lens, tin, tout

    for _ in range(150):
        src, lens, tin, tout = batch(32)
        opt.zero_grad()
        lo = net(src, lens, tin)
        F.cross_entropy(lo.reshape(-1, V), tout.reshape(-1), ignore_index=PAD).backward()
        opt.step()
    net.eval()
    src, lens, _, _ = batch(12)
    t = {"src": src, "src_len": lens}
    for pname, p in net.named_parameters():
        t[pname] = p.detach().contiguous()
    for k, alpha in ((1, 0.0), (3, 0.0), (3, 0.6), (5, 1.0)):
        outs, scores, ends = [], [], []
        for i in range(src.size(0)):
            n = int(lens[i])
            toks, sc, fin = beam_search(net, src[i], n, k, alpha, 2 * n + 10)
            outs.append(toks); scores.append(sc); ends.append(fin)
        L = max(1, max(len(o) for o in outs))
        tag = f"beam{k}_a{alpha}"
        t[tag + ".tokens"] = torch.tensor([o + [-1] * (L - len(o)) for o in outs])
        t[tag + ".score"] = torch.tensor(scores, dtype=torch.float64)
        t[tag + ".finished"] = torch.tensor(ends, dtype=torch.int64)
    meta = {"cell": cell, "attention": attention, "layers": "1", "bidirectional": "false", "embed": "8",
            "hidden": "16", "source_vocabulary": str(V), "target_vocabulary": str(V), "label_smoothing": "0.0"}
    save_file({k: v.contiguous() for k, v in t.items()}, os.path.join(OUT, name + ".safetensors"), metadata=meta)
    print(name, "decoded")


def main():
    torch.set_num_threads(1)
    for cell in ("gru", "lstm"):
        for attention in ("additive", "dot", "general", "none"):
            for tag, layers, bidir in (("l1", 1, False), ("l2", 2, False), ("bi", 1, True)):
                if attention == "dot" and bidir:
                    continue  # dot needs encoder outputs of the decoder's size
                case(f"seq2seq_{cell}_{attention}_{tag}", cell, attention, layers, bidir)
    case("seq2seq_gru_additive_smoothing", "gru", "additive", 1, False, smoothing=0.1, seed=5)
    case("seq2seq_lstm_general_bi2", "lstm", "general", 2, True, seed=7)
    case("seq2seq_gru_additive_tied", "gru", "additive", 1, False, seed=9, e=5, tied=True)
    decoding_case("seq2seq_decoding_gru_additive")
    decoding_case("seq2seq_decoding_lstm_general", "lstm", "general", seed=12)


if __name__ == "__main__":
    main()
