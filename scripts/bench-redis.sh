#!/usr/bin/env bash
# ./ticker bench redis — the pipelined SET rate of redis-benchmark (the ceiling) and of our RESP client, against a
# throwaway redis-server on a free loopback port, and their ratio.
# Environment: REQUESTS (default 1000000), PIPELINE (default 64), CLIENTS (default 50, both tools).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests="${REQUESTS:-1000000}"
pipeline="${PIPELINE:-64}"
clients="${CLIENTS:-50}"

for tool in redis-server redis-benchmark redis-cli; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench-redis: $tool is missing; run ./ticker test to install it" >&2
    exit 1
  fi
done

# A free port: one that nothing answers on.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port="$candidate"
    break
  fi
done
[[ -n "$port" ]] || { echo "bench-redis: no free port found" >&2; exit 1; }

dir="$(mktemp -d)"
redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no --daemonize no --logfile "" >"$dir/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

for _ in $(seq 1 100); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null || { echo "bench-redis: redis-server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }

# Build first, so the build is not timed and its output does not mix with the figures.
"$root/ticker" --help >/dev/null

echo "redis-benchmark -P $pipeline -c $clients -t set -n $requests -q (port $port)"
ceiling="$(redis-benchmark -h 127.0.0.1 -p "$port" -P "$pipeline" -c "$clients" -t set -n "$requests" -q | tr '\r' '\n' | grep '^SET:' | tail -1 | awk '{print $2}')"
echo "  redis-benchmark  SET: $ceiling requests/s"

ours="$("$root/ticker" redis-bench --redis "127.0.0.1:$port" --requests "$requests" --pipeline "$pipeline" --clients "$clients" | awk '/^SET:/ {print $2}')"
echo "  ticker client    SET: $ours requests/s (one connection, $clients batches of $pipeline in flight)"

awk -v ours="$ours" -v ceiling="$ceiling" 'BEGIN { printf "  ratio: %.1f %% of redis-benchmark\n", 100 * ours / ceiling }'

# End to end through the same redis-server: feed and silo processes, batching off, on, and on with conflation.
echo "end to end through Redis (./ticker loadtest batching; feed, silo and Redis share this machine):"
"$root/ticker" loadtest batching --redis "127.0.0.1:$port" --out "$root/artifacts/bench-redis-e2e" | grep -E '^loadtest: batching|ratio'
