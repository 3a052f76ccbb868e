#!/usr/bin/env bash
# The branch score endpoint under load with many approved visits in the database, on SQLite and
# PostgreSQL: GET /api/v1/scores/branches/{id}?period=YYYY-MM (target: p99 <= 20 ms at
# 100,000 visits).
#
#   cargo build --release -p sirr-server --bins --examples && bash bench/scores_load.sh
#
# For each backend: seeds VISITS approved visits into a fresh database with
# target/release/examples/seed_scores (demo generator, multi-row inserts), starts
# `sirr serve`, times the first (cold: computes the scores and stores them) and a second
# (warm) request, then runs wrk RUNS times. Needs wrk, curl, python3, and for PostgreSQL psql
# and a server at PG_URL (the database sirr_scores_bench is created and dropped).
# Knobs: VISITS (100000), DURATION (15s), CONNECTIONS (64), THREADS (2), RUNS (1), SKIP_PG,
# PG_URL (postgres://postgres@127.0.0.1:5432), OUT (keeps wrk outputs). SIRR_* settings in the
# environment reach the servers (for example SIRR_LOG__LEVEL=warn).
set -euo pipefail
cd "$(dirname "$0")/.."
VISITS=${VISITS:-100000}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RUNS=${RUNS:-1}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
SIRR=target/release/sirr
SEED=target/release/examples/seed_scores
EMAIL=admin@bench.sirr
PASSWORD=bench-password-1
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
[ -x "$SIRR" ] && [ -x "$SEED" ] || {
  echo "build first: cargo build --release -p sirr-server --bins --examples" >&2; exit 1; }

URL=
start() { # name, command...: starts a server in this shell (so cleanup can stop it), sets URL
  local name=$1; shift
  "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  PIDS+=("$!")
  for _ in $(seq 600); do
    if grep -qs '^listening on ' "$WORK/$name.out"; then
      URL=$(grep -m1 '^listening on ' "$WORK/$name.out" | sed 's/^listening on //')
      return
    fi
    sleep 0.05
  done
  echo "$name did not start" >&2; cat "$WORK/$name.err" >&2; exit 1
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

token() { # url
  curl -sf "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\": \"$EMAIL\", \"password\": \"$PASSWORD\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# wrk prints latencies as 812.00us / 1.23ms / 1.02s; normalise to ms for the summary.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
  else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

SUMMARY=()
bench() { # label, database url ("" = SQLite in a fresh data dir)
  local label=$1 db=$2 seeded branch period url tok path t0 t1 t2 rps p99 errors run tag
  local rpss=() p99s=() args=()
  tag=$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_')
  mkdir -p "$WORK/$tag"
  if [ -z "$db" ]; then
    db="$WORK/$tag/sirr.db"
    args=(--data-dir "$WORK/$tag")
  else
    args=(--data-dir "$WORK/$tag" --database-url "$db")
  fi
  t0=$(date +%s.%N)
  seeded=$("$SEED" "$db" "$VISITS" "$EMAIL" "$PASSWORD")
  t1=$(date +%s.%N)
  branch=$(echo "$seeded" | sed -n 's/^branch_id=//p')
  period=$(echo "$seeded" | sed -n 's/^period=//p')
  printf '%-12s seeded %s visits in %.1f s\n' "$label" \
    "$(echo "$seeded" | sed -n 's/^visits=//p')" "$(echo "$t1 - $t0" | bc)"
  start "$tag" "$SIRR" serve --bind 127.0.0.1:0 "${args[@]}"
  url=$URL
  tok=$(token "$url")
  path="/api/v1/scores/branches/$branch?period=$period"
  # Cold: the period's and the trend's (all visits) results are computed and stored.
  curl -sf -o "$WORK/$tag/first.json" -w '%{time_total}\n' "$url$path" \
    -H "Authorization: Bearer $tok" > "$WORK/$tag/first.time"
  curl -sf -o "$WORK/$tag/second.json" -w '%{time_total}\n' "$url$path" \
    -H "Authorization: Bearer $tok" > "$WORK/$tag/second.time"
  printf '%-12s first request (computes) %.0f ms, second %.1f ms, body %s bytes, visits %s\n' \
    "$label" "$(echo "$(cat "$WORK/$tag/first.time") * 1000" | bc)" \
    "$(echo "$(cat "$WORK/$tag/second.time") * 1000" | bc)" "$(wc -c < "$WORK/$tag/second.json")" \
    "$(python3 -c "import json; print(json.load(open('$WORK/$tag/second.json'))['visits'])")"
  for run in $(seq "$RUNS"); do
    tok=$(token "$url")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $tok" \
      "$url$path" > "$OUT/$tag-$run.txt"
    rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/$tag-$run.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$OUT/$tag-$run.txt")
    errors=$(awk '/Non-2xx/ {print $5}' "$OUT/$tag-$run.txt")
    printf '%-12s run %s  %10s req/s  p99 %8s  non-2xx %s\n' "$label" "$run" "$rps" "$p99" "${errors:-0}"
    rpss+=("$rps"); p99s+=("$(to_ms "$p99")")
  done
  SUMMARY+=("$(printf '%s\t%s\t%s' "$label" \
    "$(printf '%s\n' "${rpss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${p99s[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')")")
  stop_all
}

command -v bc >/dev/null || { echo "bc is needed (apt-get install bc)" >&2; exit 1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "$VISITS approved visits; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; $RUNS run(s)"
env | grep '^SIRR_' | sed 's/^/env: /' || true

bench SQLite ""
if [ -z "${SKIP_PG:-}" ]; then
  command -v psql >/dev/null || { echo "psql is needed (or set SKIP_PG=1)" >&2; exit 1; }
  psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS sirr_scores_bench' >/dev/null
  psql "$PG_URL/postgres" -qc 'CREATE DATABASE sirr_scores_bench' >/dev/null
  bench PostgreSQL "$PG_URL/sirr_scores_bench"
  psql "$PG_URL/postgres" -qc 'DROP DATABASE IF EXISTS sirr_scores_bench' >/dev/null
fi

echo
echo "GET /api/v1/scores/branches/{id}?period=… — medians of $RUNS run(s):"
printf '%-12s %12s %10s\n' backend "req/s" "p99 ms"
for line in "${SUMMARY[@]}"; do
  IFS=$'\t' read -r label rps p99 <<< "$line"
  printf '%-12s %12s %10s\n' "$label" "$rps" "$p99"
done
