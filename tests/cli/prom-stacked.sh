#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A series appears once per label set, or a scraper refuses the file
# (node_exporter's textfile collector: "collected before with the same
# name and label values"). Mounts stacked on one mount point with the
# same source and type carry the same node_exporter labels: dfdu
# --prom-file keeps the one df measured (the one a path there reaches)
# and its figures are that mount's. dfdu on every file system (a path
# names the visible mount only), in a private mount namespace: tmpfs
# "stk" with 1 MiB written, and tmpfs "stk" mounted over it, empty.
# Root only (exit 77 otherwise). Usage: prom-stacked.sh BINDIR
set -u
bindir=$1
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: needs root and mount namespaces"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 tmp bindir

# shellcheck disable=SC2016
unshare -m --propagation private sh -c '
set -u
mkdir -p "$tmp/m"
mount -t tmpfs -o size=8m stk "$tmp/m"
head -c 1048576 /dev/zero >"$tmp/m/under"
mount -t tmpfs -o size=4m stk "$tmp/m"
"$bindir/dfdu" -q --no-walk --prom-file "$tmp/dfdu.prom" 2>"$tmp/err"
echo $? >"$tmp/rc"
'
fail=0
rc=$(cat "$tmp/rc")
if [ "$rc" -gt 1 ]; then
	echo "FAIL: dfdu exited $rc"; cat "$tmp/err"; fail=1
fi
dups=$(grep -v '^#' "$tmp/dfdu.prom" | sed 's/ [^ ]*$//' | sort | uniq -d)
if [ -n "$dups" ]; then
	echo "FAIL: series written twice:"; echo "$dups"; fail=1
fi
n=$(grep -c "^dfdu_size_bytes{device=\"stk\",mountpoint=\"$tmp/m\",fstype=\"tmpfs\"} 4194304\$" "$tmp/dfdu.prom")
if [ "$n" -ne 1 ]; then
	echo "FAIL: the visible 4 MiB mount's size is not the one series:"
	grep "stk" "$tmp/dfdu.prom"; fail=1
fi
if command -v promtool >/dev/null 2>&1 &&
   ! promtool check metrics <"$tmp/dfdu.prom" >"$tmp/lint" 2>&1; then
	echo "FAIL: promtool:"; cat "$tmp/lint"; fail=1
fi
[ $fail -eq 0 ] && echo ok
exit $fail
