#!/usr/bin/env bash
# amsim lookup on a province-sized address register, timed: a million rows naming old
# communes (commune, district, province, as a register spells them) looked up in the real
# 2025 plan, and the plan's 10,052 pre-reform codes of the official merge list.
#   bash bench/lookup_register.sh        (builds release; prepares scenarios/vn-2025 if needed)
# Prints rows, wall time, peak memory and rows per second. AMSIM_DATA_DIR overrides
# ../shared/data.
source "$(dirname "$0")/release_and_plan.sh"

# The register: every named old commune of the base layer, repeated to a million rows.
rm -f "$work/names.csv"
ogr2ogr -f CSV "$work/names.csv" scenarios/vn-2025/base.gpkg \
    -sql "select name as xa, district_name as huyen, province_name as tinh from communes_pre2025 where code_2024 <> ''"
awk 'NR == 1 { print; next } { rows[n++] = $0 } END { for (i = 0; i < 1000000; ++i) print rows[i % n] }' \
    "$work/names.csv" > "$work/register.csv"

for input in register; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" \
        $amsim -q --json lookup scenarios/vn-2025 --table "$work/$input.csv" \
        -o "$work/$input-new.csv" --overwrite > "$work/lookup.json" || true
    read -r t m < <(tail -1 "$work/time.txt")
    rows=$(grep -o '"rows": [0-9]*' "$work/lookup.json" | grep -o '[0-9]*')
    echo "lookup $input: $rows rows in $t s, peak $((m / 1024)) MB, $(awk -v r="$rows" -v t="$t" 'BEGIN { printf "%.0f", r / t }') rows/s"
    grep -A4 '"counts"' "$work/lookup.json" | tr -d '\n ' ; echo
done
