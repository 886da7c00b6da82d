#!/bin/bash
# bench/RESULTS.md, eighth pass: the same inputs through two trees, each with a warm cache folder of its own.
# usage: s11-cmp.sh TREE CACHE OUT  -- digests of real CLI runs (warm cache read from disk), one line per run
tree=$1; export IMR_RULES_CACHE_DIR=$2; out=$3; : > $out
S=/work/shared; W=/work/wt-speed11
letters=$(ls $S/letters/*.txt $S/dwc-letters/*.txt)
run() { (cd $tree && python -m imr_rules.cli "$@" 2>/tmp/s11-err.$$ | sha256sum | cut -c1-16; echo "exit ${PIPESTATUS[0]} err $(sha256sum < /tmp/s11-err.$$ | cut -c1-16)") | tr '\n' ' '; }
cd $tree && python -m imr_rules.cli check $S/letters/001_dbfc6dcde667e7b2.txt >/dev/null 2>&1   # builds the cache
echo "check-json-all-letters $(run check --format json $letters)" >> $out
echo "check-text-all-letters $(run check $letters)" >> $out
for l in $(ls $S/letters/*.txt; ls $S/dwc-letters/*.txt | head -40); do echo "extract-json $(basename $l) $(run extract --format json $l)" >> $out; done
for c in $W/cases/*.yaml; do echo "evaluate-json $(basename $c) $(run evaluate --format json $c)" >> $out; echo "check-json $(basename $c) $(run check --format json $c)" >> $out; done
echo "evaluate-folder-jsonl-jobs2 $(run evaluate /tmp/s11-copies --format jsonl --jobs 2)" >> $out
