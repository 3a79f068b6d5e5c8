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
for t in deadfiles pssum oomrank dfdu memfind memwhere procdiag-report; do
	check usr/bin/$t
	check usr/share/man/man1/$t.1
	check usr/share/bash-completion/completions/$t
	check usr/share/zsh/site-functions/_$t
	check usr/share/fish/vendor_completions.d/$t.fish
	"$dest/usr/bin/$t" -V | grep -q "^$t from procdiag " ||
		{ echo "FAIL: the installed $t does not run"; fail=1; }
done
# The installed report runs the installed tools beside it (not the build's,
# not PATH's): every section has its tool.
out=$(PATH=/nonexistent "$dest/usr/bin/procdiag-report" -q -N 1 2>&1)
[ "$(printf '%s\n' "$out" | grep -c '^== ')" -eq 9 ] ||
	{ echo "FAIL: the installed procdiag-report printed: $out"; fail=1; }
if printf '%s\n' "$out" | grep -q 'not found beside procdiag-report'; then
	echo "FAIL: the installed procdiag-report misses a tool: $out"; fail=1
fi
extra=$(cd "$dest" && find . -type f | grep -v '^./usr/' || true)
[ -z "$extra" ] || { echo "FAIL: installed outside /usr: $extra"; fail=1; }
exit $fail
