#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --command with a name longer than the 15 bytes comm keeps, on this
# machine's own /proc: a copy of sleep named procdiag-long-name-worker
# (comm "procdiag-long-n") holding a deleted file is found by its whole
# name in deadfiles and pssum, and not by another name of the same first
# 15 bytes (procdiag(7), SELECTING PROCESSES). Any user can run it: the
# process is ours. Usage: command-long-live.sh BINDIR
set -u
bindir=$1
fail=0
tmp=$(mktemp -d)
name=procdiag-long-name-worker
cp "$(command -v sleep)" "$tmp/$name" || exit 1
head -c 65536 /dev/zero >"$tmp/held"
# fd 3 is opened here, before the fork: a redirection on the background
# command itself is done in the child, which may come after the rm
exec 3<"$tmp/held"
"$tmp/$name" 300 &
pid=$!
exec 3<&-
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
rm "$tmp/held"
# wait for the exec: comm changes then
i=0
while [ "$(cat /proc/$pid/comm 2>/dev/null)" != procdiag-long-n ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(cat /proc/$pid/comm)" = procdiag-long-n ] || { echo "FAIL: comm is $(cat /proc/$pid/comm)"; exit 1; }

"$bindir/deadfiles" -q -rn -o PIDS,PATH --command $name >"$tmp/out"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: deadfiles exit $rc"; fail=1; }
printf '%s\t%s\n' "$pid" "$tmp/held" | cmp -s - "$tmp/out" ||
	{ echo "FAIL: deadfiles --command $name: $(cat "$tmp/out")"; fail=1; }
"$bindir/pssum" -q -rn -o PID --command $name >"$tmp/out"
[ "$(cat "$tmp/out")" = "$pid" ] || { echo "FAIL: pssum --command $name: $(cat "$tmp/out")"; fail=1; }
# the first 15 bytes alone are the comm: that matches too
"$bindir/pssum" -q -rn -o PID --command procdiag-long-n >"$tmp/out"
[ "$(cat "$tmp/out")" = "$pid" ] || { echo "FAIL: pssum --command procdiag-long-n: $(cat "$tmp/out")"; fail=1; }
# another long name with the same 15 bytes is not it
"$bindir/pssum" -rn -o PID --command procdiag-long-name-other >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: pssum --command procdiag-long-name-other: exit $rc"; fail=1; }
[ "$(cat "$tmp/err")" = "pssum: no process named procdiag-long-name-other" ] ||
	{ echo "FAIL: pssum --command procdiag-long-name-other said $(cat "$tmp/err")"; fail=1; }
[ -s "$tmp/out" ] && { echo "FAIL: it printed $(cat "$tmp/out")"; fail=1; }
[ $fail -eq 0 ] && echo "ok --command $name on the live /proc"
exit $fail
