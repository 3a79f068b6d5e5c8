#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# memfind --orphans when some process could not be read: a /dev/shm file
# no process seen holds may be held by one that was not seen, so it is no
# proven orphan, but it is never dropped either: it is listed as
# "orphan?", a warning says why, and a threshold on the orphans counts it
# as unknown (the figure a lower bound). A copy of the memfind fixture
# with a pid 604 whose fd/ cannot be read (a file where the directory
# should be: ENOTDIR). Usage: orphans-partial.sh BIN FIXTURES
set -u
bin=$1 fixtures=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$fixtures/memfind" "$tmp/" || exit 1
d=$tmp/memfind/proc/604
cp -R "$fixtures/memfind/proc/603" "$d" || exit 1
rm -rf "$d/fd"
: >"$d/fd"
sed -i 's/^603 /604 /' "$d/stat"
root=$tmp/memfind/proc
export LC_ALL=C.UTF-8

# run WANT_RC ARGS...: stdout in $tmp/out, stderr in $tmp/err
run() {
	want_rc=$1
	shift
	"$bin" --proc-root "$root" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$want_rc" ] || { echo "FAIL $*: exit $rc, wanted $want_rc"; cat "$tmp/err"; fail=1; }
}
want() {
	printf '%s\n' "$@" >"$tmp/want"
	cmp -s "$tmp/out" "$tmp/want" || { echo "FAIL: got:"; cat "$tmp/out"; echo "wanted:"; cat "$tmp/want"; fail=1; }
}
said() {
	grep -qxF "$1" "$tmp/err" || { echo "FAIL: no '$1' on stderr: $(cat "$tmp/err")"; fail=1; }
}
why="memfind: warning: 1 /dev/shm file no process seen holds is listed as 'orphan?': a process that could not be read may hold it"

T=$(printf '\t')
run 0 --orphans -r -o KIND,ALLOC,FLAGS,PATH
want "KIND${T}ALLOC${T}FLAGS${T}PATH" "sysv${T}65536${T}orphan${T}/SYSV00001234" \
	"posix${T}65536${T}orphan?${T}/dev/shm/orphan.shm"
said "$why"
said "memfind: warning: 1 of 6 processes could not be read (Not a directory)"
# the listing flags it too
run 0 -r -o FLAGS,PATH
grep -qxF "orphan?${T}/dev/shm/orphan.shm" "$tmp/out" || { echo "FAIL: no orphan? row: $(cat "$tmp/out")"; fail=1; }
# the figure: the proven orphans, a lower bound (a partial view is
# UNKNOWN without a threshold, as every partial view is)
run 3 --orphans --check
want "MEMFIND UNKNOWN - 2 memory objects hold at least 64KiB (1 'orphan?' of 64KiB: a process that could not be read may hold it); partial view: 1 of 6 processes could not be read (Not a directory) | 'object_bytes'=65536B;;;0;"
run 1 --orphans --check -w 32K
run 3 --orphans --check -w 100K
# metrics: proven and unsure apart
run 0 --orphans --prom-file "$tmp/m.prom"
grep -qx 'memfind_orphan_objects 1' "$tmp/m.prom" || { echo "FAIL: orphan_objects"; grep orphan "$tmp/m.prom"; fail=1; }
grep -qx 'memfind_orphan_unsure_objects 1' "$tmp/m.prom" || { echo "FAIL: orphan_unsure_objects"; grep orphan "$tmp/m.prom"; fail=1; }
grep -qx 'memfind_orphan_unsure_bytes 65536' "$tmp/m.prom" || { echo "FAIL: orphan_unsure_bytes"; grep orphan "$tmp/m.prom"; fail=1; }
# all seen: a proven orphan, no warning
"$bin" --proc-root "$fixtures/memfind/proc" --orphans -r -o FLAGS,PATH >"$tmp/out" 2>"$tmp/err"
grep -qxF "orphan${T}/dev/shm/orphan.shm" "$tmp/out" || { echo "FAIL: complete view: $(cat "$tmp/out")"; fail=1; }
grep -q "orphan?" "$tmp/err" && { echo "FAIL: complete view warned"; fail=1; }
[ $fail -eq 0 ] && echo "ok orphans in a partial view"
exit $fail
