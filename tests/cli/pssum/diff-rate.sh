#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pssum --diff's RATE: PSS growth per hour since the file was written,
# its modification time ('pssum -r >file' sets it). The pss fixture's
# by-pid baseline, dated 10000 hours back: python3 (501) grew 16801792
# bytes, 1680 per hour; java (900) is new, 39014400 bytes, 3901 per hour;
# 4242 is gone, -1536000 bytes, -154 per hour (halves away from 0); the
# total (the gone one with it) 54689792, 5469 per hour. A run's second or two of its own
# cannot move these. A file dated in the future has no rate.
# Usage: diff-rate.sh BIN FIXTURES
set -u
bin=$1 fixtures=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$fixtures/pss/pssum-r-pid.tsv" "$tmp/base.tsv"
touch -d "@$(($(date +%s) - 36000000))" "$tmp/base.tsv"
export LC_ALL=C.UTF-8

"$bin" --proc-root "$fixtures/pss/proc" -q --diff "$tmp/base.tsv" -r \
	-o PID,PSS_DIFF,RATE -x PID >"$tmp/out"
T=$(printf '\t')
printf '%s\n' "PID${T}PSS_DIFF${T}RATE" "4242${T}-1536000${T}-154" \
	"900${T}39014400${T}3901" "800${T}0${T}0" "501${T}16801792${T}1680" \
	"500${T}512000${T}51" "412${T}0${T}0" "411${T}0${T}0" "410${T}0${T}0" \
	"100${T}-102400${T}-10" "1${T}0${T}0" >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || { echo "FAIL: RATE:"; diff "$tmp/want" "$tmp/out"; fail=1; }
# the table: signed sizes, the total's rate too
"$bin" --proc-root "$fixtures/pss/proc" -q --diff "$tmp/base.tsv" \
	-o PID,PSS_DIFF,RATE -x PID -b >"$tmp/out"
tail -n 1 "$tmp/out" | grep -q "^total  *+54689792  *+5469\$" ||
	{ echo "FAIL: total line: $(tail -n 1 "$tmp/out")"; fail=1; }
# a file from the future: no span, no rate (empty in TSV)
touch -d "@$(($(date +%s) + 3600))" "$tmp/base.tsv"
"$bin" --proc-root "$fixtures/pss/proc" -q --diff "$tmp/base.tsv" -r \
	-o PID,RATE >"$tmp/out"
[ "$(grep "^501" "$tmp/out")" = "501${T}" ] || { echo "FAIL: future file: $(cat "$tmp/out")"; fail=1; }
[ $fail -eq 0 ] && echo "ok RATE"
exit $fail
