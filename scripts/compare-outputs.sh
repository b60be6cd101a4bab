#!/usr/bin/env bash
# Writes every national output (prepare-vn2025, run with the official comparison and the
# report, run under vn-2026, staff, propose, compare, maps) with one amsim binary into DIR, so
# that two builds can be compared file by file:
#   scripts/compare-outputs.sh build-before/cli/amsim /tmp/before
#   scripts/compare-outputs.sh build/release/cli/amsim /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
# Both runs work in the same directory (outputs record their paths), then move it to DIR.
# The record of runs (timestamps, durations) goes to DIR/../<name>-runs.sqlite, outside DIR.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 AMSIM_BINARY DIR" >&2; exit 2; }
amsim=$(realpath "$1")
dest=$2
[ ! -e "$dest" ] || { echo "$dest exists" >&2; exit 1; }
w=${TMPDIR:-/tmp}/amsim-compare-work
rm -rf "$w"
mkdir -p "$w"
export AMSIM_RUNS_DB="$w.runs.sqlite"
rm -f "$AMSIM_RUNS_DB"
post=@/raw/thanglequoc-vietnamese-provinces-database/vn_communes_2025_full.geojson.gz
a() { "$amsim" -q "$@" > /dev/null; }
a prepare-vn2025 -o "$w/vn-2025"
a run "$w/vn-2025" -o "$w/runs" --official "$post" --report "$w/reports/vn-2025.html"
a run "$w/vn-2025" --rules vn-2026 -o "$w/runs/vn-2025-under-2026.gpkg"
a run "$w/vn-2025/scenario-no-province-merger.toml" -o "$w/runs"
a staff "$w/vn-2025" -o "$w/staff/staff-2025.csv"
a propose "$w/vn-2025" -o "$w/proposals/vn-2025"
a compare "$w/vn-2025" "$w/proposals/vn-2025" -o "$w/runs/compare-2025.gpkg"
a propose "$w/vn-2025" --next-round "$w/runs/vn-2025.gpkg" --rules vn-2026 --fix-only \
    -o "$w/proposals/vn-2026"
a report "$w/runs/vn-2025-under-2026.gpkg" -o "$w/reports/vn-2025-under-2026.html"
a map "$w/runs/vn-2025.gpkg" -o "$w/maps" --province 01 --province 79 \
    --metric new-unit --metric population-pct --metric surplus --format both
"$amsim" -q --json run "$w/vn-2025" -o "$w/json-run.gpkg" > "$w/run.json"
"$amsim" -q --json staff "$w/vn-2025" > "$w/staff.json"
"$amsim" -q --json compare "$w/vn-2025" "$w/proposals/vn-2025" > "$w/compare.json"
mv "$w" "$dest"
mv "$AMSIM_RUNS_DB" "$dest.runs.sqlite"
find "$dest" -type f | wc -l | xargs echo "files written:"
