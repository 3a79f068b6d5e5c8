# SPDX-License-Identifier: GPL-2.0-or-later
# The fish completion of deadfiles, loaded the way fish loads it (by name,
# from a directory in $fish_complete_path), checked with "complete -C".
# Run through run.sh: fish --no-config fish.fish BIN COMPLETION TMP
set -l comp $argv[2]
set -g fails 0

set -p fish_complete_path (string replace -r -- '/[^/]*$' '' $comp)

# check 'EXPECTED WORDS' LINE: the candidates for LINE, sorted, must be
# exactly EXPECTED.
function check
    set -l want (string split ' ' -- $argv[1] | sort)
    set -l line $argv[2]
    set -l got (complete -C "$line" | string replace -r '\t.*' '' | sort)
    if test "$got" = "$want"
        echo "ok: '$line' -> $got"
    else
        echo "FAIL: '$line': got '$got', want '$want'"
        set fails (math $fails + 1)
    end
end

check '--by --bytes' 'deadfiles --b'
check 'file mount process' 'deadfiles --by '
check 'PIDS' 'deadfiles -o PI'
check 'PIDS,ALLOC' 'deadfiles -o PIDS,AL'
check '+PIDS,UIDS +PIDS,USERS' 'deadfiles -o +PIDS,U'
check 'FREEABLE' 'deadfiles --by process -o FREE'
check '--output=FREEABLE' 'deadfiles --by=process --output=FR'
check 'FILES FSTYPE' 'deadfiles --by mount -o F'
check '-ALLOC' 'deadfiles -x -AL'
check '+SIZE +STATE' 'deadfiles --sort +S'
check '--proc-root' 'deadfiles --proc'

if test $fails -gt 0
    echo "$fails failed"
    exit 1
end
echo "all passed"
