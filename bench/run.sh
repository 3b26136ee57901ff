#!/usr/bin/env bash
# bench/run.sh: what `make bench` runs (after scripts/deps.sh bench and
# installing benchstat into build/bin). Prints one table and writes it to
# bench/RESULTS.md. See bench/README.md.
#
# Knobs (environment): BENCH_ROUNDS (start-up pairs per baseline, cold and
# warm; 10), BENCH_COUNT (go test -count for the directory, half in each
# order of the sizes; 6),
# BENCH_CLI_RUNS (hyperfine runs of each admin command; 10; 3 for the
# unfiltered ones on the large data dir; the filtered ones: that many
# rounds of 2 runs, alternating the sizes),
# BENCH_PAGE_N and BENCH_PAGE_COUNT (iterations and -count of the page
# build and transition benchmarks of ui and wizard; 30 and 5).
set -euo pipefail
cd "$(dirname "$0")/.."

cache=bench/.cache
run=$cache/run
bin=$cache/bin
ROUNDS=${BENCH_ROUNDS:-10}
COUNT=${BENCH_COUNT:-6}
CLI_RUNS=${BENCH_CLI_RUNS:-10}
PAGE_N=${BENCH_PAGE_N:-30}
PAGE_COUNT=${BENCH_PAGE_COUNT:-5}
GO=${GO:-go}
# The build tags make build uses (the Makefile passes its TAGS).
TAGS=${TAGS:-no_emoji,no_animations}
BENCHSTAT=${BENCHSTAT:-build/bin/benchstat}
export LANG=${LANG:-en_US.UTF-8} CGO_ENABLED=1

# --- Inside Xvfb and a private D-Bus session with a keyring (see below) ---
if [ "${1:-}" = --inside ]; then
	"$bin/harness" startup -app "$bin/securityinfo-probe" -minimal "$bin/minimal-probe" \
		-data "$run/data" -rounds "$ROUNDS" -out "$run/samples.jsonl"
	exit 0
fi

started=$(date +%s)
step() { printf '\n== %s (%ds)\n' "$*" $(($(date +%s) - started)); }
rm -rf "$run"
mkdir -p "$run" "$bin"
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "load average at the start (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with uncommitted changes)')"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB; $($GO version | cut -d' ' -f3-)"
	echo "display: Xvfb 1280x1024x24, Mesa llvmpipe (software GL), no window manager"
	echo "build tags (app and baselines alike): $TAGS"
} >"$run/meta.txt"

step "build"
$GO build -tags "$TAGS" -o "$bin/securityinfo" .
$GO build -tags "$TAGS" -o "$bin/minimal" ./bench/minimal
$GO build -tags "benchprobe,$TAGS" -o "$bin/securityinfo-probe" .
$GO build -tags "benchprobe,$TAGS" -o "$bin/minimal-probe" ./bench/minimal
$GO build -o "$bin/harness" ./bench/harness
$GO build -o "$bin/populate" ./bench/populate
printf 'app %s\nminimal %s\n' "$(stat -c %s "$bin/securityinfo")" "$(stat -c %s "$bin/minimal")" >"$run/sizes.txt"

