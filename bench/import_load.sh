#!/usr/bin/env bash
# Bulk onboarding at scale (issue 19): 10,000 branches and 10,000 users imported with the CLI twin
# of POST /api/v1/imports/{branches|users} (`sirr import … [--dry-run]`, the same code), on a fresh
# SQLite file and, when PG_URL is set, on a fresh PostgreSQL database. For each: the dry run, the
# apply, and the same file again (which must change nothing), three times each on fresh data, with
# the medians. Target: ≤ 10 s for each dry run and each apply.
#
#   bench/import_load.sh                       # target/release/sirr, SQLite only
#   PG_URL=postgres://postgres@127.0.0.1:5432 bench/import_load.sh
#   SIRR=target/debug/sirr N=10000 RUNS=3 bench/import_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIRR=${SIRR:-${CARGO_TARGET_DIR:-target}/release/sirr}
N=${N:-10000}
RUNS=${RUNS:-3}
[ -x "$SIRR" ] || { echo "error: $SIRR not built (cargo build --release)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The files: 10,000 branches in 50 regions with two teams each, Arabic and English names; 10,000
# users: shoppers, branch managers scoped to a branch, regional managers scoped to a region, QA.
python3 - "$N" "$work" <<'PY'
import csv, sys
n, out = int(sys.argv[1]), sys.argv[2]
with open(f"{out}/branches.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["code", "name_en", "name_ar", "region_code", "lat", "lon", "teams"])
    for i in range(n):
        w.writerow([f"B{i:05d}", f"Branch {i}", f"فرع رقم {i}", f"R{i % 50:02d}",
                    f"{24 + (i % 500) / 100:.5f}", f"{46 + (i // 500) / 100:.5f}", "tellers;service"])
with open(f"{out}/users.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["email", "name", "role", "scope_kind", "scope_code", "language"])
    for i in range(n):
        if i % 10 == 0:
            row = ["manager", "branch", f"B{i:05d}"]
        elif i % 97 == 0:
            row = ["manager", "region", f"R{i % 50:02d}"]
        elif i % 101 == 0:
            row = ["qa", "", ""]
        else:
            row = ["shopper", "", ""]
        w.writerow([f"user{i}@bench.example", f"مستخدم {i}", *row, "ar" if i % 2 else "en"])
PY

secs() { python3 -c 'import sys,time; print(f"{time.time():.3f}")'; }
run() { # command…; prints its wall time in seconds
  local t0 t1
  t0=$(secs); "$@" > "$work/out.txt" 2> "$work/err.txt" || { echo "error: $* failed:" >&2; cat "$work/err.txt" >&2; exit 1; }
  t1=$(secs)
  python3 -c "print(f'{$t1 - $t0:.2f}')"
}
median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.2f}")' "$@"; }

bench_on() { # name, how to make a fresh database url (a function)
  local name=$1 fresh=$2
  declare -A t=()
  for r in $(seq "$RUNS"); do
    read -ra db <<< "$($fresh "$r")"
    # The schema is made by the first connection (migrations), outside the timings.
    "$SIRR" import branches "$work/branches.csv" --dry-run "${db[@]}" > /dev/null 2>&1 || true
    t[bd]+=" $(run "$SIRR" import branches "$work/branches.csv" --dry-run "${db[@]}")"
    t[ba]+=" $(run "$SIRR" import branches "$work/branches.csv" "${db[@]}")"
    t[br]+=" $(run "$SIRR" import branches "$work/branches.csv" "${db[@]}")"
    grep -q "created 0, updated 0" "$work/out.txt" || { echo "error: the same branches again changed something: $(cat "$work/out.txt")" >&2; exit 1; }
    t[ud]+=" $(run "$SIRR" import users "$work/users.csv" --dry-run "${db[@]}")"
    t[ua]+=" $(run "$SIRR" import users "$work/users.csv" "${db[@]}")"
    t[ur]+=" $(run "$SIRR" import users "$work/users.csv" "${db[@]}")"
    grep -q "created 0, updated 0" "$work/out.txt" || { echo "error: the same users again changed something: $(cat "$work/out.txt")" >&2; exit 1; }
  done
  echo "| $name | branches dry run | branches apply | branches again | users dry run | users apply | users again |"
  echo "|---|---|---|---|---|---|---|"
  echo "| median s ($RUNS runs) | $(median ${t[bd]}) | $(median ${t[ba]}) | $(median ${t[br]}) | $(median ${t[ud]}) | $(median ${t[ua]}) | $(median ${t[ur]}) |"
  echo "| all s | ${t[bd]} | ${t[ba]} | ${t[br]} | ${t[ud]} | ${t[ua]} | ${t[ur]} |"
}

sqlite_fresh() { mkdir -p "$work/data$1"; echo "--data-dir $work/data$1"; }
pg_fresh() {
  local db="sirr_bench_import_$1"
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $db" -qc "CREATE DATABASE $db" > /dev/null
  mkdir -p "$work/data$1"
  echo "--data-dir $work/data$1 --database-url $PG_URL/$db"
}

echo "$N branches, $N users; $("$SIRR" --version); $(nproc) cores; $(date -u +%F)"; echo
bench_on "SQLite" sqlite_fresh
if [ -n "${PG_URL:-}" ]; then
  bench_on "PostgreSQL" pg_fresh
  for r in $(seq "$RUNS"); do psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS sirr_bench_import_$r" > /dev/null; done
fi
