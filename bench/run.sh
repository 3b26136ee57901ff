#!/usr/bin/env bash
# bench/run.sh: what `make bench` runs. Prints one table and writes it, with
# notes, to bench/RESULTS.md. See bench/README.md.
#
# Knobs (environment): BENCH_PAIRS (A/B pairs, cold and warm; default 15,
# at least 10), BENCH_FIRST_PAIRS (first-start pairs; 5), BENCH_ROUNDS
# (scale rounds; 15), BENCH_CLI_RUNS (9), BENCH_TRACE_RUNS (3; 0 skips the
# start-up traces), BENCH_BENCHTIME (go test -benchtime; 300ms),
# BENCH_SIZES ("0 10000 100000").
set -euo pipefail
cd "$(dirname "$0")/.."

cache=bench/.cache
run=$cache/run
bin=$cache/bin
PAIRS=${BENCH_PAIRS:-15}
FIRST_PAIRS=${BENCH_FIRST_PAIRS:-5}
ROUNDS=${BENCH_ROUNDS:-15}
CLI_RUNS=${BENCH_CLI_RUNS:-9}
TRACE_RUNS=${BENCH_TRACE_RUNS:-3}
BENCHTIME=${BENCH_BENCHTIME:-300ms}
SIZES=${BENCH_SIZES:-0 10000 100000}
GO=${GO:-go}
export LANG=${LANG:-en_US.UTF-8} CGO_ENABLED=1

# --- Inside the private D-Bus session (see the end of this file) ----------
if [ "${1:-}" = --inside ]; then
	m=$bin/measure
	s=$run/samples.jsonl
	tmp=$run/tmp
	mkdir -p "$tmp"
	"$m" frames -app "$bin/securityinfo" -minimal "$bin/minimal" -data "$run/data/0" -pairs "$PAIRS" -out "$s" -tmp "$tmp"
	"$m" first -app "$bin/securityinfo" -minimal "$bin/minimal" -pairs "$FIRST_PAIRS" -out "$s" -tmp "$tmp"
	"$m" scale -app "$bin/securityinfo" -dirs "$DIRS" -rounds "$ROUNDS" -out "$s" -tmp "$tmp"
	"$m" cli -app "$bin/securityinfo" -dirs "$DIRS" -runs "$CLI_RUNS" -out "$s" -tmp "$tmp"
	if [ "$TRACE_RUNS" -gt 0 ]; then
		mkdir -p "$run/trace"
		"$m" trace -app "$bin/securityinfo-wallclock" -minimal "$bin/minimal-wallclock" -data "$run/data/0" \
			-runs "$TRACE_RUNS" -tracedir "$run/trace" -tmp "$tmp"
		for g in warm cold; do
			until=$("$m" median -out "$s" -group "$g" -prog app)
			for p in app minimal; do
				"$bin/wallclock" -until "$until" -min 3 -depth 10 -timeline 4 "$run/trace/$g-$p".* >"$run/wallclock-$g-$p.txt"
				"$bin/wallclock" -phases -until "$until" "$run/trace/$g-$p".* >"$run/phases-$g-$p.txt"
			done
		done
	fi
	exit 0
fi

started=$(date +%s)
step() { printf '\n== %s (%ds)\n' "$*" $(($(date +%s) - started)); }

