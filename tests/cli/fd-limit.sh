#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Running out of file descriptors is the tool's own failure, never data:
# under every RLIMIT_NOFILE from 4 to 48 the tool either prints exactly
# what it prints without a limit, or prints nothing and exits 2 with
# "TOOL: out of file descriptors (ulimit -n N)". Never a process counted
# as unreadable, a user shown as a number, a file or a mount missing.
# On the tool's fixture tree with every column, then on the live /proc
# (the same either-or, with the output free to differ).
# Usage: fd-limit.sh BIN FIXTURES TREE [ARGS...]
set -u
bin=$1 fixtures=$2 tree=$3
shift 3
tool=$(basename "$bin")
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The tool ends in exit(2) here, its objects still allocated, which
# LeakSanitizer (the ASan build) may report as leaks; the library's own
# paths out on these errors are leak-checked by the unit tests.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS

run() {
	limit=$1
	shift
	(
		[ "$limit" = none ] || ulimit -n "$limit" || exit 99
		LC_ALL=C.UTF-8 "$bin" "$@"
	) >"$tmp/out" 2>"$tmp/err"
}

# Below what the dynamic loader (or a sanitizer's runtime) needs, with the
# descriptors the test runner leaves open, the tool never starts: no case.
never_ran() {
	[ "$1" -eq 127 ] && grep -q "error while loading shared libraries" "$tmp/err"
}

# The fixture tree: byte for byte the same, or the message.
run none --proc-root "$fixtures/$tree" "$@"
rc0=$?
cp "$tmp/out" "$tmp/out0"
cp "$tmp/err" "$tmp/err0"
n=4
failed=0 whole=0
while [ $n -le 48 ]; do
	run $n --proc-root "$fixtures/$tree" "$@"
	rc=$?
	if never_ran $rc; then
		:
	elif [ $rc -eq 2 ] && [ ! -s "$tmp/out" ] &&
	   [ "$(cat "$tmp/err")" = "$tool: out of file descriptors (ulimit -n $n)" ]; then
		failed=$((failed + 1))
	elif [ $rc -eq $rc0 ] && cmp -s "$tmp/out" "$tmp/out0" &&
	     cmp -s "$tmp/err" "$tmp/err0"; then
		whole=$((whole + 1))
	else
		echo "FAIL ulimit -n $n: exit $rc (without a limit $rc0)"
		diff "$tmp/err0" "$tmp/err" | head -5
		diff "$tmp/out0" "$tmp/out" | head -10
		fail=1
	fi
	n=$((n + 1))
done
# both outcomes must have been seen, or the range proves nothing
[ $failed -gt 0 ] || { echo "FAIL: no limit made it run out"; fail=1; }
[ $whole -gt 0 ] || { echo "FAIL: no limit let it finish"; fail=1; }

# The live /proc: its output changes from run to run; only the two
# outcomes are allowed, and no warning may name the descriptors.
for n in 4 5 6 7 8 10 12 16; do
	run $n "$@"
	rc=$?
	if never_ran $rc; then
		:
	elif [ $rc -eq 2 ]; then
		[ "$(cat "$tmp/err")" = "$tool: out of file descriptors (ulimit -n $n)" ] ||
			{ echo "FAIL live ulimit -n $n: $(cat "$tmp/err")"; fail=1; }
	elif [ $rc -ne 0 ] || grep -q -i "open files\|descriptor" "$tmp/err"; then
		echo "FAIL live ulimit -n $n: exit $rc: $(head -3 "$tmp/err")"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "ok $tool under low descriptor limits ($whole whole, $failed out of descriptors)"
exit $fail
