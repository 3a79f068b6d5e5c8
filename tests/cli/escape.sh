#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every message echoes a string from outside escaped, as the table shows a
# cell (procdiag(7), ESCAPING): option arguments in usage errors, paths in
# errors, the --check UNKNOWN line on stdout. A hostile string (OSC title,
# CSI clear screen, C1 CSI, a bidi override, TAB, CR, LF, an invalid byte,
# a backslash) must come out as its exact escape, and no stream may hold a
# raw control character. Usage: escape.sh BINDIR FIXTURES
set -u
bindir=$1 fixtures=$2
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# The hostile string, and the escape a UTF-8 terminal gets instead.
H=$(printf '\033]0;t\007\033[2J\302\233\342\200\256\t\r\n\377\\z')
E='\x1b]0;t\x07\x1b[2J\xc2\x9b\xe2\x80\xae\t\r\n\xff\\z'
D=$tmp/no-such-dir

# Raw C0 (but LF), DEL, C1 (C2 80..9F) and the bidi controls.
raw='[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]'

# run WANT_RC EXPECTED_STDERR EXPECTED_STDOUT TOOL ARGS...
run() {
	want_rc=$1 want_err=$2 want_out=$3 tool=$4
	shift 4
	"$bindir/$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$want_rc" ] && ok || bad "$tool $*: exit $rc, wanted $want_rc"
	for s in out err; do
		LC_ALL=C grep -qaP "$raw" "$tmp/$s" &&
			bad "$tool: raw control character on std$s: $(od -c "$tmp/$s" | head -5)"
	done
	printf '%s' "$want_err" >"$tmp/want-err"
	printf '%s' "$want_out" >"$tmp/want-out"
	cmp -s "$tmp/err" "$tmp/want-err" && ok ||
		bad "$tool stderr: $(od -c "$tmp/err" | head -8)"
	cmp -s "$tmp/out" "$tmp/want-out" && ok ||
		bad "$tool stdout: $(od -c "$tmp/out" | head -8)"
}

try() { printf "Try '%s --help' for more information.\n" "$1"; }

# usage errors that echo an option argument
run 2 "deadfiles: --min-size: invalid size '$E'
$(try deadfiles)
" "" deadfiles --min-size "$H"
run 2 "memfind: --type: unknown kind '$E'
$(try memfind)
" "" memfind --type "$H"
run 2 "oomrank: --explain: invalid pid '$E'
$(try oomrank)
" "" oomrank --explain "$H"
run 2 "pssum: --group-by: unknown key '$E' (pid, ppid, command, exe, user, cgroup, unit, container, pod)
$(try pssum)
" "" pssum --group-by "$H"
run 2 "dfdu: --min-gap: invalid size '$E'
$(try dfdu)
" "" dfdu --min-gap "$H"
run 2 "procdiag-report: invalid --top: '$E'
$(try procdiag-report)
" "" procdiag-report --top "$H"
run 2 "deadfiles: unexpected argument: '$E'
$(try deadfiles)
" "" deadfiles "$H"
run 2 "deadfiles: --warning: invalid range '$E' (10G, 10G:, ~:10G, 1G:2G, @1G:2G)
$(try deadfiles)
" "" deadfiles -w "$H"
run 2 "deadfiles: unknown column: '$E'
$(try deadfiles)
" "" deadfiles -o "$H"
run 2 "deadfiles: unknown sort column: '$E'
$(try deadfiles)
" "" deadfiles --proc-root "$fixtures/basic/proc" -x "$H"
DEADFILES_COLUMNS=$H run 2 "deadfiles: unknown column in DEADFILES_COLUMNS: '$E'
$(try deadfiles)
" "" deadfiles

# errors that name a path
run 2 "deadfiles: cannot open $D/$E: No such file or directory
" "" deadfiles --proc-root "$D/$H"
run 2 "pssum: cannot read $D/$E: No such file or directory
" "" pssum --proc-root "$fixtures/pss/proc" --diff "$D/$H"
run 2 "dfdu: $D/$E: No such file or directory
$(try dfdu)
" "" dfdu "$D/$H"
run 2 "deadfiles: cannot write $D/$E: No such file or directory
" "" deadfiles --proc-root "$fixtures/basic/proc" --prom-file "$D/$H"

# --check: the UNKNOWN line on stdout, with '|' escaped too
run 3 "" "DEADFILES UNKNOWN - cannot open $D/$E\x7cx: No such file or directory
" deadfiles --check --proc-root "$D/$H|x"
run 3 "" "MEMFIND UNKNOWN - --type: unknown kind '$E'
" memfind --check --type "$H"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
