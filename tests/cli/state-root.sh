#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --state-root that is not a directory one can open is an error (exit 2,
# one line naming it) in every tool that takes it, whether or not a
# CONTAINER or POD column asks for names: a typo is not silently a run
# without names. Usage: state-root.sh BINDIR FIXTURES
set -u
bindir=$1 fixtures=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/file"

check() {
	tool=$1 root=$2 why=$3
	shift 3
	LC_ALL=C.UTF-8 "$bindir/$tool" --state-root "$root" "$@" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	want="$tool: --state-root: $root: $why"
	[ $rc -eq 2 ] || { echo "FAIL $tool $root $*: exit $rc, want 2"; fail=1; }
	[ ! -s "$tmp/out" ] || { echo "FAIL $tool $root $*: stdout: $(cat "$tmp/out")"; fail=1; }
	[ "$(cat "$tmp/err")" = "$want" ] ||
		{ echo "FAIL $tool $root $*: stderr: $(cat "$tmp/err"), want: $want"; fail=1; }
}

for root in "$tmp/none:No such file or directory" "$tmp/file:Not a directory"; do
	dir=${root%%:*} why=${root#*:}
	check pssum "$dir" "$why" --proc-root "$fixtures/ctr/pss/proc"
	check pssum "$dir" "$why" --proc-root "$fixtures/ctr/pss/proc" -o +CONTAINER
	check oomrank "$dir" "$why" --proc-root "$fixtures/ctr/oom/proc"
	check oomrank "$dir" "$why" --log="$fixtures/ctr/oom.log" --proc-root "$fixtures/ctr/oom/proc"
	check deadfiles "$dir" "$why" --proc-root "$fixtures/ctr/basic/proc"
	check deadfiles "$dir" "$why" --proc-root "$fixtures/ctr/basic/proc" --by process
	check memfind "$dir" "$why" --proc-root "$fixtures/ctr/memfind/proc"
	check memwhere "$dir" "$why" --proc-root "$fixtures/ctr/mw/proc" --sys-root "$fixtures/ctr/mw/sys" --cgroup
done
[ $fail -eq 0 ] && echo "state-root: ok"
exit $fail
