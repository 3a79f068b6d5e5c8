#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cmake --install into a DESTDIR: binaries, man pages and completions land
# in their GNUInstallDirs places under it, nothing outside it, and the
# installed binary runs. Usage: install.sh BUILD_DIR
set -u
build=$1
dest=$(mktemp -d "${TMPDIR:-/tmp}/pd-install.XXXXXX") || exit 1
trap 'rm -rf "$dest"' EXIT
fail=0

DESTDIR=$dest cmake --install "$build" --prefix /usr >"$dest.log" 2>&1 ||
	{ cat "$dest.log"; rm -f "$dest.log"; exit 1; }
rm -f "$dest.log"
for f in usr/bin/deadfiles usr/share/man/man1/deadfiles.1 \
	usr/share/man/man7/procdiag.7 \
	usr/share/bash-completion/completions/deadfiles \
	usr/share/zsh/site-functions/_deadfiles \
	usr/share/fish/vendor_completions.d/deadfiles.fish; do
	if [ -e "$dest/$f" ]; then echo "ok $f"; else echo "FAIL: missing $f"; fail=1; fi
done
extra=$(cd "$dest" && find . -type f | grep -v '^./usr/' || true)
[ -z "$extra" ] || { echo "FAIL: installed outside /usr: $extra"; fail=1; }
"$dest/usr/bin/deadfiles" -V | grep -q '^deadfiles from procdiag ' ||
	{ echo "FAIL: the installed deadfiles does not run"; fail=1; }
exit $fail
