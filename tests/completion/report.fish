# SPDX-License-Identifier: GPL-2.0-or-later
# The fish completion of procdiag-report, loaded by name.
# Run through run.sh: fish --no-config report.fish BIN COMPLETION TMP
set -p fish_complete_path (string replace -r -- '/[^/]*$' '' $argv[2])
set -g fails 0
function check
    set -l want (string split ' ' -- $argv[1] | sort)
    set -l got (complete -C "$argv[2]" | string replace -r '\t.*' '' | sort)
    if test "$got" = "$want"
        echo "ok: '$argv[2]' -> $got"
    else
        echo "FAIL: '$argv[2]': got '$got', want '$want'"
        set fails (math $fails + 1)
    end
end
check '--walk --warning' 'procdiag-report --w'
check '--cgroup-root --critical' 'procdiag-report --c'
check 'deadfiles= dfdu=' 'procdiag-report -w d'
check 'deadfiles=1G,pssum=' 'procdiag-report -w deadfiles=1G,p'
check '--proc-root' 'procdiag-report --proc'
check '--sys-root' 'procdiag-report --sys'
if test $fails -gt 0
    echo "$fails failed"
    exit 1
end
echo "all passed"
