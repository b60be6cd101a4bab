#!/usr/bin/env bash
# Sets up, builds and runs everything CI runs (about 24 minutes on 2 cores, plus about 25 s
# for each C++ file a change touches, for clang-tidy):
#   the dev build (warnings are errors) and the whole test suite, national checks on
#   ../shared/data included (they skip themselves when the data is absent);
#   clang-tidy on the files the last commit and any uncommitted edits touch;
#   the sanitize build (clang, AddressSanitizer + UndefinedBehaviorSanitizer) and the fast
#   tests under it (not the national, browser and Slurm ones); every libFuzzer target for AMSIM_FUZZ_SECONDS each (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step setup
bash scripts/setup.sh
bash scripts/check-format.sh

step "dev build and tests"
cmake --preset dev
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs" --output-on-failure

step clang-tidy
bash scripts/tidy.sh

step "sanitize build and fast tests"
cmake --preset sanitize
cmake --build --preset sanitize -j "$jobs"
ctest --preset sanitize -j "$jobs" --output-on-failure -LE "national|browser|slurm"

step fuzz
bash scripts/fuzz.sh "${AMSIM_FUZZ_SECONDS:-60}"
step done
