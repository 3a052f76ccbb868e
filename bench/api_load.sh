#!/usr/bin/env bash
# Authenticated GET /api/v1/branches under load (64 connections), on SQLite and PostgreSQL, side
# by side with a trivial actix-web handler serving the same JSON from memory.
#
#   cargo build --release -p sirr-server --examples --bins && bash bench/api_load.sh
#
# Needs wrk (apt-get install wrk), curl, python3 and psql. Knobs: DURATION (15s), CONNECTIONS
# (64), THREADS (2), PG_URL (postgres://postgres@127.0.0.1:5432), RUNS (3), SKIP_PG (unset),
# STARTUP_RUNS (5; 0 skips the start-up timing).
# SIRR_* settings in the environment reach both sirr servers, e.g. SIRR_LOG__LEVEL=warn,
# SIRR_DATABASE__POOL_SIZE=2, SIRR_SERVER__WORKERS=1. Per-run wrk output is kept in OUT
# (default: a temporary directory, removed at exit).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
STARTUP_RUNS=${STARTUP_RUNS:-5}
SIRR=target/release/sirr
STATIC=target/release/examples/static_json
WORK=$(mktemp -d)
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }
done
[ -x "$SIRR" ] && [ -x "$STATIC" ] || {
  echo "build first: cargo build --release -p sirr-server --bins --examples" >&2; exit 1; }

URL=
start() { # name, command...: starts a server in this shell (so cleanup can stop it), sets URL
  local name=$1; shift
  "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  PIDS+=("$!")
  for _ in $(seq 200); do
    if grep -q '^listening on ' "$WORK/$name.out"; then
      URL=$(grep -m1 '^listening on ' "$WORK/$name.out" | sed 's/^listening on //')
      return
    fi
    sleep 0.05
  done
  echo "$name did not start" >&2; cat "$WORK/$name.err" >&2; exit 1
}

token() { # url
  curl -sf "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email": "admin@demo.sirr", "password": "demo-password"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# wrk prints latencies as 812.00us / 1.23ms / 1.02s; normalise to ms for the summary.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
  else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

SUMMARY=()
load() { # label, url, token (may be empty)
  local header=() rps p99 errors run rpss=() p99s=() tag
  [ -n "$3" ] && header=(-H "Authorization: Bearer $3")
  tag=$(echo "$1" | tr -c 'a-zA-Z0-9\n' '_')
  for run in $(seq "$RUNS"); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" \
      "$2/api/v1/branches" > "$OUT/$tag-$run.txt"
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/$tag-$run.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/$tag-$run.txt")
    errors=$(awk '/Non-2xx/ {print $5}' "$OUT/$tag-$run.txt")
    printf '%-24s run %s  %10s req/s  p99 %8s  non-2xx %s\n' "$1" "$run" "$rps" "$p99" "${errors:-0}"
    rpss+=("$rps"); p99s+=("$(to_ms "$p99")")
  done
  SUMMARY+=("$(printf '%s\t%s\t%s' "$1" \
    "$(printf '%s\n' "${rpss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${p99s[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')")")
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; $RUNS runs each"
env | grep '^SIRR_' | sed 's/^/env: /' || true

# Start-up: from spawning `sirr serve` (no --demo) to its `listening on` line, on a fresh
# database (migrations + the first admin's argon2 hash) and again on the same, existing one.
startup_times() { # label, database URL or "" for SQLite in a fresh data dir
  python3 - "$SIRR" "$STARTUP_RUNS" "$WORK" "$1" "$2" "$PG_URL" <<'PY'
import os, statistics, subprocess, sys, tempfile, time
sirr, runs, work, label, db, pg = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
def once(data_dir, extra):
    t0 = time.perf_counter()
    p = subprocess.Popen([sirr, "serve", "--bind", "127.0.0.1:0", "--data-dir", data_dir, *extra],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if line.startswith("listening on "):
            dt = (time.perf_counter() - t0) * 1000
            break
    else:
        sys.exit(f"{label}: sirr serve exited without a listening line")
    p.terminate(); p.wait()
    return dt
fresh, existing = [], []
for i in range(runs):
    d = tempfile.mkdtemp(dir=work)
    extra = []
    if db:
        subprocess.run(["psql", f"{pg}/postgres", "-qc", "DROP DATABASE IF EXISTS sirr_bench_start"], check=True, capture_output=True)
        subprocess.run(["psql", f"{pg}/postgres", "-qc", "CREATE DATABASE sirr_bench_start"], check=True, capture_output=True)
        extra = ["--database-url", f"{pg}/sirr_bench_start"]
    fresh.append(once(d, extra))
    existing.append(once(d, extra))
if db:
    subprocess.run(["psql", f"{pg}/postgres", "-qc", "DROP DATABASE IF EXISTS sirr_bench_start"], check=True, capture_output=True)
fmt = lambda xs: ", ".join(f"{x:.1f}" for x in xs)
print(f"start-up {label:<11} fresh database: median {statistics.median(fresh):6.1f} ms ({fmt(fresh)})")
print(f"start-up {label:<11} existing:       median {statistics.median(existing):6.1f} ms ({fmt(existing)})")
PY
}
if [ "$STARTUP_RUNS" -gt 0 ]; then
  startup_times SQLite ""
  [ -z "${SKIP_PG:-}" ] && startup_times PostgreSQL pg
fi

start sqlite "$SIRR" serve --demo --bind 127.0.0.1:0 --data-dir "$WORK/data"
sqlite_url=$URL
sqlite_token=$(token "$sqlite_url")
curl -sf "$sqlite_url/api/v1/branches" -H "Authorization: Bearer $sqlite_token" > "$WORK/branches.json"
echo "response: $(wc -c < "$WORK/branches.json") bytes, $(python3 -c "import json; print(len(json.load(open('$WORK/branches.json'))))") branches"
start static "$STATIC" "$WORK/branches.json" 127.0.0.1:18090
static_url=$URL

if [ -z "${SKIP_PG:-}" ]; then
  command -v psql >/dev/null || { echo "psql is needed (or set SKIP_PG=1)" >&2; exit 1; }
  psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS sirr_bench' >/dev/null
  psql "$PG_URL/postgres" -qc 'CREATE DATABASE sirr_bench' >/dev/null
  start pg "$SIRR" serve --demo --bind 127.0.0.1:0 --data-dir "$WORK/pgdata" \
    --database-url "$PG_URL/sirr_bench"
  pg_url=$URL
fi

load "static (from memory)" "$static_url" ""
# Log in right before each load: access tokens live 15 minutes (auth.access_token_ttl_s).
load "sirr on SQLite" "$sqlite_url" "$(token "$sqlite_url")"
if [ -z "${SKIP_PG:-}" ]; then
  load "sirr on PostgreSQL" "$pg_url" "$(token "$pg_url")"
fi
load "static (from memory)" "$static_url" ""

echo
echo "medians of $RUNS runs:"
printf '%-24s %12s %10s\n' configuration "req/s" "p99 ms"
for line in "${SUMMARY[@]}"; do
  IFS=$'\t' read -r label rps p99 <<< "$line"
  printf '%-24s %12s %10s\n' "$label" "$rps" "$p99"
done

for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()
if [ -z "${SKIP_PG:-}" ]; then
  psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS sirr_bench' >/dev/null
fi