step "local data dirs (cached by the storage code's hash)"
key=$(cat storage/*.go bench/populate/main.go | sha256sum | cut -c1-12)
declare -A dirs=([small]="1000 10000" [large]="100000 1000000")
for size in small large; do
	d=$cache/data-$key/$size
	if ! [ -f "$d/populate.txt" ]; then
		rm -rf "$d"
		mkdir -p "$(dirname "$d")"
		read -r accounts audit <<<"${dirs[$size]}"
		"$bin/populate" -dir "$d" -n "$accounts" -audit "$audit" >"$d.txt"
		mv "$d.txt" "$d/populate.txt"
	fi
	echo "local $size: $(cat "$d/populate.txt")" | tee -a "$run/populate.txt"
done
for old in "$cache"/data-*; do [ "$old" = "$cache/data-$key" ] || rm -rf "$old"; done

step "directory benchmarks (slapd; go test -count $COUNT in two orders, benchstat)"
for order in 10,100000 100000,10; do
	SECURITYINFO_BENCH_PEOPLE=$order SECURITYINFO_REQUIRE_SLAPD=1 $GO test -run '^$' -bench 'Directory_' \
		-count $((COUNT / 2)) -timeout 30m ./storage/directory/ >>"$run/directory.txt" || { cat "$run/directory.txt"; exit 1; }
done
grep '^populated' "$run/directory.txt" | sed 's/^/directory: /' | tee -a "$run/populate.txt"
"$BENCHSTAT" -col /people "$run/directory.txt" | tee "$run/benchstat.txt"

step "page builds and transitions (go test -bench, Fyne test driver; -count $PAGE_COUNT)"
for pkg in ./ui/ ./wizard/; do
	$GO test -tags "$TAGS" -run '^$' -bench '^Benchmark(New|BuildPages|Page|Transition|Flow)$' -benchtime "${PAGE_N}x" \
		-count "$PAGE_COUNT" "$pkg" 2>/dev/null | grep -E '^(pkg:|Benchmark)' >>"$run/pages.txt" || { echo "page benchmarks in $pkg failed"; exit 1; }
done

step "admin commands (hyperfine, /usr/bin/time)"
names=("audit list" "audit list --account user000500@contoso.example" "audit list --since (the last 10 entries)" "user list")
declare -A since
for size in small large; do
	since[$size]=$(sed -n 's/.*since_last10=\([^ ]*\).*/\1/p' "$cache/data-$key/$size/populate.txt")
done
# cmd SIZE I: the arguments of command I on that size's data dir.
cmd() {
	local args=("audit list" "audit list --account user000500@contoso.example" "audit list --since ${since[$1]}" "user list")
	echo "${args[$2]}"
}
# hf SIZE I RUNS WARMUP FILE: hyperfine of command I on SIZE, each run
# under /usr/bin/time for its peak RSS.
hf() {
	local d=$cache/data-$key/$1
	hyperfine -N --style basic --warmup "$4" --runs "$3" --export-json "$5" \
		-n "${names[$2]}" "/usr/bin/time -f %M -a -o $run/rss-$1-$2.txt $bin/securityinfo --data-dir $d $(cmd "$1" "$2")"
}
for i in "${!names[@]}"; do
	if [[ "$(cmd small "$i")" != *--* ]]; then
		# Reading everything takes seconds on the large dir: 3 runs
		# there, and no ratio is judged.
		hf small "$i" "$CLI_RUNS" 1 "$run/cli-small-$i.json"
		hf large "$i" 3 0 "$run/cli-large-$i.json"
		continue
	fi
	# The filtered ones take milliseconds and are judged on the ratio of
	# the sizes: measured in CLI_RUNS rounds of 2 runs that alternate the
	# sizes (and which goes first), so that the machine's load, which
	# drifts over a minute, weighs on both alike (the report takes the
	# median of all of a size's runs).
	for r in $(seq 0 $((CLI_RUNS - 1))); do
		order=(small large)
		if ((r % 2)); then order=(large small); fi
		for size in "${order[@]}"; do
			hf "$size" "$i" 2 1 "$run/cli-$size-$i-r$r.json"
		done
	done
done
for size in small large; do
	for i in "${!names[@]}"; do
		sort -n "$run/rss-$size-$i.txt" | tail -1 | sed "s|^|$size ${names[$i]} |" >>"$run/rss.txt"
	done
done

step "start-up (Xvfb; $ROUNDS pairs per baseline, cold and warm)"
for n in $(seq 90 140); do
	[ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break
done
# -noreset: the server must not reset when the last window closes.
Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp -noreset >"$run/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
mkdir -p "$run/data"
DISPLAY=":$n" storage/testdata/with-keyring.sh bash bench/run.sh --inside 2>&1 | { grep -v 'dbus-daemon.*fd limit' || true; }
kill "$xvfb" 2>/dev/null || true

step "report"
{
	echo "load average at the end (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "duration: $(($(date +%s) - started)) s"
} >>"$run/meta.txt"
"$bin/harness" report -run "$run" -out bench/RESULTS.md
