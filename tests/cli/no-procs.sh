#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A --proc-root that holds no processes (an empty directory, "/", /sys, the
# directory above a fixture's proc/) is no proc root: every tool says so
# once on stderr and exits 2, even with -q; with --check it is UNKNOWN
# (exit 3, the line on stdout). Never a silent, empty, successful run.
# Usage: no-procs.sh BINDIR FIXTURES
set -u
bindir=$1 fixtures=$2
fail=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The tool ends in exit(2) here, its objects still allocated, which
# LeakSanitizer (the ASan build) may report as leaks; the library's own
# paths out on these errors are leak-checked by the unit tests.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
mkdir "$tmp/empty"

upper() { printf '%s' "$1" | tr 'a-z-' 'A-Z-'; }

for root in "$tmp/empty" / /sys "$fixtures/basic"; do
	for tool in deadfiles memfind pssum oomrank dfdu procdiag-report; do
		want="$tool: $root holds no processes: not a proc root"
		n=$((n + 1))
		LC_ALL=C.UTF-8 timeout 60 "$bindir/$tool" --proc-root "$root" -q \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc -ne 2 ] || [ "$(cat "$tmp/err")" != "$want" ] ||
		   [ -s "$tmp/out" ]; then
			echo "FAIL $tool --proc-root $root: exit $rc"
			echo "  want: $want"
			sed 's/^/  got:  /' "$tmp/err" "$tmp/out" | head -4
			fail=1
		fi
		[ "$tool" = procdiag-report ] && continue
		want="$(upper "$tool") UNKNOWN - $root holds no processes: not a proc root"
		n=$((n + 1))
		LC_ALL=C.UTF-8 timeout 60 "$bindir/$tool" --proc-root "$root" \
			--check >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc -ne 3 ] || [ "$(cat "$tmp/out")" != "$want" ] ||
		   [ -s "$tmp/err" ]; then
			echo "FAIL $tool --proc-root $root --check: exit $rc"
			echo "  want: $want"
			sed 's/^/  got:  /' "$tmp/out" "$tmp/err" | head -4
			fail=1
		fi
	done
done
[ $fail -eq 0 ] && echo "ok $n runs on roots without processes"
exit $fail
