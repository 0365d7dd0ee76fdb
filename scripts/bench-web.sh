#!/usr/bin/env bash
# The web benchmark (issue 8): `acta serve --demo` (release build, SQLite) on loopback, and
# wrk on an API read and on portal pages, each for 20 s with 64 connections (closed loop:
# as fast as the server answers), then `acta bench web` at fixed rates (open loop: 10 000
# API reads/s and 1 000 portal pages/s, latencies counted from when each request was due).
# The load generators and the server share the machine's cores.
#   scripts/bench-web.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
connections="${2:-64}"
port="${ACTA_BENCH_PORT:-8091}"
command -v wrk >/dev/null || { echo "wrk manque : apt-get install wrk"; exit 1; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/acta/target}"
cargo build --release --quiet -p acta-cli
acta="$CARGO_TARGET_DIR/release/acta"
workdir="$(mktemp -d)"
(cd "$workdir" && exec "$acta" serve --demo --addr "127.0.0.1:$port") > "$workdir/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 1 60); do curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.5; done
for path in /api/deliberations/2023-479 /api/deliberations "/api/search?q=chambre%20des%20metiers" / /deliberations/2023-479; do
  echo "== GET $path"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port$path"
done
# The script file is the baseline: served from memory, no database, no rendering.
for target in "10000 /static/gestion.js" "10000 /api/deliberations/2023-479" "1000 /" "1000 /deliberations/2023-479"; do
  rate="${target%% *}"
  path="${target#* }"
  echo "== open loop: $rate/s GET $path"
  "$acta" bench web --rate "$rate" --seconds "$seconds" --connections "$connections" "http://127.0.0.1:$port$path"
done
