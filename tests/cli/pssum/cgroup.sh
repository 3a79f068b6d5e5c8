#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pssum --cgroup on the live machine, as oomrank --cgroup: a cgroup that
# does not exist is an error (stderr, exit 2), never an empty silence; one
# that exists lists its processes; an empty one (made when root) is a
# filter that finds nothing: silent, exit 0. A captured tree has no cgroup
# file system to check against: its filter stays a filter.
# Usage: cgroup.sh BIN FIXTURES
set -u
bin=$1 fixtures=$2
fail=0
tmp=$(mktemp -d)
made=
cleanup() {
	[ -n "$made" ] && rmdir "$made"
	rm -rf "$tmp"
}
trap cleanup EXIT
cg=/sys/fs/cgroup
# The hierarchy pssum's paths come from: v1 memory, v2, name=systemd.
if [ -f $cg/memory/memory.limit_in_bytes ]; then
	hier=$cg/memory
	mine=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
elif [ -f $cg/cgroup.controllers ]; then
	hier=$cg
	mine=$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
else
	echo "SKIP: no memory or v2 cgroup hierarchy under $cg"
	exit 77
fi

run() {
	want_rc=$1
	shift
	LC_ALL=C.UTF-8 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$want_rc" ] || { echo "FAIL $*: exit $rc, wanted $want_rc: $(cat "$tmp/err")"; fail=1; }
}

none=/pd-no-such-cgroup.$$
for args in "" "-s" "-m" "-r -g cgroup"; do
	# shellcheck disable=SC2086
	run 2 --cgroup "$none" $args
	[ -s "$tmp/out" ] && { echo "FAIL --cgroup $none $args: stdout: $(cat "$tmp/out")"; fail=1; }
	[ "$(cat "$tmp/err")" = "pssum: $none: no such cgroup under $cg" ] ||
		{ echo "FAIL --cgroup $none $args: stderr: $(cat "$tmp/err")"; fail=1; }
done
run 3 --check --cgroup "$none"
[ "$(cat "$tmp/out")" = "PSSUM UNKNOWN - $none: no such cgroup under $cg" ] ||
	{ echo "FAIL --check: $(cat "$tmp/out")"; fail=1; }

# our own cgroup holds this shell
run 0 --cgroup "$mine" -p $$ -r -n -o PID
[ "$(cat "$tmp/out")" = "$$" ] || { echo "FAIL --cgroup $mine -p $$: $(cat "$tmp/out")"; fail=1; }

# an empty cgroup of our own: silent, exit 0
[ "$(id -u)" -eq 0 ] && made=$(mktemp -d "$hier/pd-pssum.XXXXXX" 2>/dev/null)
if [ -n "$made" ]; then
	run 0 --cgroup "${made#"$hier"}"
	[ -s "$tmp/out" ] || [ -s "$tmp/err" ] &&
		{ echo "FAIL empty cgroup: $(cat "$tmp/out" "$tmp/err")"; fail=1; }
else
	echo "(no empty cgroup of our own: not root)"
fi

# a captured tree: nothing to check against, an empty filter
run 0 --proc-root "$fixtures/pss/proc" -q --cgroup "$none"
[ -s "$tmp/out" ] && { echo "FAIL captured tree: $(cat "$tmp/out")"; fail=1; }

[ $fail -eq 0 ] && echo "ok"
exit $fail
