#!/usr/bin/env bash
# Installs the Debian packages Security Info needs, only those missing.
#   scripts/deps.sh run    what building and running the app needs
#   scripts/deps.sh test   that, plus what the tests drive (Xvfb, keyring, ...)
# As root it runs apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

run_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev)
test_pkgs=(xvfb xdotool imagemagick zbar-tools oathtool gnome-keyring
  libsecret-tools dbus dbus-x11 libglib2.0-bin xclip python3 python3-xlib)

want=("${run_pkgs[@]}")
[ "${1:-run}" = test ] && want+=("${test_pkgs[@]}")

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
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
