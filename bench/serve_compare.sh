#!/usr/bin/env bash
# Serving, side by side in one run: `rnn4j serve` and the PyTorch anchor (FastAPI + uvicorn + PyTorch 2.x,
# ../shared/bench/torch_serve.py, 2 workers of 1 thread) serve the same model directory, and
# ../shared/bench/serve_load.sh loads each with wrk on loopback at 1, 16 and 64 connections, one real AG News
# text per request. Also measured: `rnn4j predict` on the same texts (the forward pass without HTTP), the
# server's CPU time per request, and its RSS after 10k and after 1M requests.
# wrk shares the machine's cores with the server it loads; every figure here carries that cost.
#
# Usage: bench/serve_compare.sh [MODEL_DIR] [--quick]
#   MODEL_DIR  a classifier directory (default runs/demo, made by ./rnn4j demo when missing)
#   --quick    3-s levels and no 1M-request RSS run (for trying the script)
# Writes bench/results/serve-<UTC time>.jsonl and prints the table for BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${RNN4J_SHARED:-$root/../shared}
model=runs/demo
quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    -*) echo "serve_compare.sh: unknown option $a" >&2; exit 2 ;;
    *) model=$a ;;
  esac
done
cd "$root"
command -v wrk >/dev/null || { echo "serve_compare.sh: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
[ -f "$model/config.json" ] || ./rnn4j demo --out "$model" >/dev/null
duration=$([ $quick = 1 ] && echo 3 || echo 10)
rss_requests=$([ $quick = 1 ] && echo 0 || echo 1000000)
venv=$("$shared/bench/setup_torch2.sh" | tail -1)
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
stamp=$(date -u +%Y-%m-%dT%H%MZ)
out=bench/results/serve-$stamp.jsonl
mkdir -p bench/results

# One real text per line: AG News' evaluation split, title and description.
python3 - "$shared/data/ag_news/split/eval.csv" > "$tmp/texts.txt" <<'PY'
import csv, sys
for row in csv.reader(open(sys.argv[1], encoding="utf-8")):
    print((row[1] + " " + row[2]).replace("\\", " ").replace("\n", " ").strip())
PY
for i in $(seq 100); do cat "$tmp/texts.txt"; done > "$tmp/texts100.txt"
ntexts=$(wc -l < "$tmp/texts.txt")

cpu_model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
peak=$(./rnn4j bench --workload W1 --mode infer --seconds 1 --repeats 1 --json 2>/dev/null \
  | python3 -c 'import json,sys; print(round(json.loads(sys.stdin.readline())["fma_peak_gflops"]))')
java_version=$(RNN4J_DRY_RUN=1 ./rnn4j | sed -n 1p)
echo "serve_compare: $cpu_model, fma peak $peak GFLOP/s, $(nproc) cores; model $model; $ntexts texts" >&2

cpu_seconds() { # utime + stime of a process and its children (uvicorn's workers), in seconds
  cat "/proc/$1/stat" $(pgrep -P "$1" | sed 's|.*|/proc/&/stat|') 2>/dev/null \
    | awk -v hz="$(getconf CLK_TCK)" '{s += $14 + $15} END {print s / hz}'
}
rss_mb() { awk '/VmRSS/ {print $2 / 1024}' "/proc/$1/status"; }
wait_up() { # URL: until a predict answers
  for _ in $(seq 120); do
    curl -sf -XPOST "$1" -H 'Content-Type: application/json' -d '{"text": "warm up"}' >/dev/null && return 0
    sleep 0.5
  done
  echo "serve_compare.sh: no answer from $1" >&2; exit 1
}
record() { # SERVER LINE EXTRA_JSON
  python3 - "$1" "$2" "$3" "$cpu_model" "$peak" "$java_version" "$stamp" >> "$out" <<'PY'
import json, sys
server, line, extra, cpu, peak, java, stamp = sys.argv[1:]
d = {"run": stamp, "server": server, "cpu": cpu, "fma_peak_gflops": float(peak), "java": java}
d.update(json.loads(line)); d.update(json.loads(extra or "{}"))
print(json.dumps(d))
PY
}
load() { # SERVER PID URL: a warm-up (not recorded), then the three levels with the server's CPU per request
  DURATION=5 "$shared/bench/serve_load.sh" "$3" "$tmp/texts.txt" 16 > /dev/null
  for c in 1 16 64; do
    before=$(cpu_seconds "$2")
    line=$(DURATION=$duration "$shared/bench/serve_load.sh" "$3" "$tmp/texts.txt" "$c")
    after=$(cpu_seconds "$2")
    n=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["requests"])' "$line")
    record "$1" "$line" "{\"server_cpu_ms_per_request\": $(python3 -c "print(round(($after - $before) * 1000 / max(1, $n), 4))"), \"rss_mb\": $(rss_mb "$2")}"
    echo "  $1 $line" >&2
  done
}

