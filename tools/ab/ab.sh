#!/usr/bin/env bash
# In-process A/B of two revisions of rnn4j-core (see InProcessAB.java for why one process).
# usage: tools/ab/ab.sh REV_A REV_B infer|train|same T CELL HIDDEN BATCH [LAYERS] [bi]
#   e.g. tools/ab/ab.sh HEAD~1 HEAD infer 64 LSTM 256 1      (the W2 latency call)
#        tools/ab/ab.sh HEAD~1 HEAD train 128 GRU 256 64     (a W4 training step)
#        tools/ab/ab.sh HEAD~1 HEAD same 32 LSTM 64 8 2 bi   (do both train to the same bits?)
# REV_B may be "work" for the working tree.
set -euo pipefail
[ $# -ge 7 ] || { sed -n 3,7p "$0" >&2; exit 2; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TMP="$(mktemp -d)"
trap 'git -C "$ROOT" worktree remove --force "$TMP/a" >/dev/null 2>&1 || true
      git -C "$ROOT" worktree remove --force "$TMP/b" >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT

classes() { # rev dir -> prints the compiled classes directory
  local rev=$1 dir=$2
  if [ "$rev" = work ]; then
    (cd "$ROOT" && mvn -q -B compile -pl rnn4j-core) >"$TMP/build.log" 2>&1 \
      || { cat "$TMP/build.log" >&2; exit 1; }
    cp -r "$ROOT/rnn4j-core/target/classes" "$dir-classes"
  else
    git -C "$ROOT" worktree add --detach -q "$dir" "$rev"
    (cd "$dir" && mvn -q -B compile -pl rnn4j-core) >"$TMP/build.log" 2>&1 \
      || { cat "$TMP/build.log" >&2; exit 1; }
    cp -r "$dir/rnn4j-core/target/classes" "$dir-classes"
  fi
  echo "$dir-classes"
}
REV_A=$1 REV_B=$2
A=$(classes "$REV_A" "$TMP/a")
B=$(classes "$REV_B" "$TMP/b")
shift 2
javac -d "$TMP/tool" "$ROOT/tools/ab/InProcessAB.java"
echo "A = $REV_A, B = $REV_B: $*"
java --add-modules jdk.incubator.vector -Xmx2g -cp "$TMP/tool" InProcessAB "$A" "$B" "$@" 2>&1 \
  | grep -v "^WARNING: Using incubator"
