#!/bin/bash
# Submits an amsim ensemble to Slurm: an array job of K shards, then one task that summarises
# them once every shard has succeeded (afterok). Prints the two job ids.
#
#   scripts/slurm/submit-ensemble.sh SCENARIO OUTDIR PLANS K [amsim ensemble options...]
#
# AMSIM names the amsim binary the tasks run (default: amsim on the nodes' PATH); extra
# sbatch options go in SBATCH_OPTIONS (e.g. "--partition=long --account=xyz"). OUTDIR must be
# on a file system every node sees. See docs/ensembles.md.
set -euo pipefail
if [ $# -lt 4 ]; then
    echo "usage: $0 SCENARIO OUTDIR PLANS K [amsim ensemble options...]" >&2
    exit 2
fi
scenario=$(realpath "$1") out=$(realpath -m "$2") plans=$3 shards=$4
shift 4
case "$shards" in
'' | *[!0-9]*)
    echo "$0: K must be a whole number of shards, not '$shards'" >&2
    exit 2
    ;;
esac
here=$(dirname "$(realpath "$0")")
mkdir -p "$out/logs"
# shellcheck disable=SC2086 # SBATCH_OPTIONS holds several options
array=$(sbatch --parsable ${SBATCH_OPTIONS:-} --array="1-$shards" \
    --output="$out/logs/shard-%a.log" --export=ALL \
    "$here/ensemble.sbatch" "$scenario" "$out" "$plans" "$shards" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
summary=$(sbatch --parsable ${SBATCH_OPTIONS:-} --dependency="afterok:$array" \
    --job-name=amsim-ensemble-summary --output="$out/logs/summary.log" --export=ALL \
    "$here/ensemble.sbatch" summarise "$out")
summary=${summary%%;*}
echo "array job $array ($shards shards of $plans plans), summary job $summary -> $out"
