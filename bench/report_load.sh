#!/usr/bin/env bash
# Time per PDF coaching report and file size: sirr's own renderer (criterion, in process, and the
# whole `sirr report` command with hyperfine), against the same report through an HTML-to-PDF
# route (WeasyPrint on equivalent HTML with the same fonts, bench/report_html.py).
#
#   bench/report_load.sh [OUT_DIR]     (default target/report-bench)
#
# Needs hyperfine and a Python with WeasyPrint: PYTHON=/path/to/venv/bin/python (default
# /tmp/pdf-venv/bin/python; make one with `python3 -m venv /tmp/pdf-venv &&
# /tmp/pdf-venv/bin/pip install weasyprint`). Results are in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/report-bench}
python=${PYTHON:-/tmp/pdf-venv/bin/python}
mkdir -p "$out"

cargo build --release -p sirr-server --bin sirr
sirr=target/release/sirr
checklists=(--checklist examples/checklists/bank-branch-visit.json
            --checklist examples/checklists/retail-store-visit.json
            --checklist examples/checklists/government-service-centre-visit.json)

# The demo organisation of `sirr serve --demo` (seed 2026, 3 regions, 24 branches, 12 shoppers,
# 6 months); the benchmark in crates/server/benches/report.rs generates the same.
"$sirr" demo-data --seed 2026 --regions 3 --branches 24 --shoppers 12 --months 6 \
  "${checklists[@]}" --out "$out/visits.jsonl"
"$sirr" score "${checklists[@]}" --visits "$out/visits.jsonl" --out "$out/scores.json"
branch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["branches"][0]["key"])' "$out/scores.json")
period=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["periods"][-1]["period"])' "$out/scores.json")
echo "branch $branch, period $period, $(wc -l < "$out/visits.jsonl") visits in the file"

report() {
  "$sirr" report --scores "$out/scores.json" "${checklists[@]}" --visits "$out/visits.jsonl" \
    --branch "$branch" --period "$period" --organisation "Sirr Demo Bank" --lang "$1" "${@:2}"
}
for lang in en ar; do
  report "$lang" --out "$out/report-$lang.pdf" --model "$out/model-$lang.json"
  echo "sirr $lang: $(stat -c %s "$out/report-$lang.pdf") bytes, $(pdfinfo "$out/report-$lang.pdf" | awk '/^Pages/ {print $2}') pages"
done

# The whole command: reading the files, scoring the visits for the breakdowns, rendering.
hyperfine --warmup 3 --runs 20 --export-json "$out/hyperfine.json" \
  -n "sirr report en" "$sirr report --scores $out/scores.json ${checklists[*]} --visits $out/visits.jsonl --branch $branch --period $period --lang en --out $out/h-en.pdf" \
  -n "sirr report ar" "$sirr report --scores $out/scores.json ${checklists[*]} --visits $out/visits.jsonl --branch $branch --period $period --lang ar --out $out/h-ar.pdf"

# Rendering alone (model -> PDF bytes), in process.
cargo bench -p sirr-server --bench report

# The same models through WeasyPrint (rendering only, in process, median of 20).
for lang in en ar; do
  "$python" bench/report_html.py "$out/model-$lang.json" "$out/weasy-$lang.pdf" 20
  echo "weasyprint $lang: $(pdfinfo "$out/weasy-$lang.pdf" | awk '/^Pages/ {print $2}') pages"
done
