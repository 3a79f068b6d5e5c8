#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A --proc-root tree whose file is not a regular file: a FIFO (opening or
# reading it would wait for a writer forever), a symlink to /dev/zero
# (endless) or /dev/tty, a symlink loop, a directory. The tool must not
# hang nor read it: exit 2 at once, its last word "TOOL: PATH: not a
# regular file", and nothing on stdout.
# Each case runs on a copy of a fixture tree under a deadline.
# Usage: tree-files.sh BINDIR FIXTURES
set -u
bindir=$1 fixtures=$2
fail=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The tool ends in exit(2) here, its objects still allocated, which
# LeakSanitizer (the ASan build) may report as leaks; the library's own
# paths out on these errors are leak-checked by the unit tests.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
# the kernel's name of the directory: the message is absolute
tmp=$(cd "$tmp" && pwd -P)

# check KIND TOOL TREE FILE [ARGS...]: FILE of a fresh copy of TREE made
# KIND, then TOOL run on it.
check() {
	kind=$1 tool=$2 tree=$3 file=$4
	shift 4
	n=$((n + 1))
	root=$tmp/$n/proc
	mkdir -p "$tmp/$n"
	cp -a "$fixtures/$tree/proc" "$root"
	rm -rf "${root:?}/$file"
	case $kind in
	fifo) mkfifo "$root/$file" ;;
	zero) ln -s /dev/zero "$root/$file" ;;
	tty) ln -s /dev/tty "$root/$file" ;;
	loop) ln -s "$(basename "$file")" "$root/$file" ;;
	dir) mkdir "$root/$file" ;;
	esac
	# a writer that never comes, a reader of /dev/zero that never ends:
	# the deadline turns a hang into a failure
	LC_ALL=C.UTF-8 timeout -s KILL 20 "$bindir/$tool" --proc-root "$root" \
		"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	want="$tool: $root/$file: not a regular file"
	# the last word (warnings of the tree's own may come first), once
	if [ $rc -ne 2 ] || [ "$(tail -n 1 "$tmp/err")" != "$want" ] ||
	   [ "$(grep -c "not a regular file" "$tmp/err")" != 1 ] ||
	   [ -s "$tmp/out" ]; then
		echo "FAIL $kind $file, $tool $*: exit $rc"
		[ $rc -eq 137 ] && echo "  (killed at the deadline: it hung)"
		echo "  want: $want"
		sed 's/^/  got:  /' "$tmp/err" | head -3
		fail=1
	fi
}

# What the issue found hanging, tool by tool, and more of the same kind.
for kind in fifo zero tty loop dir; do
	check $kind deadfiles basic 100/status
	check $kind deadfiles basic 100/mountinfo
	# the command line only for the view that shows it; fdinfo only for
	# an fd whose path cannot place it (the NFS one: fd 3 of 100 is on a
	# local mount, stat'ed at once)
	check $kind deadfiles basic 100/cmdline --by process
	check $kind deadfiles basic 100/maps
	check $kind deadfiles basic 200/fdinfo/9
	check $kind deadfiles basic 100/linkstat
	check $kind memfind memfind meminfo -s
	check $kind memfind memfind sysvipc/shm
	check $kind memfind memfind 1/mountinfo
	check $kind memfind memfind 600/status
	check $kind memfind memfind 600/smaps
	check $kind memfind memfind procdiag-tmpfs
	check $kind pssum pss meminfo -s
	check $kind pssum pss 411/status -g user
	check $kind pssum pss 411/smaps_rollup
	check $kind pssum pss 411/cmdline -o +CMDLINE
	check $kind pssum pss 411/smaps -m
	check $kind pssum pss 411/numa_maps --numa --sys-root "$fixtures/memwhere/sys"
	check $kind pssum pss 411/numa_maps --numa --sys-root "$fixtures/memwhere/sys" -m
	check $kind pssum pss 411/cgroup -g container
	check $kind deadfiles ctr/basic 100/cgroup --by process -o +CONTAINER
	check $kind memfind ctr/memfind 600/cgroup -o +CONTAINERS
	check $kind oomrank ctr/oom 300/cgroup -o +CONTAINER
	check $kind oomrank oom meminfo
	check $kind oomrank oom 300/status
	check $kind oomrank oom 300/cmdline -o +CMDLINE
	check $kind oomrank oom 300/oom_score_adj
	check $kind dfdu dfdu 1/mountinfo
	check $kind dfdu dfdu dfdu-statvfs
	# a --command name longer than comm reads argv[0] (701's exe is
	# another name; 702 has none), in the census and the scan
	check $kind pssum longname 701/cmdline --command systemd-journald
	check $kind deadfiles longname 702/cmdline --command systemd-journald
	check $kind memfind longname 701/cmdline --command systemd-journald
done
[ $fail -eq 0 ] && echo "ok $n trees with a file that is not a regular one"
exit $fail
