#!/usr/bin/env bash
# Runs every fuzz target (make fuzz) for FUZZTIME each (default 60s), one
# after another, niced and with one fuzzing worker, and prints each
# target's executions. A crasher fails the run; Go keeps it in the
# package's testdata/fuzz/ so that plain go test replays it from then on.
# Their seed corpora run in make unit like any test.
#   FUZZ_TARGETS  "pkg:FuzzName ..." to run only those
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-60s}
GO=${GO:-go}
targets=()
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  # Every func FuzzXxx in a _test.go file of the module.
  while IFS= read -r line; do
    file=${line%%:*}
    name=$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"${line#*:}")
    targets+=("./$(dirname "$file"):$name")
  done < <(git ls-files -co --exclude-standard '*_test.go' | xargs grep -H '^func Fuzz' | sort)
fi
mkdir -p build/fuzz
failed=0
printf '%-40s %-28s %14s %s\n' package target execs result
for t in "${targets[@]}"; do
  pkg=${t%%:*} name=${t#*:}
  log=build/fuzz/$(echo "${pkg#./}_$name" | tr / _).txt
  nice -n 10 "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 3s -parallel 1 "$pkg" >"$log" 2>&1
  rc=$?
  execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  result=ok
  if [ $rc -ne 0 ]; then
    result="FAILED (see $log)"
    failed=1
  fi
  printf '%-40s %-28s %14s %s\n' "$pkg" "$name" "${execs:-?}" "$result"
done
exit $failed
