#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# memfind's figure when an object's size is unknown: a copy of the memfind
# fixture whose pid 602 cannot stat its shared anonymous mapping (no
# linkstat line for it, as map_files/ without CAP_SYS_ADMIN). The figure
# is then a lower bound: over a threshold is still an alert, under one is
# UNKNOWN (exit 2, or 3 with --check), and -s cannot judge a remainder
# whose explained side misses that object. Usage: partial.sh BIN FIXTURES
set -u
bin=$1 fixtures=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$fixtures/memfind" "$tmp/" || exit 1
sed -i '/^map_files\/7f1000800000-7f1000840000 /d' "$tmp/memfind/proc/602/linkstat"
root=$tmp/memfind/proc

# run WANT_RC WANT_STDOUT ARGS...: the exit status and the first line
run() {
	want_rc=$1 want=$2
	shift 2
	LC_ALL=C.UTF-8 "$bin" --proc-root "$root" -q "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$want_rc" ] || { echo "FAIL $*: exit $rc, wanted $want_rc"; cat "$tmp/err"; fail=1; }
	got=$(head -n 1 "$tmp/out")
	[ "$got" = "$want" ] || { echo "FAIL $*: got '$got', wanted '$want'"; fail=1; }
}

# 20598784 bytes in the full fixture, less the 128 KiB mapping: 20467712
part="16 memory objects hold at least 19.5MiB (1 of unknown size: run as root)"
run 0 "MEMFIND OK - $part | 'object_bytes'=20467712B;;;0;" --check
run 3 "MEMFIND UNKNOWN - $part | 'object_bytes'=20467712B;20971520;;0;" --check -w 20M
run 1 "MEMFIND WARNING - $part | 'object_bytes'=20467712B;1048576;;0;" --check -w 1M
run 2 "KIND	ALLOC	PATH" -w 20M -r -o KIND,ALLOC,PATH
grep -q "^memfind: the threshold cannot be judged: $part\$" "$tmp/err" ||
	{ echo "FAIL -w 20M: no 'cannot be judged' line: $(cat "$tmp/err")"; fail=1; }
run 1 "KIND	ALLOC	PATH" -w 1M -r -o KIND,ALLOC,PATH
# -s: the remainder grows by the 131072 bytes nobody could size: it is
# at most this, so under -w it is OK; over, it proves nothing (UNKNOWN)
run 0 "MEMFIND OK - 528KiB of Shmem 12MiB unexplained (4.2982%) (1 object of unknown size: run as root) | 'unexplained_bytes'=540672B;;;0; 'unexplained_share'=4.2982%;10;;;" -s --check -w 10%
run 3 "MEMFIND UNKNOWN - 528KiB of Shmem 12MiB unexplained (4.2982%) (1 object of unknown size: run as root) | 'unexplained_bytes'=540672B;;;0; 'unexplained_share'=4.2982%;4;;;" -s --check -w 4%
run 0 "MEMFIND OK - 528KiB of Shmem 12MiB unexplained (4.2982%) (1 object of unknown size: run as root) | 'unexplained_bytes'=540672B;;;0; 'unexplained_share'=4.2982%;;;;" -s --check
# the metrics say how many objects are missing from allocated_bytes
run 0 "" --prom-file "$tmp/m.prom"
grep -qx 'memfind_unknown_size_objects 1' "$tmp/m.prom" ||
	{ echo "FAIL --prom-file: no 'memfind_unknown_size_objects 1'"; fail=1; }
grep -qx 'memfind_allocated_bytes{kind="shared-anon"} 262144' "$tmp/m.prom" ||
	{ echo "FAIL --prom-file: shared-anon is not 262144"; fail=1; }
[ $fail -eq 0 ] && echo "ok partial figures"
exit $fail
