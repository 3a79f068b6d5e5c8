#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A pid, user or command name that no process has is said, never an empty
# answer (procdiag(7), SELECTING PROCESSES): when some of what was named
# is alive, a warning names the rest and the answer stands (exit 0); when
# nothing named is alive, the words are the error (exit 2, UNKNOWN with
# --check). On the longname tree: pid 1 systemd, 700 and 702 journald
# (root), 701 systemd-journal-upload and 703 bash (nobody); on the oom
# tree for oomrank. Usage: no-such.sh BINDIR FIXTURES
set -u
bindir=$1 fixtures=$2
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run TOOL TREE WANT_RC 'STDERR' 'ARGS'; stdout in $tmp/out
run() {
	tool=$1 tree=$2 want_rc=$3 want_err=$4 args=$5
	# shellcheck disable=SC2086
	"$bindir/$tool" --proc-root "$fixtures/$tree/proc" $args \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$want_rc" ] && ok || bad "$tool $args: exit $rc, wanted $want_rc"
	[ "$(grep -v 'scores differ' "$tmp/err")" = "$want_err" ] && ok ||
		bad "$tool $args: stderr '$(cat "$tmp/err")', wanted '$want_err'"
}

for t in deadfiles memfind pssum; do
	col=PIDS
	[ $t = pssum ] && col=PID
	# none alive: the error, nothing on stdout
	run $t longname 2 "$t: no such process 4242" "-p 4242"
	[ -s "$tmp/out" ] && bad "$t -p 4242 printed" || ok
	run $t longname 2 "$t: no such processes 4242, 4243" "-p 4242 -p 4243"
	run $t longname 2 "$t: no process of user daemon" "-u daemon"
	run $t longname 2 "$t: no process of users daemon, 4242" "-u daemon,4242"
	run $t longname 2 "$t: no process named systemd-journalx" "--command systemd-journalx"
	run $t longname 2 "$t: no such process 4242; no process named nosuch" "-p 4242 --command nosuch"
	# each alive alone, none together
	run $t longname 2 "$t: no process matches -p, -u and --command together" "-p 1 -u nobody"
	# -q silences a warning, never the error
	run $t longname 2 "$t: no such process 4242" "-q -p 4242"
	# some alive: a warning, and the answer for the rest
	run $t longname 0 "$t: warning: no such process 4242" "-p 700,4242 -r -o $col"
	[ "$(cat "$tmp/out")" = "$(printf '%s\n700' $col)" ] && ok ||
		bad "$t -p 700,4242: '$(cat "$tmp/out")'"
	run $t longname 0 "" "-q -p 700,4242 -r -o $col"
	run $t longname 0 "$t: warning: no process of user daemon" "-u daemon,root -r -o $col"
	run $t longname 0 "$t: warning: no process named nosuch" "--command nosuch,systemd-journald -r -o $col"
	# alive and holding nothing of the kind is an answer, not an error
	if [ $t != pssum ]; then
		run $t longname 0 "" "-p 1"
		[ -s "$tmp/out" ] && bad "$t -p 1 printed: $(cat "$tmp/out")" || ok
	fi
	# --check: the plugin's UNKNOWN, on stdout
	up=$(printf '%s' "$t" | tr 'a-z' 'A-Z')
	run $t longname 3 "" "--check -p 4242"
	[ "$(cat "$tmp/out")" = "$up UNKNOWN - no such process 4242" ] && ok ||
		bad "$t --check -p 4242: '$(cat "$tmp/out")'"
done 2>/dev/null

run oomrank oom 2 "oomrank: no such process 4242" "-p 4242"
run oomrank oom 0 "oomrank: warning: no such process 4242" "-p 300,4242 -r -o PID"
[ "$(cat "$tmp/out")" = "$(printf 'PID\n300')" ] && ok || bad "oomrank -p 300,4242: '$(cat "$tmp/out")'"
# --log names past processes: a pid not alive is what it looks for
run oomrank oom 0 "" "--log $fixtures/oomlog/v6.1-memcg-kmsg.log -p 4242"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
