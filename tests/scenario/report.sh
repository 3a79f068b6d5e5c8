#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# procdiag-report on the real machine: a deleted file held open (5 MiB on
# the disk under /var/tmp) and a memfd (3 MiB written), planted by a helper
# process, and a 6 MiB deleted file a sleeping child holds; the page must
# show them with their sizes, and a threshold must make it silent or
# speak, naming the file, pid and command. Root only (77 otherwise).
# Usage: report.sh BIN
set -u
bin=$1
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the scenario needs root (every process readable)"
	exit 77
fi
command -v python3 >/dev/null || { echo "FAIL: python3 is missing"; exit 1; }
tmp=$(mktemp -d)
dir=$(mktemp -d /var/tmp/pd-report.XXXXXX)
fifo=$tmp/ready
mkfifo "$fifo"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

python3 - "$dir/held.log" "$fifo" <<'PY' &
import os, sys, time
path, fifo = sys.argv[1], sys.argv[2]
f = open(path, "wb")
f.write(b"x" * (5 << 20)); f.flush(); os.fsync(f.fileno())
os.unlink(path)
m = os.memfd_create("pd-report-test")
os.write(m, b"y" * (3 << 20))
with open(fifo, "w") as r:
    r.write("ready\n")
time.sleep(120)
PY
helper=$!
# A sleeping child holding a deleted 6 MiB file (written to the disk, so
# it allocates its size): the -q mail must name it, its pid and command.
dd if=/dev/zero of="$dir/mail.log" bs=1M count=6 conv=fsync status=none
# opened before the fork: a redirection on the background command runs in
# the child, which may come after the rm
exec 3<"$dir/mail.log"
sleep 300 &
sleeper=$!
exec 3<&-
trap 'kill $helper $sleeper 2>/dev/null; rm -rf "$tmp" "$dir"' EXIT
rm "$dir/mail.log"
read -r _ <"$fifo"

LC_ALL=C.UTF-8 "$bin" -b -N 1000 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 2 ] || fail "plain run: exit $rc"
# The memfd: one row, 3 MiB allocated, its holder's command.
sed -n '/^== Biggest memory-backed files/,/^$/p' "$tmp/out" >"$tmp/mem"
grep -E '^memfd +3145728 .*/memfd:pd-report-test$' "$tmp/mem" >/dev/null ||
	{ fail "the memfd is not in memfind's section:"; cat "$tmp/mem"; }
# The deleted file: its mount's row holds at least its 5 MiB.
mnt=$(stat -c %m "$dir" 2>/dev/null || df --output=target "$dir" | tail -n 1)
sed -n '/^== Deleted files still pinning space/,/^$/p' "$tmp/out" >"$tmp/del"
alloc=$(awk -v m="$mnt" '$NF == m { print $3 }' "$tmp/del")
[ -n "$alloc" ] && [ "$alloc" -ge 5242880 ] ||
	{ fail "deadfiles' row for $mnt lacks the 5 MiB (ALLOC '$alloc'):"; cat "$tmp/del"; }
echo "ok planted objects on the page (deleted on $mnt: $alloc bytes)"

# Root is not almighty: a process with capabilities we lack (a sandbox's
# init) refuses ptrace-read access to its fd/ and maps. With CAP_SYS_PTRACE
# such a process is beyond any run of ours: named in a warning and left
# out, the view is complete (lib/coverage.h). Without it deadfiles sees
# part of the system only, and a threshold nothing crosses cannot be
# judged (exit 2): what it did not see may cross it.
partial=0
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
ptrace=$(( (0x${capeff:-0} >> 19) & 1 ))
[ "$ptrace" -eq 1 ] || for p in /proc/[1-9]*; do
	# kernel threads (empty cmdline) hold nothing
	[ "$(head -c 1 "$p/cmdline" 2>/dev/null | wc -c)" -eq 1 ] || continue
	{ cat "$p/maps" && ls "$p/fd"; } >/dev/null 2>&1 && continue
	[ -d "$p" ] && partial=1
done

# Thresholds: far above what is there: silence and exit 0 (from a partial
# view: exit 2, the section says so); under: the section and exit 1.
"$bin" -q -w deadfiles=1E >"$tmp/out" 2>&1
rc=$?
if [ $partial -eq 0 ]; then
	[ $rc -eq 0 ] && [ ! -s "$tmp/out" ] || fail "healthy threshold: exit $rc, output: $(cat "$tmp/out")"
else
	echo "note: root cannot read every process here"
	[ $rc -eq 2 ] && grep -q "^deadfiles could not judge its threshold, or could not run (exit 2)" "$tmp/out" &&
		grep -q "^deadfiles: the threshold cannot be judged: .*; partial view: " "$tmp/out" ||
		fail "healthy threshold from a partial view: exit $rc, output: $(cat "$tmp/out")"
fi
"$bin" -q -b -N 1000 -w deadfiles=4M >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "threshold crossed: exit $rc ($(cat "$tmp/err"))"
grep -q "^== Deleted files still pinning space" "$tmp/out" ||
	fail "threshold crossed: no deadfiles section: $(cat "$tmp/out")"
[ "$(grep -c '^== ' "$tmp/out")" -eq 1 ] || fail "threshold crossed: other sections printed"
# The mail names what to act on: the sleeping child's deleted file, its
# pid and command, and the command for the whole list.
grep -Eq "^$sleeper +sleep +6291456 +6291456 $dir/mail\.log\$" "$tmp/out" ||
	fail "threshold crossed: the mail does not name $dir/mail.log, pid $sleeper, sleep: $(cat "$tmp/out")"
# (other tests' deleted files may be many: then "... N more; full list")
grep -Eqx '(\.\.\. [0-9]+ more; )?full list: deadfiles -b -w 4M' "$tmp/out" ||
	fail "threshold crossed: no full-list command: $(cat "$tmp/out")"
echo "ok thresholds; the mail names the file, pid $sleeper and sleep"

[ $fails -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
