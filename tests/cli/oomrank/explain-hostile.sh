#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# oomrank --explain writes the names of processes and cgroups escaped as
# the table does: on a copy of the oom tree where pid 500's comm sets the
# terminal title (OSC), holds a C1 CSI, a bidi override, a newline and an
# invalid byte, and app.service's name clears the screen (CSI 2J), holds
# an isolate and a TAB. The output is compared with hostile/PID.out and
# must hold no raw control character. Usage: explain-hostile.sh BIN FIXTURES
# With PD_GOLDEN_UPDATE=1 it rewrites the expected files instead.
set -u
bin=$1 fixtures=$2
here=$(dirname "$0")/hostile
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

cp -a "$fixtures/oom" "$tmp/oom"
comm=$(printf '\033]0;t\007\302\233\342\200\256\n\377x')
cg=$(printf 'app\033[2J\342\201\246\t.service')
stat=$(sed 's/^500 (loader) /500 (@COMM@) /' "$tmp/oom/proc/500/stat")
printf '%s\n' "$stat" | awk -v c="$comm" '{ sub(/@COMM@/, c); print }' \
	>"$tmp/oom/proc/500/stat"
mv "$tmp/oom/cgroup/system.slice/app.service" "$tmp/oom/cgroup/system.slice/$cg"
for pid in 300 310; do
	printf '0::/system.slice/%s\n' "$cg" >"$tmp/oom/proc/$pid/cgroup"
done

raw='[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]'
for pid in 310 300; do
	"$bin" --proc-root "$tmp/oom/proc" --cgroup-root "$tmp/oom/cgroup" \
		--explain $pid >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || { echo "FAIL $pid: exit $rc: $(cat "$tmp/err")"; fail=1; }
	for s in out err; do
		if LC_ALL=C grep -qaP "$raw" "$tmp/$s"; then
			echo "FAIL $pid: raw control character on std$s:"
			LC_ALL=C grep -naP "$raw" "$tmp/$s" | od -c | head -10
			fail=1
		fi
	done
	if [ "${PD_GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$tmp/out" "$here/$pid.out"
	elif ! cmp -s "$tmp/out" "$here/$pid.out"; then
		echo "FAIL $pid differs:"
		diff -u "$here/$pid.out" "$tmp/out" | head -40
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "ok"
exit $fail
