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
check() {
	if [ -e "$dest/$1" ]; then echo "ok $1"; else echo "FAIL: missing $1"; fail=1; fi
}
check usr/share/man/man7/procdiag.7
check usr/share/doc/procdiag/README.md
for t in deadfiles pssum oomrank dfdu memfind procdiag-report; do
	check usr/bin/$t
	check usr/share/man/man1/$t.1
	check usr/share/bash-completion/completions/$t
	check usr/share/zsh/site-functions/_$t
	check usr/share/fish/vendor_completions.d/$t.fish
	"$dest/usr/bin/$t" -V | grep -q "^$t from procdiag " ||
		{ echo "FAIL: the installed $t does not run"; fail=1; }
done
extra=$(cd "$dest" && find . -type f | grep -v '^./usr/' || true)
[ -z "$extra" ] || { echo "FAIL: installed outside /usr: $extra"; fail=1; }
exit $fail
