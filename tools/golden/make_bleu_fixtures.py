#!/usr/bin/env python3
"""Writes the sacreBLEU fixtures of rnn4j's Bleu (org.rnn4j.translate.Bleu).

Usage (the anchor environment of ../shared/bench/setup_torch2.sh has sacreBLEU):
    ~/.cache/rnn4j/bench-venv/bin/python tools/golden/make_bleu_fixtures.py [OUT.json]

Synthetic corpora (no dataset text): random sentences over a word list with punctuation, numbers
with separators, dashes, HTML entities, quotes, non-ASCII words and stray white space, with
references made by editing the hypotheses (drops, swaps, substitutions), plus edge cases (an empty
hypothesis, no 4-gram match, hypotheses longer than the references). For each corpus: the score,
counts, totals and lengths of sacrebleu.corpus_bleu with tokenize "none" and "13a", smoothing "exp"
(the default) and "none".
"""
import json
import os
import random
import sys

import sacrebleu

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "rnn4j-tasks", "src", "test", "resources", "bleu", "sacrebleu_fixtures.json")
WORDS = ("the a cat dog sat on mat house Müller straße naïve ran quickly slowly 3.5 1,000 2-3 e-mail "
         "don't it's (yes) [no] {maybe} \"quoted\" &amp; &lt;tag&gt; &quot;x&quot; end. well, ok! why? "
         "a.b.c 10-20 x/y 50% $5 #1 @home ~tilde under_score").split()


def sentence(rng, n):
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    if rng.random() < 0.2:
        s = "  " + s + " \t "
    return s


def edit(rng, s):
    toks = s.split()
    out = []
    for t in toks:
        r = rng.random()
        if r < 0.1:
            continue
        if r < 0.2:
            out.append(rng.choice(WORDS))
        else:
            out.append(t)
        if rng.random() < 0.05:
            out.append(rng.choice(WORDS))
    if len(out) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out)


def corpora():
    rng = random.Random(7)
    for size, lo, hi in ((1, 3, 8), (5, 1, 6), (20, 3, 15), (50, 1, 25), (200, 2, 30)):
        hyps = [sentence(rng, rng.randint(lo, hi)) for _ in range(size)]
        yield f"random_{size}", hyps, [edit(rng, h) for h in hyps]
    yield "empty_hypothesis", ["", "the cat sat"], ["a dog ran", "the cat sat on the mat"]
    yield "no_4gram_match", ["the cat sat on", "a dog"], ["the cat on sat", "a dog ran"]
    yield "no_match", ["x y z"], ["a b c"]
    yield "longer_hypotheses", ["the cat sat on the mat and more and more"], ["the cat sat on the mat"]
    yield "identical", ["Müller's e-mail: 3.5 &amp; 1,000."], ["Müller's e-mail: 3.5 &amp; 1,000."]


def main():
    cases = []
    for name, hyps, refs in corpora():
        for tok in ("none", "13a"):
            for smooth in ("exp", "none"):
                b = sacrebleu.corpus_bleu(hyps, [refs], tokenize=tok, smooth_method=smooth)
                cases.append({"name": name, "tokenize": tok, "smooth": smooth, "hypotheses": hyps,
                              "references": refs, "score": b.score, "counts": b.counts, "totals": b.totals,
                              "sys_len": b.sys_len, "ref_len": b.ref_len})
    tok = sacrebleu.tokenizers.tokenizer_13a.Tokenizer13a()
    lines = [sentence(random.Random(i), 12) for i in range(40)] + ["3.5,2-1 a.b, c. -x &amp;&lt;", "a\nb-\nc"]
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"sacrebleu": sacrebleu.__version__, "cases": cases,
                   "tokenize_13a": [[l, tok(l)] for l in lines]}, f, ensure_ascii=False, indent=1)
    print(OUT, len(cases), "cases")


if __name__ == "__main__":
    main()
