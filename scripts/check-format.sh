#!/usr/bin/env bash
# Fails if any tracked C++ file is not formatted by .clang-format (clang-format 14).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format > /dev/null; then
    echo "check-format: clang-format not installed; skipped" >&2
    exit 0
fi
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run -Werror
echo "check-format: all files formatted"
