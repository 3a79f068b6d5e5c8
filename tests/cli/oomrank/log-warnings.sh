#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# oomrank --log never hides a report it could not read: a log behind a
# line prefix it does not know gives no row and one warning naming the
# first such line; a log in a form it reads (dmesg --time-format=iso too)
# gives its rows and no warning, except that the top of a cgroup OOM's
# table cannot be told without knowing the swap, which it says once.
# Usage: log-warnings.sh BIN FIXTURES
set -u
bin=$1 logs=$2/oomlog
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# dmesg --time-format=iso: read, the victim found, nothing to say
sed -E 's/^\[[^]]*\] /2025-11-22T04:15:09,552371+01:00 /' \
	"$logs/v6.8-global-dmesg-T.log" >"$tmp/iso.log"
"$bin" --log "$tmp/iso.log" -r -n -o INVOKER,VICTIM_PID >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL iso: exit $rc"; fail=1; }
[ "$(cat "$tmp/out")" = "$(printf 'worker\t4100')" ] ||
	{ echo "FAIL iso: $(cat "$tmp/out")"; fail=1; }
[ -s "$tmp/err" ] && { echo "FAIL iso: $(cat "$tmp/err")"; fail=1; }

# a prefix no tool prints: refused, said once, with its first line
sed -E 's|^\[[^]]*\] |2025/11/22 04:15:09 |' \
	"$logs/v6.8-global-dmesg-T.log" >"$tmp/odd.log"
"$bin" --log "$tmp/odd.log" -r -n >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL odd: exit $rc"; fail=1; }
[ -s "$tmp/out" ] && { echo "FAIL odd: rows: $(cat "$tmp/out")"; fail=1; }
want="oomrank: warning: $tmp/odd.log: 3 lines of OOM reports in a form oomrank does not read, the first at line 1: '2025/11/22 04:15:09 worker invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_M'; those reports are left out"
[ "$(cat "$tmp/err")" = "$want" ] ||
	{ echo "FAIL odd: stderr: $(cat "$tmp/err")"; fail=1; }

for f in "$logs"/*.log; do
	"$bin" --log "$f" >/dev/null 2>"$tmp/err"
	case $f in
	*/v6.18-memcg-dmesg-boot.log) ;;
	*/v6.18-memcg-*.log)
		# no boot line, no "Total swap": the tops are not certain
		grep -v "2 of 2 OOM reports: the top of the task table depends on how much swap" \
			"$tmp/err" >"$tmp/other"
		mv "$tmp/other" "$tmp/err"
		;;
	esac
	[ -s "$tmp/err" ] && { echo "FAIL $f: $(cat "$tmp/err")"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok"
exit $fail
