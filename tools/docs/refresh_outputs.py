#!/usr/bin/env python3
"""Reruns the rnn4j commands shown in a Markdown file and replaces their printed output, so the
documentation shows what the current version prints.

Usage (from the repository root): tools/docs/refresh_outputs.py docs/lesson.md [--match TEXT]

A block is a fenced code block whose first line is `$ ./rnn4j ...` (continued with a trailing
backslash); everything after the command is replaced by the command's stdout (the live progress on
stderr is left out, as in the docs). Blocks that elide output with a `...` line are long runs
shown in part: they are reported and left alone. --match reruns only commands containing TEXT.
"""
import re
import subprocess
import sys

BLOCK = re.compile(r"```\n(\$ \./rnn4j .*?)\n```", re.S)


def main():
    path = sys.argv[1]
    match = sys.argv[sys.argv.index("--match") + 1] if "--match" in sys.argv else None
    text = open(path, encoding="utf-8").read()

    def rerun(m):
        lines = m.group(1).split("\n")
        n = 1
        while lines[n - 1].endswith("\\"):
            n += 1
        command = "\n".join(lines[:n])
        if "..." in lines[n:] or (match and match not in command):
            if "..." in lines[n:]:
                print(f"left alone (elided output): {lines[0][:100]}", file=sys.stderr)
            return m.group(0)
        print(f"running: {command[2:][:120]}", file=sys.stderr)
        shell = command[2:].replace("\\\n", " ")
        done = subprocess.run(shell, shell=True, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"failed ({done.returncode}): {shell}\n{done.stderr}")
        return "```\n" + command + "\n" + done.stdout.rstrip("\n") + "\n```"

    text = BLOCK.sub(rerun, text)
    open(path, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
