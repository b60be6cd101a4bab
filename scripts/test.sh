#!/usr/bin/env bash
# Sets up, builds (dev preset: warnings are errors) and runs the whole test suite, national
# checks on ../shared/data included (they skip themselves when the data is absent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/check-format.sh
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
ctest --preset dev -j "$(nproc)" --output-on-failure
