#!/usr/bin/env bash
# Mutation testing of the rules (make mutate): gremlins over each package
# given (default: every package of wizard/ and storage/ but those below),
# one package at a time, niced, one worker, so that it can share a
# machine. Prints each package's score and every mutant that survived,
# then the totals; the raw output is kept in build/mutate/.
#
# Not mutated: storage/directory (its tests need a real slapd and take
# minutes per mutant), storage/directory/slapdtest and storage/storetest
# (test support, not rules), wizard/info and wizard/method (types only).
#   GREMLINS   the gremlins binary (make mutate installs it)
#   MUTATE_PKGS  the packages, e.g. "./wizard/secret ./wizard/phone"
set -uo pipefail
cd "$(dirname "$0")/.."
GREMLINS=${GREMLINS:-build/bin/gremlins}
default=(./wizard/secret ./wizard/regulation ./wizard/authapp ./wizard/phone
  ./wizard/apppassword ./wizard/tap ./wizard/station ./wizard/delivery
  ./storage/memory ./wizard ./storage)
read -r -a pkgs <<<"${MUTATE_PKGS:-${default[*]}}"
out=build/mutate
mkdir -p "$out"
tk=0 tl=0 tt=0 tn=0
for p in "${pkgs[@]}"; do
  name=$(echo "${p#./}" | tr / _)
  args=(unleash --workers 1 --test-cpu 1 --timeout-coefficient 10)
  # wizard and storage themselves, without their sub-packages (each is
  # run on its own).
  case "$p" in ./wizard | ./storage) args+=(-E '^[a-z]+/') ;; esac
  echo "== $p"
  nice -n 10 "$GREMLINS" "${args[@]}" "$p" >"$out/$name.txt" 2>&1
  grep -E '^ *(LIVED|TIMED OUT)' "$out/$name.txt" | sed "s|^ *|   ${p#./}/|; s|at |at |"
  line=$(grep -E '^Killed: ' "$out/$name.txt" | tail -1)
  timed=$(grep -E '^Timed out: ' "$out/$name.txt" | tail -1)
  echo "   $line; $timed"
  k=$(sed -E 's/.*Killed: ([0-9]+).*/\1/' <<<"$line"); l=$(sed -E 's/.*Lived: ([0-9]+).*/\1/' <<<"$line")
  n=$(sed -E 's/.*Not covered: ([0-9]+).*/\1/' <<<"$line"); t=$(sed -E 's/.*Timed out: ([0-9]+).*/\1/' <<<"$timed")
  tk=$((tk + ${k:-0})) tl=$((tl + ${l:-0})) tn=$((tn + ${n:-0})) tt=$((tt + ${t:-0}))
done
total=$((tk + tl + tt))
echo "== total: killed $tk, timed out $tt (counted as killed), lived $tl, not covered $tn"
if [ "$total" -gt 0 ]; then
  awk -v k=$((tk + tt)) -v t=$total 'BEGIN { printf "== mutation score: %.2f%% of %d covered mutants killed\n", 100*k/t, t }'
fi
