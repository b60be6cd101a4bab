#!/usr/bin/env bash
# clang-tidy with the project's .clang-tidy (warnings are errors) on the C++ files a change
# touches: those changed since AMSIM_TIDY_BASE (default HEAD~1, the commit before the last),
# uncommitted edits included; a changed header brings in the source file of the same name.
#   bash scripts/tidy.sh              the change
#   bash scripts/tidy.sh --all        every source file (about 10 minutes on 2 cores)
#   bash scripts/tidy.sh FILE...      these files
# Needs the dev build's compile_commands.json (cmake --preset dev).
set -euo pipefail
cd "$(dirname "$0")/.."
db=build/dev
[ -f "$db/compile_commands.json" ] || cmake --preset dev >/dev/null

if [ "${1:-}" = --all ]; then
    mapfile -t changed < <(git ls-files '*.cpp')
elif [ $# -gt 0 ]; then
    changed=("$@")
else
    base=${AMSIM_TIDY_BASE:-HEAD~1}
    if ! git rev-parse -q --verify "$base^{commit}" >/dev/null; then
        echo "tidy: no commit '$base' here (a clone without history?): nothing to compare with;" \
             "set AMSIM_TIDY_BASE=<commit> or pass --all"
        exit 0
    fi
    mapfile -t changed < <({ git diff --name-only "$base" -- '*.cpp' '*.hpp'
                             git ls-files --others --exclude-standard -- '*.cpp' '*.hpp'; } | sort -u)
fi

# Source files to run on: those changed, and for a header the source file of its name; only
# files that exist now and that the dev build compiles.
files=()
for f in "${changed[@]}"; do
    case "$f" in
    *.hpp) stem=$(basename "$f" .hpp)
           mapfile -t -O "${#files[@]}" files < <(git ls-files "*/$stem.cpp") ;;
    *.cpp) files+=("$f") ;;
    esac
done
todo=()
for f in $(printf '%s\n' "${files[@]}" | sort -u); do
    if [ -f "$f" ] && grep -q "\"file\": \"$(realpath "$f")\"" "$db/compile_commands.json"; then
        todo+=("$f")
    fi
done
if [ ${#todo[@]} -eq 0 ]; then
    echo "tidy: no C++ source file changed"
    exit 0
fi
echo "tidy: ${#todo[@]} file(s): ${todo[*]}"
printf '%s\n' "${todo[@]}" |
    xargs -P "$(nproc)" -n 1 clang-tidy -p "$db" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null
echo "tidy: clean"
