#!/usr/bin/env python3
"""PyTorch's greedy decoding of a model rnn4j trained, timed (issue 24's decoding anchor).

Loads an rnn4j translation directory (model.safetensors under PyTorch's names, vocab.txt and
target_vocab.txt) into ../shared/bench/torch_seq2seq.py's own Seq2Seq module, then translates the
sources of a TSV exactly as that script's bleu() does: chunks of --batch sentences in file order,
sources cut to the model's max_length, greedy up to 2 * longest source + 10 tokens. Prints one JSON
line: sentences, seconds (decoding only, best of --repeats), sentences/s and the BLEU of the output
(sacreBLEU, tokenize="none"), which also checks that the weights mean the same on both sides.

Usage: seq2seq_decode.py MODEL_DIR DATA.tsv [--batch 64] [--threads 2] [--repeats 3]
"""
import argparse, importlib.util, json, os, time
import torch
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))


def anchor():
    shared = os.environ.get("RNN4J_SHARED", os.path.join(HERE, "..", "..", "shared"))
    spec = importlib.util.spec_from_file_location("torch_seq2seq", os.path.join(shared, "bench", "torch_seq2seq.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def vocab(path):
    def unescape(t):
        out, i = [], 0
        while i < len(t):
            if t[i] == "\\" and i + 1 < len(t):
                out.append({"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(t[i + 1], t[i + 1])); i += 2
            else:
                out.append(t[i]); i += 1
        return "".join(out)
    with open(path, encoding="utf-8") as f:
        return [unescape(l.rstrip("\n")) for l in f]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model"); ap.add_argument("data")
    ap.add_argument("--batch", type=int, default=64); ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    import sacrebleu
    torch.set_num_threads(a.threads)
    t = anchor()
    cfg = json.load(open(os.path.join(a.model, "config.json")))
    m = cfg["model"]
    assert m["cell"] == "gru" and m["attention"] == "additive" and m["layers"] == 1 and not m["bidirectional"], \
        "torch_seq2seq.py's model is a one-layer GRU with additive attention"
    si, ti = vocab(os.path.join(a.model, "vocab.txt")), vocab(os.path.join(a.model, "target_vocab.txt"))
    ss = {w: i for i, w in enumerate(si)}
    max_len = cfg["max_length"]
    net = t.Seq2Seq(len(si), len(ti), m["embed"], m["hidden"])
    net.load_state_dict(load_file(os.path.join(a.model, "model.safetensors")))
    net.eval()
    pairs = t.read(a.data)
    enc_s = lambda toks: [ss.get(w, t.UNK) for w in toks][:max_len] or [t.UNK]

    def pad(seqs):
        L = max(len(x) for x in seqs)
        return torch.tensor([x + [t.PAD] * (L - len(x)) for x in seqs])

    def translate():
        hyps = []
        for i in range(0, len(pairs), a.batch):
            chunk = pairs[i:i + a.batch]
            src = [enc_s(s) for s, _ in chunk]
            lens = torch.tensor([len(x) for x in src])
            ys = net.greedy(pad(src), lens, 2 * int(lens.max()) + 10).tolist()
            for y in ys:
                y = y[: y.index(t.EOS)] if t.EOS in y else y
                hyps.append(" ".join(ti[i] for i in y))
        return hyps

    best = float("inf")
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        hyps = translate()
        best = min(best, time.perf_counter() - t0)
    refs = [" ".join(r) for _, r in pairs]
    bleu = sacrebleu.corpus_bleu(hyps, [refs], tokenize="none").score
    print(json.dumps({"sentences": len(pairs), "seconds": round(best, 3), "sentences_per_s": round(len(pairs) / best, 1),
                      "bleu": round(bleu, 2), "torch": torch.__version__, "threads": a.threads}))


if __name__ == "__main__":
    main()
