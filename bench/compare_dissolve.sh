#!/usr/bin/env bash
# Side by side on the same GeoPackage input, same machine, one run each by default: amsim, mapshaper and
# ogr2ogr dissolving the national commune layers into provinces. Prints wall time, peak
# memory (max RSS) and the ratios to amsim.
#   bash bench/compare_dissolve.sh            (builds release, imports the layers if needed)
#   RUNS=3 bash bench/compare_dissolve.sh     (each tool run 3 times, the median run kept)
# AMSIM_DATA_DIR overrides ../shared/data. Needs node/npm for mapshaper (npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."
work=data/work
mkdir -p "$work/bench"
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)" > /dev/null
amsim=build/release/cli/amsim
[ -x bench/node_modules/.bin/mapshaper ] || (cd bench && npm install --no-audit --no-fund --silent)
mapshaper=bench/node_modules/.bin/mapshaper

[ -f "$work/communes-2025.gpkg" ] || $amsim -q import \
    @/raw/thanglequoc-vietnamese-provinces-database/vn_communes_2025_full.geojson.gz -o "$work/communes-2025.gpkg"
[ -f "$work/communes-pre2025.gpkg" ] || $amsim -q import \
    @/derived/vn_communes_pre2025_mapmaker_gsocodes.geojson.gz -o "$work/communes-pre2025.gpkg"

# measure COMMAND...: prints "seconds maxrss_kb": the run of median time among $RUNS runs
measure() {
    local i lines=""
    for ((i = 0; i < runs; i++)); do
        { /usr/bin/time -f "%e %M" "$@" > /dev/null 2> "$work/bench/last.err"; } 2>&1 || {
            echo "FAILED: $*" >&2; tail -5 "$work/bench/last.err" >&2; echo "nan nan"; return; }
        lines+="$(tail -1 "$work/bench/last.err")"$'\n'
    done
    printf '%s' "$lines" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

run_case() {
    local name=$1 input=$2 code=$3 field=$4 layer=$5
    local a m o
    a=$(measure $amsim -q dissolve "$input" --code "$code" --by "$field" -o "$work/bench/amsim-$name.gpkg" --overwrite)
    m=$(measure node --max-old-space-size=8000 $mapshaper -i "$input" -dissolve "$field" -o "$work/bench/mapshaper-$name.gpkg" force)
    o=$(measure ogr2ogr -overwrite -f GPKG "$work/bench/ogr2ogr-$name.gpkg" "$input" -dialect sqlite \
        -sql "SELECT $field, ST_Union(geom) AS geom FROM $layer GROUP BY $field" -nln provinces)
    python3 - "$name" "$a" "$m" "$o" <<'PY'
import sys
name, *runs = sys.argv[1:]
(at, am), (mt, mm), (ot, om) = [tuple(float(x) for x in r.split()) for r in runs]
print(f"{name}: amsim {at:.2f} s {am/1024:.0f} MB | mapshaper {mt:.2f} s {mm/1024:.0f} MB "
      f"| ogr2ogr {ot:.2f} s {om/1024:.0f} MB")
print(f"{name}: mapshaper/amsim time x{mt/at:.2f}, memory x{mm/am:.2f}; ogr2ogr/amsim time x{ot/at:.2f}")
PY
}

runs=${RUNS:-1}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); median of $runs run(s) each"
run_case post-reform "$work/communes-2025.gpkg" code province_code vn_communes_2025
run_case pre-reform "$work/communes-pre2025.gpkg" gso_commune_code_2019 gso_province_code_2019 vn_communes_pre2025_mapmaker
