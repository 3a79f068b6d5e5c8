#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The .deb: build it with cpack from BUILD_DIR, check its metadata
# (dpkg-deb -I) and file list (dpkg-deb -c), extract it into a throwaway
# root and run every TOOL's -V from there. Root only (skipped, 77,
# otherwise), as CI runs it. Usage: package.sh BUILD_DIR VERSION TOOL...
set -u
build=$1 version=$2
shift 2
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: building the .deb is tested as root"
	exit 77
fi
for p in cpack dpkg-deb dpkg-shlibdeps readelf; do
	command -v $p >/dev/null || { echo "FAIL: $p is missing (dpkg-dev)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out") \
	>"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
set -- "$tmp"/out/procdiag_"$version"_*.deb "$@"
deb=$1
shift
[ -f "$deb" ] || { bad "no procdiag_${version}_ARCH.deb: $(ls "$tmp/out")"; exit 1; }
echo "ok built $(basename "$deb")"

dpkg-deb -I "$deb" >"$tmp/info" || bad "dpkg-deb -I failed"
field() { sed -n "s/^ $1: //p" "$tmp/info"; }
[ "$(field Package)" = procdiag ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || bad "Version: $(field Version)"
[ "$(field Section)" = admin ] || bad "Section: $(field Section)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || bad "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || bad "no Maintainer"
[ -n "$(field Description)" ] || bad "no Description"
# a synopsis, then an extended description indented by exactly one space
dpkg-deb -f "$deb" Description >"$tmp/desc"
[ "$(wc -l <"$tmp/desc")" -ge 2 ] || bad "no extended description"
tail -n +2 "$tmp/desc" | grep -qv '^ [^ ]' && bad "extended description badly indented: $(cat "$tmp/desc")"
deps=$(field Depends)
# json-c: lib/cgname reads the container runtimes' JSON files
for lib in libc6 libmount1 libsmartcols1 libjson-c5; do
	echo "$deps" | grep -q "\\b$lib (>= " || bad "Depends lacks a versioned $lib: $deps"
done
echo "ok metadata: Depends: $deps"

dpkg-deb -c "$deb" | awk '{ print $6 }' >"$tmp/files" || bad "dpkg-deb -c failed"
has() { grep -qx "$1" "$tmp/files" || bad "the package lacks $1"; }
has ./usr/share/man/man7/procdiag.7
has ./usr/share/doc/procdiag/README.md
for t in "$@"; do
	has ./usr/bin/$t
	has ./usr/share/man/man1/$t.1
	has ./usr/share/bash-completion/completions/$t
	has ./usr/share/zsh/site-functions/_$t
	has ./usr/share/fish/vendor_completions.d/$t.fish
done
outside=$(grep -v '^\./usr/' "$tmp/files" | grep -v '^\./$' || true)
[ -z "$outside" ] || bad "files outside /usr: $outside"
echo "ok $(wc -l <"$tmp/files") entries"

# dpkg would install it here (dependencies met, nothing in the way);
# --no-act changes nothing on the machine.
dpkg --no-act -i "$deb" >"$tmp/noact" 2>&1 && echo "ok dpkg --no-act -i" ||
	{ bad "dpkg --no-act -i:"; cat "$tmp/noact"; }

mkdir "$tmp/root"
dpkg-deb -x "$deb" "$tmp/root" || bad "dpkg-deb -x failed"
# The tools that name containers (CONTAINER, POD) link json-c, the
# others need not. A sanitized build links every library it is given:
# gcc puts --no-as-needed before libasan, and it holds for json-c after
# it; there only the first half is checked.
sanitized=0
grep -q '^PD_SANITIZE:BOOL=ON$' "$build/CMakeCache.txt" && sanitized=1
for t in "$@"; do
	case $t in
	deadfiles | pssum | oomrank | memfind | memwhere) want=1 ;;
	*) want=0 ;;
	esac
	if [ $want = 0 ] && [ $sanitized = 1 ]; then
		echo "ok $t: not checked in a sanitized build"
		continue
	fi
	got=$(readelf -d "$tmp/root/usr/bin/$t" | grep -c 'NEEDED.*\[libjson-c\.so\.5\]')
	[ "$got" = "$want" ] && echo "ok $t links json-c: $want" ||
		bad "the packaged $t links json-c $got times, not $want"
done
for t in "$@"; do
	out=$("$tmp/root/usr/bin/$t" -V) &&
		[ "$out" = "$t from procdiag $version" ] &&
		echo "ok $t -V from the package" ||
		bad "the packaged $t -V: '$out'"
done
exit $fail
