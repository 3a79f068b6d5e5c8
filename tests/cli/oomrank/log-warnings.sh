#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# oomrank --log never hides a report it could not read: a log in a
# time-stamp format it does not parse (dmesg --time-format=iso) gives a row
# without a victim and one warning; a log it reads gives no warning.
# Usage: log-warnings.sh BIN FIXTURES
set -u
bin=$1 logs=$2/oomlog
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed -E 's/^\[[^]]*\] /2025-11-22T04:15:09,552371+01:00 /' \
	"$logs/v6.8-global-dmesg-T.log" >"$tmp/iso.log"
"$bin" --log "$tmp/iso.log" -r -n -o VICTIM_PID >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL iso: exit $rc"; fail=1; }
[ "$(wc -l <"$tmp/out")" -eq 1 ] || { echo "FAIL iso: wanted one row"; fail=1; }
grep -q "1 of 1 OOM reports have no kill line" "$tmp/err" ||
	{ echo "FAIL iso: no warning: $(cat "$tmp/err")"; fail=1; }
for f in "$logs"/*.log; do
	"$bin" --log "$f" >/dev/null 2>"$tmp/err"
	[ -s "$tmp/err" ] && { echo "FAIL $f: $(cat "$tmp/err")"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok"
exit $fail
