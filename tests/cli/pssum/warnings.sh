#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pssum's partial view said out loud: one warning per cause with its VmRSS
# bound, silent with -q, and --strict exits 2 after printing everything.
# Usage: warnings.sh BIN FIXTURES
set -u
bin=$1 fixtures=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$fixtures/pss/proc
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/want" <<'W'
pssum: warning: 1 of 11 processes could not be read (no memory map); they hold at most 2M of RSS (VmRSS from status)
W
run() {
	want_rc=$1
	shift
	LC_ALL=C.UTF-8 "$bin" --proc-root "$root" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$want_rc" ] || { echo "FAIL $*: exit $rc, wanted $want_rc"; fail=1; }
	cmp -s "$tmp/out" "$here/default.out" ||
		{ echo "FAIL $*: stdout differs from default.out"; fail=1; }
}

run 0
cmp -s "$tmp/err" "$tmp/want" || { echo "FAIL warnings:"; diff "$tmp/want" "$tmp/err"; fail=1; }
run 0 -q
[ -s "$tmp/err" ] && { echo "FAIL -q: $(cat "$tmp/err")"; fail=1; }
run 2 --strict
echo "pssum: 1 of 11 processes could not be read (--strict)" >>"$tmp/want"
cmp -s "$tmp/err" "$tmp/want" || { echo "FAIL --strict:"; diff "$tmp/want" "$tmp/err"; fail=1; }
run 2 --strict -q
[ "$(cat "$tmp/err")" = "pssum: 1 of 11 processes could not be read (--strict)" ] ||
	{ echo "FAIL --strict -q: $(cat "$tmp/err")"; fail=1; }
# a view with nothing unread is complete: --strict is content
LC_ALL=C.UTF-8 "$bin" --proc-root "$root" --strict -g command -p 1,411 >/dev/null 2>"$tmp/err" ||
	{ echo "FAIL --strict on a complete view: $(cat "$tmp/err")"; fail=1; }
[ $fail -eq 0 ] && echo "ok warnings"
exit $fail
