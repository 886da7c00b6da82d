#!/usr/bin/env bash
# The same inputs through one tree's CLI as real processes, each reading a warm cache folder of its own
# (bench/RESULTS.md, eighth pass): one line per run, the SHA-256 of stdout and stderr and the exit code.
# Run it on two trees (each with ../shared beside it) and diff the OUT files: no line may differ.
#   usage: bench/same_bytes_warm.sh TREE CACHE_DIR OUT
set -uo pipefail
[ $# -eq 3 ] || { echo "usage: $0 TREE CACHE_DIR OUT" >&2; exit 2; }
tree=$(cd "$1" && pwd); export IMR_RULES_CACHE_DIR=$2; out=$3
shared=$tree/../shared
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
: > "$out"
run() {
    (cd "$tree" && python -m imr_rules.cli "$@" 2>"$scratch/err" | sha256sum | cut -c1-16
     echo "exit ${PIPESTATUS[0]} err $(sha256sum < "$scratch/err" | cut -c1-16)") | tr '\n' ' '
}
mapfile -t letters < <(ls "$shared"/letters/*.txt "$shared"/dwc-letters/*.txt)
mkdir -p "$scratch/copies"  # a folder of 300 case files: the bundled cases, copied
for n in $(seq 1 60); do for c in "$tree"/cases/*.yaml; do cp "$c" "$scratch/copies/$n-$(basename "$c")"; done; done
run check "${letters[0]}" >/dev/null  # builds the cache
echo "check-json-all-letters $(run check --format json "${letters[@]}")" >> "$out"
echo "check-text-all-letters $(run check "${letters[@]}")" >> "$out"
for l in "${letters[@]:0:45}"; do echo "extract-json $(basename "$l") $(run extract --format json "$l")" >> "$out"; done
for c in "$tree"/cases/*.yaml; do
    echo "evaluate-json $(basename "$c") $(run evaluate --format json "$c")" >> "$out"
    echo "check-json $(basename "$c") $(run check --format json "$c")" >> "$out"
done
echo "evaluate-folder-jsonl-jobs2 $(run evaluate "$scratch/copies" --format jsonl --jobs 2)" >> "$out"
