#!/usr/bin/env bash
# Runs Security Info against a throwaway OpenLDAP directory (`make
# demo-directory`): a slapd on a free loopback port from assets/directory
# with the demo people, a policy file with a [directory] table, the station
# password stored with `securityinfo directory credential`, then the app.
# The directory's data, the policy and the app's data directory live in a
# temporary directory, removed (and slapd stopped) on exit.
#
#   scripts/demo-directory.sh [--check] [BINARY]
#     BINARY   the app (default ./securityinfo)
#     --check  set up the directory, check it answers and write the policy,
#              then stop without running the app
#   DEMO_MODE=desktop|kiosk|helpdesk  the policy's mode (default desktop)
set -euo pipefail
cd "$(dirname "$0")/.."

check=
if [ "${1:-}" = --check ]; then check=1; shift; fi
bin=${1:-./securityinfo}
mode=${DEMO_MODE:-desktop}
assets=assets/directory
base_dn="dc=contoso,dc=example"
root_dn="cn=admin,$base_dn"
station_dn="cn=station1,ou=stations,$base_dn"
helpdesk_dn="cn=securityinfo-helpdesk,ou=groups,$base_dn"

slapd=$(command -v slapd || echo /usr/sbin/slapd)
if [ ! -x "$slapd" ] || ! command -v ldapmodify >/dev/null; then
  echo "The directory demo needs slapd and ldap-utils: run scripts/deps.sh directory" >&2
  exit 1
fi
if [ -z "$check" ] && [ ! -x "$bin" ]; then
  echo "No app at $bin: build it first (make build)" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/securityinfo-directory-demo.XXXXXX")
slapd_pid=
cleanup() {
  if [ -n "$slapd_pid" ]; then
    kill "$slapd_pid" 2>/dev/null || true
    wait "$slapd_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

secret() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
root_pw=$(secret)
station_pw=$(secret)
umask 077
printf '%s' "$root_pw" >"$tmp/rootpw"
printf '%s\n' "$station_pw" >"$tmp/stationpw"

# The slapd configuration, filled in from the template (single provider).
mkdir -p "$tmp/slapd/db" "$tmp/slapd/logdb"
cp "$assets/securityinfo.schema" "$tmp/slapd/"
sed -e "s|@MODULEDIR@|/usr/lib/ldap|g" \
    -e "s|@SCHEMADIR@|/etc/ldap/schema|g" \
    -e "s|@SIDIR@|$tmp/slapd|g" \
    -e "s|@DBDIR@|$tmp/slapd/db|g" \
    -e "s|@LOGDIR@|$tmp/slapd/logdb|g" \
    -e "s|@RUNDIR@|$tmp/slapd|g" \
    -e "s|@SERVERID@|1|g" \
    -e "s|@ROOTPW@|$root_pw|g" \
    -e "s|@REPLICATION@||g" \
    "$assets/slapd.conf" >"$tmp/slapd/slapd.conf"
if ! out=$("$(dirname "$slapd")/slaptest" -u -f "$tmp/slapd/slapd.conf" 2>&1); then
  echo "slapd.conf is not valid: $out" >&2
  exit 1
fi

# A free loopback port: nothing answers on it and slapd manages to bind it.
url=
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 40000))
  if (: </dev/tcp/127.0.0.1/$port) 2>/dev/null; then continue; fi
  "$slapd" -d 0 -f "$tmp/slapd/slapd.conf" -h "ldap://127.0.0.1:$port/" >"$tmp/slapd/slapd.log" 2>&1 &
  slapd_pid=$!
  for _ in $(seq 100); do
    if ldapwhoami -x -H "ldap://127.0.0.1:$port" -D "$root_dn" -y "$tmp/rootpw" >/dev/null 2>&1; then
      url="ldap://127.0.0.1:$port"
      break 2
    fi
    kill -0 "$slapd_pid" 2>/dev/null || break
    sleep 0.05
  done
  kill "$slapd_pid" 2>/dev/null || true
  wait "$slapd_pid" 2>/dev/null || true
  slapd_pid=
done
if [ -z "$url" ]; then
  echo "slapd did not start:" >&2
  cat "$tmp/slapd/slapd.log" >&2
  exit 1
fi

# The tree and the demo people (cleartext passwords are hashed on the way in).
load() { ldapmodify -a -x -H "$url" -D "$root_dn" -y "$tmp/rootpw" >/dev/null; }
sed "s|@STATION_PASSWORD@|$station_pw|" "$assets/base.ldif" | load
load <"$assets/demo-people.ldif"
for who in "uid=alice,ou=people,$base_dn:alice-demo-2026" "$station_dn:$station_pw"; do
  if ! ldapwhoami -x -H "$url" -D "${who%%:*}" -w "${who#*:}" >/dev/null; then
    echo "the demo directory does not accept ${who%%:*}" >&2
    exit 1
  fi
done
# ou=tries (base.ldif), where stations keep the failures of names that
# name nobody: the station must see it, or the app falls back to memory.
if ! ldapsearch -x -LLL -H "$url" -D "$station_dn" -w "$station_pw" -b "ou=tries,$base_dn" -s base '(objectClass=siTries)' dn 2>/dev/null | grep -q '^dn: ou=tries'; then
  echo "the demo directory has no ou=tries the station can see" >&2
  exit 1
fi

# The policy: the embedded default's settings, the chosen mode, and the
# directory to use.
mkdir -p "$tmp/data"
policy="$tmp/policy.toml"
sed -e "s/^mode = .*/mode = \"$mode\"/" -e 's/^demo = .*/demo = false/' assets/default-policy.toml >"$policy"
cat >>"$policy" <<EOF

# The organisation's directory (scripts/demo-directory.sh).
[directory]
url = "$url"
base_dn = "$base_dn"
account_filter = "(|(uid=%s)(mail=%s))"
bind_dn = "$station_dn"
helpdesk_group = "$helpdesk_dn"
EOF

cat <<EOF
Demo directory: $url (base $base_dn), data in $tmp
Policy: $policy (mode $mode)
Sign in with one of (demo passwords):
  alice@contoso.example   alice-demo-2026
  bob@contoso.example     bob-demo-2026
  carol@contoso.example   carol-demo-2026   (helpdesk operator: DEMO_MODE=helpdesk)
Once a person has an authenticator app, the directory wants the password
followed by the current code, e.g.:
  ldapwhoami -x -H $url -D uid=alice,ou=people,$base_dn -w "alice-demo-2026\$(oathtool --totp -b KEY)"
EOF

if [ -n "$check" ]; then
  echo "--check: the directory answers; not starting the app."
  exit 0
fi

# Store the station password and run the app in the same keyring session:
# without a desktop session bus, a private one with a throwaway keyring.
run_app='
  set -e
  "$0" --data-dir "$1" directory credential <"$2"
  "$0" --policy "$3" --data-dir "$1"'
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  bash -c "$run_app" "$bin" "$tmp/data" "$tmp/stationpw" "$policy"
else
  echo "No desktop session bus: starting a private one with a demo keyring."
  dbus-run-session -- bash -c '
    printf demo | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
    '"$run_app" "$bin" "$tmp/data" "$tmp/stationpw" "$policy"
fi
