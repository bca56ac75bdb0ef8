#!/usr/bin/env python3
"""Reference outputs of torchtext's basic_english tokenizer, for rnn4j-text's tests.

Usage: apt-get install python3-torchtext; /usr/bin/python3 tools/golden/make_text_golden.py

torchtext's compiled extension may not load against the installed torch, but basic_english is pure
Python: this script executes torchtext's own definitions from torchtext/data/utils.py, so the
reference is torchtext's code, not a re-implementation. It writes basic_english.json (input →
tokens) and, when ../shared/data/ag_news is present, the vocabulary that torch_agnews.py builds
from split/train.csv, as its size and sha256.
"""
import csv
import hashlib
import json
import os
import re
from collections import Counter

import importlib.util

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "rnn4j-text", "src", "test", "resources", "golden")

# Locate torchtext without importing it (importing loads the extension).
TT_DIR = os.path.dirname(importlib.util.find_spec("torchtext").origin)
TT_VERSION = re.search(r"__version__ = '([^']+)'", open(os.path.join(TT_DIR, "version.py")).read()).group(1)
src = open(os.path.join(TT_DIR, "data", "utils.py"), encoding="utf-8").read()
ns = {"re": re}
for name in ("_patterns", "_replacements", "_patterns_dict"):
    m = re.search(r"^%s = .*$" % name, src, re.M)
    exec(m.group(0), ns)
fn = re.search(r"^def _basic_english_normalize\(line\):.*?(?=^def |\Z)", src, re.M | re.S).group(0)
exec(fn, ns)
basic_english = ns["_basic_english_normalize"]

CASES = [
    "Hello, World! It's a TEST.",
    "Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, Wall Street's dwindling\\band",
    "Quotes \"removed\" and 'kept' as tokens",
    "line<br />break and <BR /> upper <br/> no-space",
    "sequential: <br\" /> becomes a break after quote removal",
    "colons: and; semicolons are dropped? yes!",
    "money \\$ 45.5 and #39;quot; entities",
    "tabs\tnew\nlines\r\nand\u00a0nbsp\u2009thin\u3000ideographic\u0085nel\x1cfs",
    "İSTANBUL ΟΔΟΣ Straße ǅ Ǆ ÀÉÎ",
    "emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters",
    "   leading and trailing   ",
    "",
    "...,,,!!!???((()))",
    "don't won't y'all 'quoted'",
    "3.14159 e.g. U.S.A. www.example.com",
]


def main():
    os.makedirs(OUT, exist_ok=True)
    # get_tokenizer("basic_english") is _basic_english_normalize, which returns the token list
    data = {"torchtext": TT_VERSION, "cases": [{"text": c, "tokens": basic_english(c)} for c in CASES]}
    agnews = os.path.join(ROOT, "..", "shared", "data", "ag_news", "split", "train.csv")
    if os.path.exists(agnews):
        with open(agnews, newline="", encoding="utf-8") as f:
            rows = [r[1] + " " + r[2] for r in csv.reader(f)]
        cnt = Counter(t for s in rows for t in basic_english(s))
        itos = ["<unk>", "<pad>"] + sorted(cnt, key=lambda w: (-cnt[w], w))
        data["ag_news_split_train_vocab"] = {
            "size": len(itos), "tokens": sum(cnt.values()),
            "sha256_of_newline_joined": hashlib.sha256("\n".join(itos).encode("utf-8")).hexdigest(),
            "first": itos[:12], "last": itos[-5:]}
    path = os.path.join(OUT, "basic_english.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
