# Sourced by the bench scripts that run the real 2025 plan: from the checkout's top, builds
# the release binary ($amsim), makes $work (data/work/bench) and prepares scenarios/vn-2025
# from the national data if it is not there yet.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work=data/work/bench
mkdir -p "$work"
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)" > /dev/null
amsim=build/release/cli/amsim
[ -f scenarios/vn-2025/scenario.toml ] || $amsim -q prepare-vn2025
