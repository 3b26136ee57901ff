#!/usr/bin/env bash
# bench/ab.sh [-rounds N] [-cold] NAME=COMMAND...: bench/ab under a private
# Xvfb and D-Bus keyring, as make bench's start-up part runs. See
# bench/ab/main.go. Build what it compares with -tags benchprobe and the
# Makefile's TAGS, e.g.
#
#	go build -tags benchprobe,no_emoji,no_animations -o /tmp/new .
#	bench/ab.sh -rounds 20 'old=/tmp/old --demo --data-dir /tmp/d-old' 'new=/tmp/new --demo --data-dir /tmp/d-new'
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/.cache/bin
go build -o bench/.cache/bin/ab ./bench/ab
for n in $(seq 150 190); do
	[ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break
done
# -noreset: the server must not reset when the last window closes.
Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
export LANG=${LANG:-en_US.UTF-8}
DISPLAY=":$n" storage/testdata/with-keyring.sh bench/.cache/bin/ab "$@" 2>&1 | { grep -v 'dbus-daemon.*fd limit' || true; }
