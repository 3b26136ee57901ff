#!/bin/sh
# with-keyring.sh COMMAND [ARG...]
#
# Runs COMMAND inside a private D-Bus session with a throwaway, unlocked
# gnome-keyring, so that the real-keyring tests of package storage never
# touch the keyring of the person running them. For example, from the
# repository root:
#
#   storage/testdata/with-keyring.sh go test ./storage/ -run Real -count=1
#
# HOME and the XDG directories point into a temporary directory that is
# removed afterwards; Go's own directories (module cache, build cache,
# settings) are kept. The keyring daemon is stopped before the session
# ends, and nothing is left running. Exits with COMMAND's status.
#
# Needs: dbus-run-session and gdbus (packages dbus, libglib2.0-bin),
# gnome-keyring-daemon (gnome-keyring); the tests also use secret-tool
# (libsecret-tools).
set -eu

if [ "$#" -eq 0 ]; then
	echo "usage: $0 COMMAND [ARG...]" >&2
	exit 2
fi
for tool in dbus-run-session dbus-daemon gdbus gnome-keyring-daemon secret-tool; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool not found; install dbus, libglib2.0-bin, gnome-keyring and libsecret-tools" >&2
		exit 2
	fi
done

# Keep Go working once HOME moves.
if command -v go >/dev/null 2>&1; then
	GOPATH=$(go env GOPATH)
	GOMODCACHE=$(go env GOMODCACHE)
	GOCACHE=$(go env GOCACHE)
	GOENV=$(go env GOENV)
	export GOPATH GOMODCACHE GOCACHE GOENV
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/securityinfo-keyring.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m 700 "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
export HOME="$tmp/home"
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
# Throwaway password for the new login keyring.
SECURITYINFO_TEST_KEYRING_PASSWORD="throwaway-$$"
SECURITYINFO_REAL_KEYRING=1
export SECURITYINFO_TEST_KEYRING_PASSWORD SECURITYINFO_REAL_KEYRING

# Inside the session: start the keyring daemon in the foreground (so its
# pid is ours to stop), wait until it owns the Secret Service name, run
# the command, stop the daemon, and pass the command's status on.
status=0
dbus-run-session -- sh -eu -c '
	printf %s "$SECURITYINFO_TEST_KEYRING_PASSWORD" |
		gnome-keyring-daemon --foreground --unlock --components=secrets \
			>"$HOME/gnome-keyring.log" 2>&1 &
	daemon=$!
	# A test may have stopped (SIGSTOP) the daemon; let it go on so that
	# it can die.
	stop() {
		kill "$daemon" 2>/dev/null || true
		kill -CONT "$daemon" 2>/dev/null || true
		wait "$daemon" 2>/dev/null || true
	}
	trap stop EXIT
	i=0
	until gdbus call --session --dest org.freedesktop.DBus \
		--object-path /org/freedesktop/DBus \
		--method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
		grep -q true; do
		i=$((i + 1))
		if [ "$i" -ge 100 ] || ! kill -0 "$daemon" 2>/dev/null; then
			echo "with-keyring.sh: gnome-keyring did not start:" >&2
			cat "$HOME/gnome-keyring.log" >&2
			exit 2
		fi
		sleep 0.1
	done
	set +e
	"$@"
	status=$?
	set -e
	exit "$status"
' with-keyring "$@" || status=$?
exit "$status"
