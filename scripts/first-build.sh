#!/usr/bin/env bash
# Runs a build command (make build's) and, when the OpenGL and GLFW C code
# (go-gl) isn't compiled yet on this machine, says first that this build
# takes several minutes, then shows it is still going every 30 s, instead
# of minutes of silence.
#   scripts/first-build.sh go build -o securityinfo .
# FIRST_BUILD=1 says the build is a first one without asking go (tests);
# FIRST_BUILD_EVERY is the seconds between progress lines.
set -euo pipefail
go=${1:?build command}
every=${FIRST_BUILD_EVERY:-30}
first=${FIRST_BUILD:-}
if [ -z "$first" ] && "$go" list -f '{{.Stale}}' github.com/go-gl/gl/v2.1/gl github.com/go-gl/glfw/v3.3/glfw 2>/dev/null | grep -q true; then
  first=1
fi
if [ "$first" != 1 ]; then
  exec "$@"
fi
echo "First build on this machine: compiling the OpenGL and GLFW C code (go-gl) takes several minutes"
echo "(about 10 on 2 cores); later builds take seconds. Progress every ${every} s:"
start=$SECONDS
"$@" &
build=$!
trap 'kill "$build" 2>/dev/null || true' INT TERM
while kill -0 "$build" 2>/dev/null; do
  for _ in $(seq "$every"); do
    sleep 1
    kill -0 "$build" 2>/dev/null || break 2
  done
  t=$((SECONDS - start))
  printf '  still compiling: %dm%02ds\n' $((t / 60)) $((t % 60))
done
status=0
wait "$build" || status=$?
t=$((SECONDS - start))
[ "$status" = 0 ] && printf 'Built in %dm%02ds.\n' $((t / 60)) $((t % 60))
exit "$status"
