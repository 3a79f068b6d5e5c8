#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Options are checked before anything is read (procdiag(7), EXIT STATUS):
# a bad -x, -o, range or list fails at once with its own message, not
# after a scan, and not with a scan's message. Each tool runs on a proc
# root whose every file is a FIFO nobody writes: a tool that reads one
# before it checks its options blocks there, and the timeout ends it
# (exit 124, a failure here). Usage: options-first.sh BINDIR
set -u
bindir=$1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# A proc root that hangs whoever reads it: a process 1 and the files at
# the top the tools read, every one a FIFO (a directory listing does not
# block; an open for reading does).
root=$tmp/proc
mkdir -p "$root/1/fd" "$root/1/fdinfo" "$root/1/map_files" "$root/1/task" \
	"$root/sysvipc" "$root/self"
for f in stat status cmdline maps smaps smaps_rollup mountinfo mounts \
	cgroup oom_score oom_score_adj environ io; do
	mkfifo "$root/1/$f" "$root/self/$f"
done
for f in meminfo vmstat mounts swaps sysvipc/shm pressure kmsg; do
	mkfifo "$root/$f"
done
mkdir -p "$tmp/cg"
mkfifo "$tmp/cg/cgroup.controllers" "$tmp/cg/memory.max"

# case TOOL 'ARGS' 'FIRST LINE OF STDERR'
case_() {
	tool=$1 args=$2 want=$3
	# shellcheck disable=SC2086
	timeout 5 "$bindir/$tool" --proc-root "$root" $args \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	[ "$rc" -eq 2 ] && ok || bad "$tool $args: exit $rc, wanted 2 (124: it read the proc root first)"
	first=$(head -n 1 "$tmp/err")
	[ "$first" = "$want" ] && ok || bad "$tool $args: first line '$first', wanted '$want'"
	[ -s "$tmp/out" ] && bad "$tool $args: wrote to stdout" || ok
}

hint=" (-x is --sort here; dfdu never crosses file systems, as du -x does)"
for t in deadfiles memfind pssum oomrank dfdu memwhere; do
	h=
	[ $t = dfdu ] && h=$hint
	case_ $t "-x NOPE" "$t: unknown sort column: 'NOPE'$h"
	case_ $t "-o NOPE" "$t: unknown column: 'NOPE'"
	case_ $t "-x -NOPE -w 1G" "$t: unknown sort column: '-NOPE'$h"
done
# -x names a column of the view asked for
case_ deadfiles "--by process -x PATH" "deadfiles: unknown sort column: 'PATH'"
case_ deadfiles "--by mount -q -x PIDS" "deadfiles: unknown sort column: 'PIDS'"
case_ memfind "-s -x ALLOC" "memfind: unknown sort column: 'ALLOC'"
case_ memfind "--by process -x KIND" "memfind: unknown sort column: 'KIND'"
case_ pssum "-m -x PID" "pssum: unknown sort column: 'PID'"
case_ pssum "-s -x PSS" "pssum: unknown sort column: 'PSS'"
case_ oomrank "--log=/dev/null -x BADNESS" "oomrank: unknown sort column: 'BADNESS'"
# a path to look at that is not there: before the scan too
case_ deadfiles "-m $tmp/no/such/dir" "deadfiles: $tmp/no/such/dir: No such file or directory"
# du's -x (one file system) is dfdu's --sort: the error says so
case_ dfdu "-x /" "dfdu: unknown sort column: '/'$hint"
case_ dfdu "-x /home /" "dfdu: unknown sort column: '/home'$hint"
# and with --check, the same as the plugin's UNKNOWN line
timeout 5 "$bindir/deadfiles" --proc-root "$root" --check -x NOPE \
	>"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
[ "$rc" -eq 3 ] && ok || bad "deadfiles --check -x NOPE: exit $rc, wanted 3"
[ "$(cat "$tmp/out")" = "DEADFILES UNKNOWN - unknown sort column: 'NOPE'" ] && ok ||
	bad "deadfiles --check -x NOPE: '$(cat "$tmp/out")'"

# procdiag-report checks each tool's range before it runs the first one
timeout 5 "$bindir/procdiag-report" --proc-root "$root" -w deadfiles=1G,pssum=12Q \
	>"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
[ "$rc" -eq 2 ] && ok || bad "procdiag-report -w pssum=12Q: exit $rc, wanted 2"
[ "$(head -n 1 "$tmp/err")" = "procdiag-report: --warning: pssum: invalid range '12Q' (10G, 10G:, ~:10G, 1G:2G, @1G:2G)" ] && ok ||
	bad "procdiag-report -w pssum=12Q: $(head -n 1 "$tmp/err")"
[ -s "$tmp/out" ] && bad "procdiag-report -w pssum=12Q: wrote to stdout" || ok
# what each tool takes passes: no usage error (on a root that is not
# there, each section then fails at once)
timeout 20 "$bindir/procdiag-report" --proc-root "$tmp/none" -w memwhere=90%,dfdu=10%,memfind=5%,oomrank=50%,pssum=1G,deadfiles=1G \
	>"$tmp/out" 2>"$tmp/err" </dev/null
grep -q "invalid range\|no percentage" "$tmp/err" &&
	bad "procdiag-report refused a good range: $(cat "$tmp/err")" || ok
timeout 5 "$bindir/procdiag-report" --proc-root "$root" -c deadfiles=10% \
	>"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
[ "$rc" -eq 2 ] && ok || bad "procdiag-report -c deadfiles=10%: exit $rc, wanted 2"
[ "$(head -n 1 "$tmp/err")" = "procdiag-report: --critical: deadfiles: '10%': deadfiles has no percentage to compare; give a size" ] && ok ||
	bad "procdiag-report -c deadfiles=10%: $(head -n 1 "$tmp/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