# --- Tools ------------------------------------------------------------------
step "tools"
scripts/deps.sh test
if ! [ -x /usr/bin/time ]; then
	if [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
	else
		echo "bench needs GNU time: sudo apt-get install -y time" >&2
		exit 1
	fi
fi

rm -rf "$run"
mkdir -p "$run" "$bin"

# --- Build once -------------------------------------------------------------
step "build"
root=$PWD
$GO build -o "$bin/securityinfo" .
$GO build -o "$bin/minimal" ./bench/minimal
$GO build -ldflags='-s -w' -o "$bin/securityinfo-stripped" .
$GO build -ldflags='-s -w' -o "$bin/minimal-stripped" ./bench/minimal
for t in measure report populate wallclock; do $GO build -o "$bin/$t" "./bench/$t"; done
# The same programs with bench/profile/wallclock.go.in added to their
# package main (no source file changes): they sample their own UI thread.
printf '{"Replace":{"%s/zz_bench_wallclock.go":"%s/bench/profile/wallclock.go.in"}}\n' "$root" "$root" >"$run/overlay-app.json"
printf '{"Replace":{"%s/bench/minimal/zz_bench_wallclock.go":"%s/bench/profile/wallclock.go.in"}}\n' "$root" "$root" >"$run/overlay-minimal.json"
$GO build -overlay "$run/overlay-app.json" -o "$bin/securityinfo-wallclock" .
$GO build -overlay "$run/overlay-minimal.json" -o "$bin/minimal-wallclock" ./bench/minimal
for p in securityinfo minimal; do
	name=$p
	[ "$p" = securityinfo ] && name=app
	echo "$name plain $(stat -c %s "$bin/$p")"
	echo "$name stripped $(stat -c %s "$bin/$p-stripped")"
done >"$run/sizes.txt"
cat "$run/sizes.txt"

# --- Populated data directories, cached by size and storage code ----------
step "data directories"
key=$(ls storage/*.go | grep -v '_test\.go$' | xargs cat bench/populate/main.go wizard/demo.go wizard/password.go | sha256sum | cut -c1-12)
DIRS=
for n in $SIZES; do
	d=$cache/data-$key/$n
	if ! [ -f "$d/securityinfo.db" ]; then
		echo "populating $n accounts (once; cached in $d)"
		rm -rf "$d.tmp"
		mkdir -p "$(dirname "$d")"
		line=$("$bin/populate" -dir "$d.tmp" -n "$n")
		echo "$line" | tee "$d.tmp/populate.txt"
		mv "$d.tmp" "$d"
	fi
	cat "$d/populate.txt" >>"$run/populate.txt"
	# Each run works on a copy: the app writes to its data dir.
	mkdir -p "$run/data/$n"
	cp "$d/securityinfo.db" "$run/data/$n/"
	DIRS=${DIRS:+$DIRS,}$n=$PWD/$run/data/$n
done
# Older caches (another storage layout) are dropped.
for old in "$cache"/data-*; do
	[ "$old" = "$cache/data-$key" ] || rm -rf "$old"
done
export DIRS

# --- Start-up under Xvfb, in a private D-Bus session with a keyring --------
step "start-up (Xvfb)"
for n in $(seq 90 140); do
	[ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break
done
# -noreset: the server must not reset when the last window closes.
Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp -noreset -br >"$run/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
export DISPLAY=":$n"
export BENCH_PAIRS=$PAIRS BENCH_FIRST_PAIRS=$FIRST_PAIRS BENCH_ROUNDS=$ROUNDS BENCH_CLI_RUNS=$CLI_RUNS BENCH_TRACE_RUNS=$TRACE_RUNS
storage/testdata/with-keyring.sh bash bench/run.sh --inside 2>&1 | grep -v 'dbus-daemon.*fd limit'
kill "$xvfb" 2>/dev/null || true

# --- Go benchmarks ------------------------------------------------------------
step "go test -bench (benchtime $BENCHTIME)"
SECURITYINFO_BENCH_DIRS=$DIRS $GO test -run '^$' -bench . -benchmem -benchtime="$BENCHTIME" -timeout 20m \
	./ui/ ./wizard/ ./wizard/authapp/ ./storage/ 2>&1 | tee "$run/gotest.txt" | grep -E '^(Benchmark|ok|FAIL|pkg:)'
if grep -q '^FAIL' "$run/gotest.txt"; then
	echo "bench: a benchmark failed; see $run/gotest.txt" >&2
	exit 1
fi

# --- Report -------------------------------------------------------------------
step "report"
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
	echo "go: $($GO version | cut -d' ' -f3-)"
	echo "display: Xvfb 1280x1024x24, Mesa llvmpipe (software GL), no window manager"
	echo "duration: $(($(date +%s) - started)) s"
} >"$run/meta.txt"
rm -rf "$run/data" "$run/tmp"
"$bin/report" -dir "$run" -out bench/RESULTS.md -notes bench/NOTES.md
