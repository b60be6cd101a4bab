#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz) for SECONDS each (default 60), two at a time,
# from its seed corpus; new inputs go to a scratch directory, never into the repository.
# A crash, a sanitizer finding or a broken property fails the script and keeps the input
# that caused it in build/sanitize/fuzz-findings/. Needs the sanitize build:
#   cmake --preset sanitize && cmake --build --preset sanitize
# Before a release, run longer with random seeds: AMSIM_FUZZ_SEED=0 bash scripts/fuzz.sh 3600
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
# A fixed seed by default, so that CI explores the same inputs each time (give
# AMSIM_FUZZ_SEED=0 for a random one, as a long run before a release should).
seed=${AMSIM_FUZZ_SEED:-1}
bin=build/sanitize/tests/fuzz
findings=build/sanitize/fuzz-findings
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$findings"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizer/lsan.supp:print_suppressions=0

run_one() {
    local name=$1
    mkdir -p "$scratch/$name"
    if "$bin/fuzz_$name" -max_total_time="$seconds" -seed="$seed" -rss_limit_mb=2048 -max_len=4096 \
        -artifact_prefix="$findings/$name-" -print_final_stats=1 \
        "$scratch/$name" "tests/fuzz/corpus/$name" > "$scratch/$name.log" 2>&1; then
        local runs
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/$name.log" |
            grep -o '[0-9]*$')
        printf 'fuzz %-16s %6s s  %10s executions  %6s/s  ok\n' "$name" "$seconds" "$runs" \
            "$((runs / seconds))"
    else
        echo "fuzz $name: FINDING (input kept in $findings)"
        tail -40 "$scratch/$name.log"
        return 1
    fi
}

targets=(csv mapping group_table staffing_table ages profile scenario proposal_tables)
status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run_one "${targets[i]}" & a=$!
    if ((i + 1 < ${#targets[@]})); then run_one "${targets[i + 1]}" & b=$!; else b=; fi
    wait "$a" || status=1
    if [ -n "$b" ]; then wait "$b" || status=1; fi
done
exit $status
