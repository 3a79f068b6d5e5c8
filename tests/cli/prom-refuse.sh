#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --prom-file never replaces what is not a regular file: rename() over a
# device node (as root, /dev/null), a FIFO, a symlink or a directory would
# replace the node itself. On copies in a temporary directory, each tool
# refuses each with one clear message and exit 2, UNKNOWN (3) under
# --check, and leaves the node as it was, with no temporary file beside
# it. The device node needs root; without root it is left out.
# Usage: prom-refuse.sh BINDIR FIXTURES
set -u
bindir=$1 fixtures=$2
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

d=$tmp/nodes
mkdir "$d"
echo keep >"$d/target"
ln -s target "$d/link"
mkfifo "$d/fifo"
mkdir "$d/dir"
items="link fifo dir"
if [ "$(id -u)" -eq 0 ]; then
	mknod "$d/null" c 1 3
	items="null $items"
else
	echo "not root: the device node is left out"
fi
kind_of() {
	case $1 in
	null) echo "a character device" ;;
	link) echo "a symbolic link" ;;
	fifo) echo "a FIFO" ;;
	dir) echo "a directory" ;;
	esac
}
# "name kind" of every entry: what must not change
snapshot() { (cd "$d" && stat -c '%n %F %i %t:%T %s' * | sort); }
before=$(snapshot)

for tool in deadfiles pssum oomrank memfind dfdu; do
	case $tool in
	deadfiles) set -- --proc-root "$fixtures/basic/proc" ;;
	pssum) set -- --proc-root "$fixtures/pss/proc" ;;
	oomrank) set -- --proc-root "$fixtures/oom/proc" ;;
	memfind) set -- --proc-root "$fixtures/memfind/proc" ;;
	dfdu) set -- --proc-root "$fixtures/dfdu/proc" ;;
	esac
	upper=$(printf '%s' "$tool" | tr a-z A-Z)
	for item in $items; do
		kind=$(kind_of "$item")
		msg="cannot write $d/$item: it is $kind, not a regular file: refusing to replace it"
		"$bindir/$tool" "$@" -q --prom-file "$d/$item" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 2 ] && ok || bad "$tool $item: exit $rc, wanted 2"
		grep -qxF "$tool: $msg" "$tmp/err" && ok ||
			bad "$tool $item: stderr: $(cat "$tmp/err")"
		"$bindir/$tool" "$@" --check --prom-file "$d/$item" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 3 ] && ok || bad "$tool $item --check: exit $rc, wanted 3"
		grep -qxF "$upper UNKNOWN - $msg" "$tmp/out" && ok ||
			bad "$tool $item --check: stdout: $(cat "$tmp/out")"
		[ "$(snapshot)" = "$before" ] && ok ||
			bad "$tool $item: the directory changed: $(snapshot)"
	done
done
[ "$(cat "$d/target")" = keep ] && ok || bad "the symlink's target changed"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
