#!/usr/bin/env bash
# The main job on the real national data: set up, build, import the national layers into a
# GeoPackage workspace once, inspect them, dissolve communes into provinces, then generate
# the real 2025 reform as a scenario and run it (new units, verdicts, comparison with the
# official post-reform polygons).
# Outputs go to data/work/ (not committed). AMSIM_DATA_DIR overrides ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release
cmake --build --preset release -j "$(nproc)"

amsim=build/release/cli/amsim
work=data/work
mkdir -p "$work"
post=@/raw/thanglequoc-vietnamese-provinces-database/vn_communes_2025_full.geojson.gz
pre=@/derived/vn_communes_pre2025_mapmaker_gsocodes.geojson.gz

[ -f "$work/communes-2025.gpkg" ] || $amsim import "$post" -o "$work/communes-2025.gpkg"
[ -f "$work/communes-pre2025.gpkg" ] || $amsim import "$pre" -o "$work/communes-pre2025.gpkg"

echo "== post-reform communes (3,321) =="
$amsim inspect "$work/communes-2025.gpkg" --code code --name fullName --parent province_code --list 5
$amsim dissolve "$work/communes-2025.gpkg" --code code --by province_code \
    -o "$work/provinces-2025.gpkg" --overwrite

echo "== pre-reform communes (11,047) =="
$amsim inspect "$work/communes-pre2025.gpkg" --code gso_commune_code_2019 \
    --parent gso_province_code_2019 --list 5
$amsim dissolve "$work/communes-pre2025.gpkg" --code gso_commune_code_2019 \
    --by gso_province_code_2019 -o "$work/provinces-pre2025.gpkg" --overwrite

echo "== the 2025 reform as a scenario (scenarios/vn-2025) =="
$amsim prepare-vn2025 --overwrite
$amsim check scenarios/vn-2025
$amsim run scenarios/vn-2025 -o "$work/runs" --overwrite --official "$work/communes-2025.gpkg" --list 5 \
    --report "$work/reports/vn-2025.html"
$amsim map "$work/runs/vn-2025.gpkg" -o "$work/maps" --province 01 --province 79 \
    --metric new-unit --metric population-pct --metric surplus --overwrite
$amsim run scenarios/vn-2025 --rules vn-2026 -o "$work/runs/vn-2025-under-2026.gpkg" --overwrite --list 0
$amsim run scenarios/vn-2025/scenario-no-province-merger.toml -o "$work/runs" --overwrite --list 0

echo "== staffing after the 2025 reform (estimated from the legal norms) =="
$amsim staff scenarios/vn-2025 -o "$work/runs/staff-2025.csv" --overwrite
$amsim payout --decree 178 --kind early-retirement --coefficient 4.65 --leadership 0.6 \
    --si-years 22 --months-early 30

echo "== a proposal at the real plan's counts, compared with it; the next round under vn-2026 =="
$amsim propose scenarios/vn-2025 -o "$work/proposals/vn-2025" --overwrite
$amsim compare scenarios/vn-2025 "$work/proposals/vn-2025" -o "$work/runs/compare-2025.gpkg" --overwrite
$amsim propose scenarios/vn-2025 --next-round "$work/runs/vn-2025.gpkg" --rules vn-2026 --fix-only \
    -o "$work/proposals/vn-2026" --overwrite
$amsim runs --limit 5
echo "outputs: $work/provinces-2025.gpkg $work/provinces-pre2025.gpkg $work/runs/ $work/proposals/"
echo "report:  $work/reports/vn-2025.html (open it in a browser); maps: $work/maps/"
