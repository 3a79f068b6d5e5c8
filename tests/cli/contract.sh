#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The shared command-line contract (procdiag(7)) checked on one tool:
# exit codes, usage errors, -V, -H, empty output, EPIPE, write errors.
# Usage: contract.sh BIN FIXTURES [TREE LAST COL ADD ENVVAR ENVCOLS [BAD...]]
# TREE is the fixture tree to run on, LAST the last default column, COL
# another column, ADD one that is not a default, ENVVAR the tool's
# <TOOL>_COLUMNS and ENVCOLS two columns for it; each BAD is one more set
# of arguments that must be a usage error. The defaults are deadfiles'.
# PD_CONTRACT_EMPTY (default "--min-size 1T") is a filter that finds
# nothing; PD_CONTRACT_PID=0 says the tool has no -p.
set -u
empty=${PD_CONTRACT_EMPTY:---min-size 1T}
has_pid=${PD_CONTRACT_PID:-1}
bin=$1 fixtures=$2
tree=${3:-basic} last=${4:-PATH} col=${5:-ALLOC} add=${6:-INODE}
envvar=${7:-DEADFILES_COLUMNS} envcols=${8:-PIDS,SIZE}
[ $# -gt 8 ] && shift 8 || shift $#
tool=$(basename "$bin")
root=$fixtures/$tree/proc
lc() { printf '%s' "$1" | tr 'A-Z' 'a-z'; }
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

expect_rc() {
	want=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$want" ] && ok || bad "exit $rc, wanted $want: $*"
}

# -h and -V: stdout, exit 0
expect_rc 0 "$bin" --help
grep -q "^Usage:" "$tmp/out" && ok || bad "--help has no Usage: line"
grep -q "^Available output columns:" "$tmp/out" && ok || bad "--help lacks the column list"
grep -q "For more details see $tool(1)." "$tmp/out" && ok || bad "--help lacks the man page pointer"
[ -s "$tmp/err" ] && bad "--help wrote to stderr" || ok
expect_rc 0 "$bin" -V
grep -qx "$tool from procdiag [0-9]*\.[0-9]*\.[0-9]*" "$tmp/out" && ok || bad "-V prints '$(cat "$tmp/out")'"

# usage errors: one line, then the Try line, exit 2, nothing on stdout
for args in "--no-such-option" "-o NOPE" "-x NOPE" "--min-size 12Q" \
	"--timeout 0" "--by nothing" "-p abc" "stray-argument" "$@"; do
	# shellcheck disable=SC2086
	expect_rc 2 "$bin" --proc-root "$root" $args
	[ -s "$tmp/out" ] && bad "$args: wrote to stdout"
	tail -n 1 "$tmp/err" | grep -qx "Try '$tool --help' for more information." &&
		ok || bad "$args: no Try line: $(cat "$tmp/err")"
done

# getopt's own messages name the tool, not the path it was run by
for case in "--no-such-option|unrecognized option '--no-such-option'" \
	"-Y|invalid option -- 'Y'" "-o|option requires an argument -- 'o'" \
	"--output|option '--output' requires an argument" \
	"--help=x|option '--help' doesn't allow an argument"; do
	args=${case%%|*} msg=${case#*|}
	# shellcheck disable=SC2086
	expect_rc 2 "$bin" $args
	[ "$(head -n 1 "$tmp/err")" = "$tool: $msg" ] && ok ||
		bad "$args: first line is not '$tool: $msg': $(cat "$tmp/err")"
done

# an unreadable proc root is trouble, exit 2
expect_rc 2 "$bin" --proc-root "$tmp/does-not-exist"
grep -q "^$tool: " "$tmp/err" && ok || bad "no '$tool: ' message for a bad root"

# -H: NAME TYPE DESCRIPTION, in TSV with -r
expect_rc 0 "$bin" -H -r -n
awk -F'\t' 'NF != 3 { exit 1 }' "$tmp/out" && ok || bad "-H -r -n is not 3-field TSV"
cut -f1 "$tmp/out" | grep -qx "$last" && ok || bad "-H does not list $last"

# a filter that finds nothing: no output at all in table and TSV; [] in JSON
# shellcheck disable=SC2086
expect_rc 0 "$bin" --proc-root "$root" $empty
[ -s "$tmp/out" ] && bad "empty table printed something" || ok
# shellcheck disable=SC2086
expect_rc 0 "$bin" --proc-root "$root" $empty -r
[ -s "$tmp/out" ] && bad "empty TSV printed something" || ok
# shellcheck disable=SC2086
expect_rc 0 "$bin" --proc-root "$root" $empty -J
[ "$(cat "$tmp/out")" = "{\"$tool\": []}" ] && ok || bad "empty JSON is '$(cat "$tmp/out")'"

# a pid that no process has is no empty answer: it is said, exit 2
# (the plugin's UNKNOWN with --check); procdiag(7), SELECTING PROCESSES
if [ "$has_pid" = 1 ]; then
	expect_rc 2 "$bin" --proc-root "$root" -p 999999
	[ "$(cat "$tmp/err")" = "$tool: no such process 999999" ] && ok ||
		bad "-p 999999 said '$(cat "$tmp/err")'"
	[ -s "$tmp/out" ] && bad "-p 999999 printed something" || ok
	expect_rc 3 "$bin" --proc-root "$root" -p 999999 --check
	up=$(printf '%s' "$tool" | tr 'a-z' 'A-Z')
	[ "$(cat "$tmp/out")" = "$up UNKNOWN - no such process 999999" ] && ok ||
		bad "-p 999999 --check said '$(cat "$tmp/out")'"
	expect_rc 2 "$bin" --proc-root "$root" -p 999999 -q
	[ "$(cat "$tmp/err")" = "$tool: no such process 999999" ] && ok ||
		bad "-p 999999 -q said '$(cat "$tmp/err")'"
fi

# -o is case-insensitive and +LIST appends to the defaults
expect_rc 0 "$bin" --proc-root "$root" -r -o "$(lc "$last"),$(lc "$col")"
head -n 1 "$tmp/out" | grep -qx "$last	$col" && ok || bad "-o $(lc "$last"),$(lc "$col") header: $(head -n 1 "$tmp/out")"
expect_rc 0 "$bin" --proc-root "$root" -r -o "+$add"
head -n 1 "$tmp/out" | grep -q "	$last	$add\$" && ok || bad "-o +$add header: $(head -n 1 "$tmp/out")"
expect_rc 0 env "$envvar=$envcols" "$bin" --proc-root "$root" -r
head -n 1 "$tmp/out" | grep -qx "$(echo "$envcols" | tr , '\t')" && ok || bad "$envvar ignored: $(head -n 1 "$tmp/out")"

# EPIPE is silent and not an error (the tree's own warnings may remain)
"$bin" --proc-root "$root" --output-all 2>"$tmp/err" | head -c 1 >/dev/null
grep -v "^$tool: warning: " "$tmp/err" >"$tmp/err2"
[ -s "$tmp/err2" ] && bad "EPIPE printed: $(cat "$tmp/err2")" || ok

# a failed write to stdout is an error, exit 2
if [ -w /dev/full ]; then
	"$bin" --proc-root "$root" >/dev/full 2>"$tmp/err"
	rc=$?
	[ $rc -eq 2 ] && ok || bad "write to /dev/full: exit $rc"
	grep -q "write error" "$tmp/err" && ok || bad "no write error message"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