# rnn4j predict on the same texts, 100 times over: tokenizer and forward pass without HTTP (JVM start included).
predict=$(python3 - "$model" "$tmp/texts100.txt" <<'PY'
import json, resource, subprocess, sys, time
t = time.time()
with open(sys.argv[2]) as f:
    subprocess.run(["./rnn4j", "predict", "--model", sys.argv[1], "--json"], stdin=f, stdout=subprocess.DEVNULL, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
n = sum(1 for _ in open(sys.argv[2]))
print(json.dumps({"texts": n, "seconds": round(time.time() - t, 3), "texts_per_s": round(n / (time.time() - t), 1),
                  "cpu_ms_per_text": round((r.ru_utime + r.ru_stime) * 1000 / n, 4)}))
PY
)
record predict "$predict" ""

sequential() { # URL: 500 requests one after another on one keep-alive connection (Python's http.client)
  python3 - "$1" "$tmp/texts.txt" <<'PY'
import http.client, json, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1]); texts = open(sys.argv[2]).read().splitlines()
c = http.client.HTTPConnection(u.hostname, u.port); lat = []
for i in range(550):
    body = json.dumps({"text": texts[i % len(texts)]}); t = time.perf_counter()
    c.request("POST", u.path, body, {"Content-Type": "application/json"}); r = c.getresponse(); r.read()
    if r.status != 200: raise SystemExit("status %d" % r.status)
    if i >= 50: lat.append((time.perf_counter() - t) * 1000)
lat.sort()
print(json.dumps({"sequential_requests": len(lat), "seq_p50_ms": round(lat[len(lat) // 2], 3),
                  "seq_p99_ms": round(lat[int(len(lat) * 0.99)], 3)}))
PY
}

# rnn4j serve
./rnn4j serve --model "news=$model" --port 18090 > "$tmp/rnn4j.out" 2>&1 &
url=http://127.0.0.1:18090/v1/models/news/predict
wait_up "$url"
for _ in $(seq 60); do curl -sf http://127.0.0.1:18090/readyz > /dev/null && break; sleep 0.5; done
pid=$(pgrep -f "rnn4j.jar serve --model news=$model --port 18090" | head -1)
load rnn4j "$pid" "$url"
record rnn4j-sequential "$(sequential "$url")" ""
if [ "$rss_requests" -gt 0 ]; then
  # RSS after 10k requests, then after 1M (64 connections, in 30-s rounds).
  line=$(DURATION=2 "$shared/bench/serve_load.sh" "$url" "$tmp/texts.txt" 16)
  rss10k=$(rss_mb "$pid")
  total=0
  while [ "$total" -lt "$rss_requests" ]; do
    line=$(DURATION=30 "$shared/bench/serve_load.sh" "$url" "$tmp/texts.txt" 64)
    n=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["requests"] if d["non2xx"] + d["errors"] == 0 else -10**12)' "$line")
    [ "$n" -ge 0 ] || { echo "serve_compare.sh: failed requests: $line" >&2; exit 1; }
    total=$((total + n))
  done
  record rnn4j-rss "{\"requests\": $total}" "{\"rss_mb_after_10k\": $rss10k, \"rss_mb_after_1m\": $(rss_mb "$pid")}"
  echo "  rnn4j RSS: $rss10k MB after 10k requests, $(rss_mb "$pid") MB after $total more" >&2
