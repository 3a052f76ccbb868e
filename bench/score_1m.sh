#!/usr/bin/env bash
# The 1,000,000-visit run: `sirr score` against a plain pandas raw-compliance script.
#
#   cargo build --release && bash bench/score_1m.sh
#
# Knobs (environment): DIR (default /tmp/sirr-bench), SIRR_RUNS (3), PANDAS_RUNS (2),
# SKIP_SMALL=1 to skip the small equality check.
#
# 1. Equality check on a small file (demo-data defaults, 400 branches, with calibration visits):
#    pandas_raw.py's branch raw scores must equal sirr's branches[].raw_score within 1e-9 (and its
#    visit scores sirr's visits[].score).
# 2. Generates DIR/visits.jsonl once (skipped when it already has the expected line count).
# 3. Runs `/usr/bin/time -v sirr score` SIRR_RUNS times and `/usr/bin/time -v python3
#    bench/pandas_raw.py` PANDAS_RUNS times, printing wall time and max RSS of each, the medians
#    and the ratio, then checks the 1M branch raw scores of both agree (untimed).
set -euo pipefail
cd "$(dirname "$0")/.."
SIRR=${SIRR:-target/release/sirr}
DIR=${DIR:-/tmp/sirr-bench}
SIRR_RUNS=${SIRR_RUNS:-3}
PANDAS_RUNS=${PANDAS_RUNS:-2}
CHECKLISTS=(examples/checklists/*.json)
mkdir -p "$DIR"

[ -x "$SIRR" ] || { echo "build first: cargo build --release" >&2; exit 2; }

# Prints "wall_seconds max_rss_kib" from a /usr/bin/time -v log.
parse_time() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; wall = s }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.2f %d\n", wall, rss }' "$1"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ { print $2 }') GiB RAM"

if [ "${SKIP_SMALL:-0}" != 1 ]; then
  echo "== 1. equality check on a small file"
  "$SIRR" demo-data --branches 400 --shoppers 60 --seed 5 --out "$DIR/small.jsonl"
  "$SIRR" score --checklist "${CHECKLISTS[@]}" --visits "$DIR/small.jsonl" --out "$DIR/small-report.json"
  python3 bench/pandas_raw.py --checklist "${CHECKLISTS[@]}" --visits "$DIR/small.jsonl" \
    --check "$DIR/small-report.json"
fi

echo "== 2. the 1M-visit file"
VISITS="$DIR/visits.jsonl"
EXPECTED="$DIR/visits.lines"
if [ -s "$VISITS" ] && [ -s "$EXPECTED" ] && [ "$(wc -l < "$VISITS")" = "$(cat "$EXPECTED")" ]; then
  echo "reusing $VISITS"
else
  /usr/bin/time -v "$SIRR" demo-data --branches 5000 --shoppers 800 --regions 10 \
    --min-visits 120 --max-visits 340 --months 12 --out "$VISITS" 2> "$DIR/demo.time"
  wc -l < "$VISITS" > "$EXPECTED"
  read -r wall rss < <(parse_time "$DIR/demo.time")
  echo "demo-data: ${wall} s, max RSS $((rss / 1024)) MiB"
fi
echo "$(cat "$EXPECTED") lines, $(du -h "$VISITS" | cut -f1)"

echo "== 3. sirr score x $SIRR_RUNS"
: > "$DIR/sirr.runs"
for i in $(seq "$SIRR_RUNS"); do
  /usr/bin/time -v "$SIRR" score --checklist "${CHECKLISTS[@]}" --visits "$VISITS" \
    --out "$DIR/report.json" 2> "$DIR/sirr-$i.time"
  read -r wall rss < <(parse_time "$DIR/sirr-$i.time")
  echo "$wall $rss" >> "$DIR/sirr.runs"
  echo "sirr score run $i: ${wall} s wall, max RSS $((rss / 1024)) MiB"
done

echo "== 4. pandas_raw.py x $PANDAS_RUNS"
: > "$DIR/pandas.runs"
for i in $(seq "$PANDAS_RUNS"); do
  /usr/bin/time -v python3 bench/pandas_raw.py --checklist "${CHECKLISTS[@]}" --visits "$VISITS" \
    --out "$DIR/pandas-branches.json" 2> "$DIR/pandas-$i.time"
  grep '^pandas_raw' "$DIR/pandas-$i.time" || true
  read -r wall rss < <(parse_time "$DIR/pandas-$i.time")
  echo "$wall $rss" >> "$DIR/pandas.runs"
  echo "pandas_raw run $i: ${wall} s wall, max RSS $((rss / 1024)) MiB"
done

SW=$(cut -d' ' -f1 "$DIR/sirr.runs" | median)
SR=$(cut -d' ' -f2 "$DIR/sirr.runs" | median)
PW=$(cut -d' ' -f1 "$DIR/pandas.runs" | median)
PR=$(cut -d' ' -f2 "$DIR/pandas.runs" | median)
echo "== summary (medians)"
echo "sirr score : ${SW} s, max RSS $((${SR%.*} / 1024)) MiB"
echo "pandas_raw : ${PW} s, max RSS $((${PR%.*} / 1024)) MiB"
awk -v sw="$SW" -v pw="$PW" -v sr="$SR" -v pr="$PR" \
  'BEGIN { printf "pandas / sirr: wall %.1fx, memory %.1fx\n", pw / sw, pr / sr }'

echo "== 5. 1M branch raw scores agree? (untimed)"
python3 - "$DIR/report.json" "$DIR/pandas-branches.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
mine = json.load(open(sys.argv[2]))
sirr = {b["key"]: b["raw_score"] for b in report["branches"] if b["raw_score"] is not None}
assert set(sirr) == set(mine), (len(sirr), len(mine))
diff = max(abs(sirr[k] - mine[k]) for k in sirr)
print(f"{len(sirr)} branches, {report['model']['observations']} observations in the fit, "
      f"max |pandas - sirr| raw score = {diff:.3g} -> {'EQUAL within 1e-9' if diff <= 1e-9 else 'MISMATCH'}")
sys.exit(0 if diff <= 1e-9 else 1)
EOF
