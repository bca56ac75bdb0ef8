#!/usr/bin/env python3
"""Runs ../shared/bench/torch_agnews.py unchanged except that it prints the loss of every training step
and stops after STEPS steps. Usage: torch_steps.py STEPS DATA_DIR [torch_agnews.py flags]"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(ROOT, "..", "shared", "bench", "torch_agnews.py")
STEP = "            tl += loss.item() * len(y); n += len(y); tok += int(l.sum())\n"

steps = int(sys.argv[1])
source = open(SCRIPT).read()
assert STEP in source, "torch_agnews.py changed: update torch_steps.py"
source = source.replace(STEP, STEP + (
    "            print('%d %.7f' % (STEPS_DONE[0], loss.item()), flush=True); STEPS_DONE[0] += 1\n"
    "            if STEPS_DONE[0] >= " + str(steps) + ": raise SystemExit\n"))
sys.argv = [SCRIPT] + sys.argv[2:]
exec(compile(source, SCRIPT, "exec"), {"__name__": "__main__", "STEPS_DONE": [0]})
