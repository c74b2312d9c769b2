#!/usr/bin/env bash
# Compares loaderd binaries on one workload by the server's CPU time per request, alternating
# the binaries round by round (on a noisy shared machine, throughput alone moves ±30 % between
# runs; CPU time per request moves less, and alternating spreads the noise over both).
#
#   bash tools/bench/ab.sh WORKLOAD SECONDS ROUNDS BINARY...
#   e.g. bash tools/bench/ab.sh rpc-roundtrip 2 6 build/loaderd /tmp/loaderd-before
#
# An older binary may need LD_LIBRARY_PATH=.deps/libnode/usr/lib/x86_64-linux-gnu.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
workload=$1 seconds=$2 rounds=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$root/tools/bench/workloads/$workload/worker.js" "$dir/index.js"
# The workloads' bindings, as loaderd.yaml (only what the bench workloads use).
node -e '
  const c = require(process.argv[1]);
  const lines = ["listen: 127.0.0.1:18799", "workers:", "  w:", "    main: index.js",
                 "    compatibility_date: 2025-06-01", "    bindings:"];
  for (const [name, b] of Object.entries(c.bindings ?? {})) lines.push(`      ${name}: ${JSON.stringify(b)}`);
  if (!Object.keys(c.bindings ?? {}).length) lines.pop();
  console.log(lines.join("\n"));' "$root/tools/bench/workloads/$workload/case.json" > "$dir/loaderd.yaml"
for round in $(seq 1 "$rounds"); do
  for bin in "$@"; do
    "$bin" serve "$dir" > "$dir/log" 2>&1 &
    pid=$!
    for _ in $(seq 1 50); do curl -sf -o /dev/null http://127.0.0.1:18799/ && break; sleep 0.1; done
    wrk -t1 -c1 -d1s http://127.0.0.1:18799/ > /dev/null
    before=$(awk '{print $14 + $15}' /proc/$pid/stat)
    out=$(wrk -t1 -c1 -d"${seconds}s" http://127.0.0.1:18799/)
    after=$(awk '{print $14 + $15}' /proc/$pid/stat)
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    ticks=$(getconf CLK_TCK)
    echo "$bin round $round: $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s," \
         "$(awk -v t=$((after - before)) -v n="$requests" -v hz="$ticks" \
              'BEGIN {printf "%.0f", t * 1e6 / hz / n}') µs CPU per request"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
