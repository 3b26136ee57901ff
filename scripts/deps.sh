#!/usr/bin/env bash
# Installs the Debian packages Security Info needs, only those missing.
#   scripts/deps.sh run    what building and running the app needs
#   scripts/deps.sh test   that, plus what the tests drive (Xvfb, keyring, slapd, ...)
#   scripts/deps.sh directory  what the directory demo needs (slapd, ldap-utils, oathtool)
#   scripts/deps.sh bench  what the tests need, plus hyperfine and GNU time (make bench)
# slapd is installed without starting or enabling its system service: the
# tests and the demo run their own slapd on a loopback port.
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

run_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev libfido2-dev)
test_pkgs=(xvfb xdotool imagemagick zbar-tools oathtool gnome-keyring appstream
  libsecret-tools dbus dbus-x11 libglib2.0-bin xclip python3 python3-xlib
  slapd ldap-utils)
directory_pkgs=(slapd ldap-utils oathtool)
bench_pkgs=(hyperfine time)

want=("${run_pkgs[@]}")
case "${1:-run}" in
  test) want+=("${test_pkgs[@]}") ;;
  directory) want+=("${directory_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "Security Info needs these Debian packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another install may hold the dpkg lock for a while: wait for it.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }

# slapd's postinst would start (and enable) the system service: forbid any
# service start during the install, then put back whatever policy was there.
slapd_new=
for p in "${missing[@]}"; do [ "$p" = slapd ] && slapd_new=1; done
if [ -n "$slapd_new" ]; then
  rc=/usr/sbin/policy-rc.d
  saved=
  if [ -e "$rc" ]; then saved=$(mktemp); cp -p "$rc" "$saved"; fi
  restore_rc() {
    if [ -n "$saved" ]; then mv -f "$saved" "$rc"; else rm -f "$rc"; fi
  }
  trap restore_rc EXIT
  printf '#!/bin/sh\nexit 101\n' >"$rc"
  chmod 755 "$rc"
fi

apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

if [ -n "$slapd_new" ]; then
  # Keep the system slapd off: our tests start their own on loopback ports.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now slapd >/dev/null 2>&1 || true
  else
    update-rc.d slapd disable >/dev/null 2>&1 || true
    [ -x /etc/init.d/slapd ] && /etc/init.d/slapd stop >/dev/null 2>&1 || true
  fi
fi