fi
kill -TERM "$pid"; wait 2>/dev/null || true

# The PyTorch anchor
"$venv/bin/python" "$shared/bench/torch_serve.py" "$model" --port 18091 --workers 2 --threads 1 > "$tmp/torch.out" 2>&1 &
url=http://127.0.0.1:18091/v1/models/news/predict
wait_up "$url"
tpid=$(pgrep -f "torch_serve.py $model --port 18091" | head -1)
load pytorch "$tpid" "$url"
record pytorch-sequential "$(sequential "$url")" ""
kill -TERM $(pgrep -f "torch_serve.py $model --port 18091") 2>/dev/null || true

python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {(r["server"], r.get("connections")): r for r in rows}
p = by[("predict", None)]
print(f"CPU: {rows[0]['cpu']}, fma peak {rows[0]['fma_peak_gflops']:.0f} GFLOP/s; {rows[0]['java']}; run {rows[0]['run']}")
print()
print("| connections | rnn4j req/s | rnn4j p50 / p99 ms | PyTorch 2.x req/s | PyTorch p50 / p99 ms | throughput ratio | p99 ratio (rnn4j ÷ PyTorch) | failed (rnn4j / PyTorch) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for c in (1, 16, 64):
    a, b = by[("rnn4j", c)], by[("pytorch", c)]
    print(f"| {c} | {a['requests_per_s']:,.0f} | {a['p50_ms']:.2f} / {a['p99_ms']:.2f} | {b['requests_per_s']:,.0f} | "
          f"{b['p50_ms']:.2f} / {b['p99_ms']:.2f} | {a['requests_per_s'] / b['requests_per_s']:.1f}x | "
          f"{a['p99_ms'] / b['p99_ms']:.2f} | {a['errors'] + a['non2xx']} / {b['errors'] + b['non2xx']} |")
a64 = by[("rnn4j", 64)]
sa, sb = by[("rnn4j-sequential", None)], by[("pytorch-sequential", None)]
print()
print(f"One request at a time on one keep-alive connection (Python http.client, 500 requests): rnn4j p50 "
      f"{sa['seq_p50_ms']:.2f} ms, p99 {sa['seq_p99_ms']:.2f} ms; PyTorch p50 {sb['seq_p50_ms']:.2f} ms, p99 "
      f"{sb['seq_p99_ms']:.2f} ms (p99 ratio {sa['seq_p99_ms'] / sb['seq_p99_ms']:.2f}).")
print(f"rnn4j predict on {p['texts']:,} texts (no HTTP, JVM start included): {p['texts_per_s']:,.0f} texts/s, "
      f"{p['cpu_ms_per_text']:.3f} ms CPU per text. rnn4j serve at 64 connections: "
      f"{a64['requests_per_s'] / p['texts_per_s']:.0%} of that throughput, with wrk on the same 2 cores; "
      f"{a64['server_cpu_ms_per_request']:.3f} ms server CPU per request, so "
      f"{a64['server_cpu_ms_per_request'] - p['cpu_ms_per_text']:.3f} ms beyond the forward pass. PyTorch server CPU "
      f"per request: {by[('pytorch', 64)]['server_cpu_ms_per_request']:.3f} ms (its 2 worker processes).")
r = by.get(("rnn4j-rss", None))
if r:
    print(f"rnn4j RSS: {r['rss_mb_after_10k']:.0f} MB after 10k requests, {r['rss_mb_after_1m']:.0f} MB after "
          f"{r['requests']:,} more ({r['rss_mb_after_1m'] / r['rss_mb_after_10k'] - 1:+.1%}).")
PY
echo "results: $out" >&2
