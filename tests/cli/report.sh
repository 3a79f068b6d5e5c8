#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# procdiag-report: (1) golden pages on fixture trees, run with the real
# tools (CASEDIR/NAME.args, .out, .rc; @FIXTURES@ stands for the fixture
# directory, in .args and .out; PD_GOLDEN_UPDATE=1 rewrites .out and
# .rc); (2) its logic
# against stand-in tools that record their arguments and print what the
# case wants: sections, cutting, thresholds and silence, exit codes, a
# missing or failing tool, usage errors.
# Usage: report.sh BIN FIXTURES CASEDIR
set -u
bin=$1 fixtures=$2 casedir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# ---- (1) golden pages with the real tools --------------------------------
for args in "$casedir"/*.args; do
	case=${args%.args}
	name=$(basename "$case")
	# shellcheck disable=SC2046
	LC_ALL=C.UTF-8 "$bin" $(sed "s|@FIXTURES@|$fixtures|g" "$args") \
		>"$tmp/raw" 2>"$tmp/err"
	rc=$?
	# the "full list:" commands name the tree: @FIXTURES@ again
	sed "s|$fixtures|@FIXTURES@|g" "$tmp/raw" >"$tmp/out"
	if [ "${PD_GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$tmp/out" "$case.out"
		echo $rc >"$case.rc"
		continue
	fi
	[ "$rc" = "$(cat "$case.rc")" ] ||
		{ fail "$name: exit $rc, wanted $(cat "$case.rc")"; cat "$tmp/err"; }
	cmp -s "$tmp/out" "$case.out" ||
		{ fail "$name.out differs:"; diff -u "$case.out" "$tmp/out" | head -40; }
	# memfind and oomrank run twice on the same tree: no warning twice
	[ -z "$(sort "$tmp/err" | uniq -d)" ] ||
		{ fail "$name: a line twice on stderr:"; cat "$tmp/err"; }
	echo "ok golden $name"
done

# ---- (2) the report's logic, with stand-in tools -------------------------
# The report runs the tools beside its own binary: copy it into a directory
# of stand-ins. Each logs its arguments to $LOG and prints $OUT_<tool>
# (a file), exiting with $RC_<tool> (default 0); with $HANG_<tool> (a file
# name) it writes its pid there and sleeps, as a tool stuck on a dead mount;
# with $WARN_<tool> set it warns on stderr as a real tool does, a count
# that differs from run to run (the lines of $LOG) and its arguments.
fake=$tmp/bin
mkdir "$fake"
cp "$bin" "$fake/procdiag-report"
for t in memwhere deadfiles dfdu memfind pssum oomrank; do
	cat >"$fake/$t" <<EOF
#!/bin/sh
echo "$t \$*" >>"\$LOG"
eval "out=\\\${OUT_$t:-}; rc=\\\${RC_$t:-0}; hang=\\\${HANG_$t:-}; warn=\\\${WARN_$t:-}"
if [ -n "\$hang" ]; then
	echo \$\$ >"\$hang.tmp" && mv "\$hang.tmp" "\$hang"
	exec sleep 1000
fi
if [ -n "\$warn" ]; then
	echo "$t: warning: \$(wc -l <"\$LOG") of 9 processes could not be read" >&2
	echo "$t: warning: ran with \$*" >&2
fi
[ -n "\$out" ] && cat "\$out"
exit \$rc
EOF
	chmod +x "$fake/$t"
done
table4=$tmp/table4
printf 'NAME SIZE\na 4K\nb 3K\nc 2K\nd 1K\ntotal 10K\n' >"$table4"
table1=$tmp/table1
printf 'NAME SIZE\nbig 9G\n' >"$table1"

# run [VAR=VALUE...] -- ARGS: the report with a fresh log; sets $rc.
run() {
	: >"$tmp/log"
	env LOG="$tmp/log" PATH=/usr/bin:/bin "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
report=$fake/procdiag-report
has() { grep -qxF -- "$1" "$tmp/$2" || fail "$3: no line '$1' in $2: $(cat "$tmp/$2")"; }
hasnt() { ! grep -qF -- "$1" "$tmp/$2" || fail "$3: '$1' in $2"; }

# Every section, in order, each tool with the summary's arguments.
run OUT_deadfiles="$table4" OUT_pssum="$table1" "$report" -N 2
[ $rc -eq 0 ] || fail "plain run: exit $rc"
has "memwhere " log plain
has "memwhere --cgroup -o CGROUP,NAME,CURRENT,MAX,USE_PCT,UNMAPPED,PSI_SOME,NOTE" log plain
[ "$(head -n 1 "$tmp/log")" = "memwhere " ] || fail "the ledger is not the first section: $(head -n 1 "$tmp/log")"
has "deadfiles --by mount" log plain
has "dfdu --no-walk -o FSTYPE,SIZE,USED,AVAIL,RESERVED,DELETED,MOUNT -x USED" log plain
has "memfind -s" log plain
has "memfind -x ALLOC -o KIND,ALLOC,RSS,HOLDERS,COMMANDS,FLAGS,PATH" log plain
has "pssum -g command -N 2" log plain
has "oomrank -N 2" log plain
has "oomrank --cgroup -N 2" log plain
[ "$(grep -c '^== ' "$tmp/out")" -eq 9 ] || fail "plain run: not 9 sections: $(cat "$tmp/out")"
# deadfiles' four rows cut to two, its total kept, the rest counted.
sed -n '/(deadfiles)$/,/^$/p' "$tmp/out" >"$tmp/sec"
printf '== Deleted files still pinning space, per file system (deadfiles)\nNAME SIZE\na 4K\nb 3K\ntotal 10K\n... 2 more; full list: deadfiles --by mount\n\n' >"$tmp/want"
cmp -s "$tmp/sec" "$tmp/want" || { fail "cut section:"; diff -u "$tmp/want" "$tmp/sec"; }
# A tool that prints nothing says so.
sed -n '/(dfdu)$/,/^$/p' "$tmp/out" | grep -qx "nothing found" ||
	fail "an empty section does not say 'nothing found'"
echo "ok sections"

# Options handed down: -b, -q, --proc-root, --cgroup-root, --sys-root, --walk.
run "$report" -b -q --walk --proc-root /x --cgroup-root /cg --sys-root /s
has "dfdu -b -q --proc-root /x" log passdown
has "memwhere -b -q --proc-root /x --sys-root /s" log passdown
has "memwhere --cgroup -o CGROUP,NAME,CURRENT,MAX,USE_PCT,UNMAPPED,PSI_SOME,NOTE -b -q --proc-root /x --sys-root /s" log passdown
has "oomrank --cgroup -N 5 -b -q --proc-root /x --cgroup-root /cg" log passdown
has "deadfiles --by mount -b -q --proc-root /x" log passdown
echo "ok options handed down"

# --proc-root without --cgroup-root (--sys-root): the per-cgroup ranking
# (memwhere's cgroups) is not run.
run "$report" --proc-root /x
hasnt "oomrank --cgroup" log proc-root
hasnt "memwhere --cgroup" log proc-root
has "memwhere --proc-root /x" log proc-root
grep -q "not shown: --proc-root without --cgroup-root" "$tmp/out" ||
	fail "the skipped cgroup section says nothing"
grep -q "not shown: --proc-root without --sys-root" "$tmp/out" ||
	fail "the skipped memwhere cgroup section says nothing"
echo "ok captured tree without cgroups"

# Thresholds: only the tools given one run; silent and exit 0 when they
# are (exit 0, no output); the section and exit 1 when one is over.
run "$report" -w deadfiles=1G,pssum=8G -c pssum=16G
[ $rc -eq 0 ] || fail "healthy thresholds: exit $rc"
[ -s "$tmp/out" ] && fail "healthy thresholds: output: $(cat "$tmp/out")"
has "deadfiles --by mount -w 1G" log thresholds
has "pssum -g command -N 5 -w 8G -c 16G" log thresholds
[ "$(wc -l <"$tmp/log")" -eq 2 ] || fail "thresholds ran more than 2 tools: $(cat "$tmp/log")"
run RC_pssum=1 OUT_pssum="$table1" "$report" -w deadfiles=1G -w pssum=8G
[ $rc -eq 1 ] || fail "over a threshold: exit $rc"
grep -q "^== Top memory users" "$tmp/out" || fail "the section over its threshold is missing"
hasnt "(deadfiles)" out "healthy section printed"
# Over its threshold a section names what to act on: deadfiles' files and
# their holders from a second run with the same thresholds, cut to -N,
# then the exact command of the whole list with the report's options
# (-b, --proc-root, the thresholds; not -q), quoted for the shell.
run RC_deadfiles=1 OUT_deadfiles="$table4" "$report" -q -b -N 2 \
	--proc-root "/x y'z" -w deadfiles=1G
[ $rc -eq 1 ] || fail "deadfiles over: exit $rc"
has "deadfiles --by mount -b -q --proc-root /x y'z -w 1G" log rows
has "deadfiles -o PIDS,COMMANDS,ALLOC,SIZE,PATH -b -q --proc-root /x y'z -w 1G" log rows
cat >"$tmp/want" <<'EOF'
== Deleted files still pinning space, per file system (deadfiles)
NAME SIZE
a 4K
b 3K
total 10K
the files and their holders, largest first:
NAME SIZE
a 4K
b 3K
total 10K
... 2 more; full list: deadfiles -b --proc-root '/x y'\''z' -w 1G

EOF
cmp -s "$tmp/out" "$tmp/want" || { fail "deadfiles over:"; diff -u "$tmp/want" "$tmp/out"; }
# ... and the shell reads the command back as the words it was given.
cmd=$(sed -n 's/^\.\.\. 2 more; full list: //p' "$tmp/out")
[ "$(bash -c 'eval "set -- $1"; printf "%s|" "$@"' _ "$cmd")" = "deadfiles|-b|--proc-root|/x y'z|-w|1G|" ] ||
	fail "the full list does not read back in bash: $cmd"
# A control byte in a path given to the report never reaches the page raw,
# and bash reads back the exact bytes.
run RC_pssum=1 OUT_pssum="$table1" "$report" --proc-root "$(printf '/p\033[2J')" -w pssum=1G
has "full list: pssum -g command --proc-root \$'/p\\x1b[2J' -w 1G" out rows-escape
cmd=$(sed -n 's/^full list: //p' "$tmp/out")
[ "$(bash -c 'eval "set -- $1"; printf "%s" "$5"' _ "$cmd" | od -An -c | tr -s ' ')" = " / p 033 [ 2 J" ] ||
	fail "the escaped full list does not read back in bash: $cmd"
# memfind's judged figure is the unexplained Shmem: its objects come from a
# run without the threshold, and so does its full list.
run RC_memfind=1 OUT_memfind="$table1" "$report" -w memfind=10%
has "memfind -x ALLOC -o KIND,ALLOC,HOLDERS,PIDS,COMMANDS,PATH" log rows-memfind
has "the objects and their holders, largest first:" out rows-memfind
has "full list: memfind -x ALLOC" out rows-memfind
# Sections whose own rows are the answer: only the full list is added.
run RC_oomrank=1 OUT_oomrank="$table1" "$report" -N 3 -w oomrank=50% -c oomrank=80%
has "full list: oomrank -w 50% -c 80%" out rows-oomrank
# an oomrank range judges the cgroups' usage in the cgroup section too
has "full list: oomrank --cgroup -w 50% -c 80%" out rows-oomrank
[ "$(wc -l <"$tmp/log")" -eq 2 ] || fail "oomrank over: not the two rankings: $(cat "$tmp/log")"
# A captured tree without --cgroup-root: the cgroup ranking is neither run
# nor said in a threshold run, which stays silent when all is well.
run "$report" --proc-root /x -w oomrank=50%
[ $rc -eq 0 ] && [ ! -s "$tmp/out" ] || fail "healthy oomrank on a tree: exit $rc: $(cat "$tmp/out")"
[ "$(cat "$tmp/log")" = "oomrank -N 5 --proc-root /x -w 50%" ] || fail "oomrank on a tree ran: $(cat "$tmp/log")"
# The ledger over its threshold: its details' command; free(1)'s columns
# explained from the tree's meminfo (none here: said, and exit 2).
run RC_memwhere=1 OUT_memwhere="$table1" "$report" -w memwhere=90% --proc-root /nonexistent
[ $rc -eq 2 ] || fail "memwhere over without meminfo: exit $rc"
has "full list: memwhere -v --proc-root /nonexistent -w 90%" out rows-memwhere
grep -q "^free(1)'s columns: cannot read meminfo: " "$tmp/out" ||
	fail "no meminfo: not said: $(cat "$tmp/out")"
echo "ok rows over a threshold"

# A dfdu threshold judges the walked gap: no --no-walk then.

run "$report" -c dfdu=10%
has "dfdu -c 10%" log dfdu-threshold
echo "ok thresholds"

# A failing tool and a missing one: their sections say so, the rest still
# print, exit 2.
run RC_memfind=2 "$report"
[ $rc -eq 2 ] || fail "failing tool: exit $rc"
grep -q "^memfind failed (exit 2)" "$tmp/out" || fail "no 'memfind failed' line"
grep -q "(oomrank)$" "$tmp/out" || fail "sections after a failure are missing"
rm "$fake/dfdu"
run "$report"
[ $rc -eq 2 ] || fail "missing tool: exit $rc"
grep -q "^dfdu: not found" "$tmp/out" || fail "no 'dfdu: not found' line"
echo "ok failures"

# A tool run for two sections (memfind, oomrank) scans twice: each cause
# it warns about is said once, with the first run's figures; other lines
# of the later run still pass. (dfdu's stand-in is gone since the failure
# cases: the counts skip it; memwhere's first section comes first.)
run WARN_memfind=1 WARN_oomrank=1 WARN_pssum=1 "$report"
cat >"$tmp/want" <<'EOF'
memfind: warning: 3 of 9 processes could not be read
memfind: warning: ran with -s
memfind: warning: ran with -x ALLOC -o KIND,ALLOC,RSS,HOLDERS,COMMANDS,FLAGS,PATH
pssum: warning: 5 of 9 processes could not be read
pssum: warning: ran with -g command -N 5
oomrank: warning: 7 of 9 processes could not be read
oomrank: warning: ran with -N 5
oomrank: warning: ran with --cgroup -N 5
EOF
cmp -s "$tmp/err" "$tmp/want" ||
	{ fail "warnings of tools run twice:"; diff -u "$tmp/want" "$tmp/err"; }
echo "ok warnings said once"

# SIGKILLed (the OOM killer's pick under pressure), the report takes the
# tool it runs with it: a tool stuck on a dead mount must not live on under
# pid 1. The stand-in hangs; it must be dead within a second of the kill.
alive() {
	state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}
rm -f "$tmp/hang"
env LOG="$tmp/log" HANG_deadfiles="$tmp/hang" PATH=/usr/bin:/bin \
	"$report" >/dev/null 2>&1 &
rpid=$!
i=0
while [ ! -s "$tmp/hang" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
child=$(cat "$tmp/hang" 2>/dev/null)
if [ -z "$child" ]; then
	fail "the hanging stand-in did not start"
else
	kill -9 "$rpid"
	wait "$rpid" 2>/dev/null
	i=0
	while alive "$child" && [ $i -lt 100 ]; do sleep 0.01; i=$((i + 1)); done
	if alive "$child"; then
		fail "the report's child $child outlived it by a second"
		kill -9 "$child" 2>/dev/null
	fi
fi
echo "ok children die with the report"

# Usage errors: exit 2, one message and the Try line.
for bad in "-w nope=1G" "-w deadfiles" "-c deadfiles=" "-N 0" "-N x" "extra" "--bogus"; do
	# shellcheck disable=SC2086
	run "$report" $bad
	[ $rc -eq 2 ] || fail "'$bad': exit $rc"
	grep -q "Try 'procdiag-report --help'" "$tmp/err" || fail "'$bad': no Try line: $(cat "$tmp/err")"
	[ -s "$tmp/log" ] && fail "'$bad' ran a tool"
done
# getopt's own messages name the report, not the path it was run by.
run "$report" --bogus
[ "$(head -n 1 "$tmp/err")" = "procdiag-report: unrecognized option '--bogus'" ] ||
	fail "--bogus: $(cat "$tmp/err")"
run "$report" -N
[ "$(head -n 1 "$tmp/err")" = "procdiag-report: option requires an argument -- 'N'" ] ||
	fail "-N: $(cat "$tmp/err")"
echo "ok usage errors"

run "$report" -V
[ "$(cat "$tmp/out")" = "procdiag-report from procdiag $(sed -n 's/.*from procdiag //p' "$tmp/out")" ] && [ $rc -eq 0 ] ||
	fail "-V: $(cat "$tmp/out")"
run "$report" --help
[ $rc -eq 0 ] && grep -q "^Usage:" "$tmp/out" || fail "--help"

if [ $fails -gt 0 ]; then
	echo "$fails failed"
	exit 1
fi
echo "all passed"
