#!/usr/bin/env bash
# Runs the app for `make run`. Without a desktop session bus there is no
# system keyring to keep secrets in, so a private D-Bus session with a demo
# GNOME Keyring (unlocked with a throwaway password) is started for it.
set -euo pipefail
bin=${1:?binary}; shift
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec "$bin" "$@"
fi
echo "No desktop session bus: starting a private one with a demo keyring."
exec dbus-run-session -- bash -c '
  printf demo | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
  exec "$0" "$@"' "$bin" "$@"
