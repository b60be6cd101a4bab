#!/usr/bin/env bash
# Installs every system dependency amsim needs, from Debian 12 packages, when missing.
# Idempotent: installs nothing when all packages are present. Run as root (or with sudo).
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    libgdal-dev gdal-bin          # OGR vector I/O, CRS (PROJ)
    libgeos-dev                   # GEOS C API: validity, MakeValid, union
    libeigen3-dev                 # staffing matrices
    libsqlite3-dev                # the record of runs
    libssl-dev                    # SHA-256 of the inputs in the record of runs
    libcairo2-dev fonts-dejavu-core  # maps (PNG, SVG)
    chromium                      # the report's browser test (headless)
    libtomlplusplus-dev           # scenario and rules-profile TOML
    libcli11-dev                  # command-line parsing
    nlohmann-json3-dev            # --json output for scripts
    libtbb-dev                    # per-province parallelism
    libutf8proc-dev               # Unicode normalisation (NFC) of names and codes
    libcpp-httplib-dev            # amsim serve: the editor's local HTTP server
    libjs-leaflet                 # amsim serve: the editor's map (built into the binary)
    slurmctld slurmd slurm-client munge  # amsim ensemble's cluster test: a single-node Slurm
    googletest libgtest-dev libgmock-dev
    libbenchmark-dev              # bench/
    clang-format                  # scripts/check-format.sh (CI fails on unformatted code)
    clang clang-tidy libclang-rt-14-dev  # sanitize preset, libFuzzer targets, scripts/tidy.sh
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# Node.js and npm drive the editor's browser test (puppeteer-core, from npm): Debian's
# packages unless a Node.js is already installed (its npm with it).
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
    missing+=(nodejs npm)
fi

browser_driver() {
    # The browser tests' driver, pinned by tests/browser/package-lock.json, once.
    local dir
    dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
    if [ ! -d "$dir/node_modules/puppeteer-core" ]; then
        echo "setup: installing the browser tests' driver (npm ci in tests/browser)"
        (cd "$dir" && npm ci --no-audit --no-fund --silent)
    fi
}

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    browser_driver
    exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
browser_driver
