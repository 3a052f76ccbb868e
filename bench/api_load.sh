#!/usr/bin/env bash
# Authenticated GET /api/v1/branches under load (64 connections), on SQLite and PostgreSQL, side
# by side with a trivial actix-web handler serving the same JSON from memory.
#
#   cargo build --release -p sirr-server --examples --bins && bash bench/api_load.sh
#
# Needs wrk (apt-get install wrk). Knobs: DURATION (15s), CONNECTIONS (64), THREADS (2),
# PG_URL (postgres://postgres@127.0.0.1:5432), RUNS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
SIRR=target/release/sirr
STATIC=target/release/examples/static_json
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

start() { # name, command...: starts a server, waits for its listening line, prints its URL
  local name=$1; shift
  "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  for _ in $(seq 100); do
    if grep -q '^listening on ' "$WORK/$name.out"; then
      grep '^listening on ' "$WORK/$name.out" | head -1 | sed 's/^listening on //'
      return
    fi
    sleep 0.1
  done
  echo "$name did not start" >&2; cat "$WORK/$name.err" >&2; exit 1
}

token() { # url
  curl -s "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email": "admin@demo.sirr", "password": "demo-password"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

load() { # label, url, token (may be empty)
  local header=()
  [ -n "$3" ] && header=(-H "Authorization: Bearer $3")
  for run in $(seq "$RUNS"); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" "$2/api/v1/branches" > "$WORK/wrk.txt"
    rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
    errors=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt")
    printf '%-22s run %s  %10s req/s  p99 %8s  non-2xx %s\n' "$1" "$run" "$rps" "$p99" "${errors:-0}"
  done
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"

sqlite_url=$(start sqlite "$SIRR" serve --demo --bind 127.0.0.1:0 --data-dir "$WORK/data")
sqlite_token=$(token "$sqlite_url")
curl -s "$sqlite_url/api/v1/branches" -H "Authorization: Bearer $sqlite_token" > "$WORK/branches.json"
echo "response: $(wc -c < "$WORK/branches.json") bytes, $(python3 -c "import json; print(len(json.load(open('$WORK/branches.json'))))" ) branches"
static_url=$(start static "$STATIC" "$WORK/branches.json" 127.0.0.1:18090)

psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS sirr_bench' >/dev/null
psql "$PG_URL/postgres" -qc 'CREATE DATABASE sirr_bench' >/dev/null
pg_url=$(start pg "$SIRR" serve --demo --bind 127.0.0.1:0 --data-dir "$WORK/pgdata" --database-url "$PG_URL/sirr_bench")
pg_token=$(token "$pg_url")

load "static (from memory)" "$static_url" ""
load "sirr on SQLite" "$sqlite_url" "$sqlite_token"
load "sirr on PostgreSQL" "$pg_url" "$pg_token"
load "static (from memory)" "$static_url" ""
kill $(jobs -p) 2>/dev/null || true
wait 2>/dev/null || true
psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS sirr_bench' >/dev/null
