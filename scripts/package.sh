#!/usr/bin/env bash
# make package: the Linux archive, built outside the work tree so that the
# tree stays as it was (fyne package builds and removes ./securityinfo and
# raises FyneApp.toml's Build number in the directory it runs in), with the
# AppStream metainfo file added and installed by the archive's Makefile,
# under a name without spaces: securityinfo-VERSION-linux-ARCH.tar.xz.
#   scripts/package.sh FYNE [OUTDIR]
# PACKAGE_EXE packages that binary instead of building one (tests). TAGS:
# the build tags (the Makefile passes its own).
set -euo pipefail
fyne=${1:?fyne tool}
out=${2:-.}
go=${GO:-go}
root=$(cd "$(dirname "$0")/.." && pwd)
id=app.securityinfo.wizard
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' "$root/FyneApp.toml")
arch=$("$go" env GOARCH)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fyne package wants the app's metadata, its icon and Go code beside the
# binary; it never compiles the stub, as --exe names the binary.
mkdir -p "$work/app/assets" "$work/unpacked"
cp "$root/FyneApp.toml" "$work/app/"
cp "$root/assets/icon.png" "$work/app/assets/"
printf 'package main\n\nfunc main() {}\n' >"$work/app/main.go"
printf 'module securityinfo.package\n\ngo 1.21\n' >"$work/app/go.mod"
if [ -n "${PACKAGE_EXE:-}" ]; then
  cp "$PACKAGE_EXE" "$work/app/securityinfo"
else
  (cd "$root" && "$root/scripts/first-build.sh" "$go" build -tags "${TAGS:-no_emoji,no_animations}" -o "$work/app/securityinfo" .)
fi
(cd "$work/app" && "$fyne" package -os linux --release --exe ./securityinfo)

tar -xJf "$work/app/"*.tar.xz -C "$work/unpacked"
pkg="$work/unpacked/securityinfo"
install -Dm0644 "$root/assets/$id.metainfo.xml" "$pkg/usr/local/share/metainfo/$id.metainfo.xml"
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$pkg/usr/local/share/metainfo/$id.metainfo.xml" >/dev/null
fi
# The archive's Makefile installs and removes the metainfo file too.
sed -i \
  -e '/^install:/a\	install -Dm00644 usr/local/share/metainfo/$(AppID).metainfo.xml $(DESTDIR)$(PREFIX)/share/metainfo/$(AppID).metainfo.xml' \
  -e '/^uninstall:/a\	-rm $(DESTDIR)$(PREFIX)/share/metainfo/$(AppID).metainfo.xml' \
  -e '/^user-install:/a\	install -Dm00644 usr/local/share/metainfo/$(AppID).metainfo.xml $(DESTDIR)$(HOME)/.local/share/metainfo/$(AppID).metainfo.xml' \
  -e '/^user-uninstall:/a\	-rm $(DESTDIR)$(HOME)/.local/share/metainfo/$(AppID).metainfo.xml' \
  "$pkg/Makefile"
archive="$out/securityinfo-$version-linux-$arch.tar.xz"
tar -cJf "$archive" -C "$work/unpacked" securityinfo
ls -l "$archive"
