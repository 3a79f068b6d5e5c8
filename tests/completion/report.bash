# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion of procdiag-report, as bash would call it.
# Run through run.sh: bash report.bash BIN COMPLETION TMP
set -u
comp=$2
bashcomp=
for f in "${BASH_COMPLETION_SCRIPT-}" \
	/usr/share/bash-completion/bash_completion /etc/bash_completion; do
	[[ -n $f && -r $f ]] && { bashcomp=$f; break; }
done
if [[ -z $bashcomp ]]; then
	echo "bash-completion is not installed: skipped"
	exit 77
fi
set +u
. "$bashcomp"
. "$comp"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# check 'EXPECTED' WORD...: complete the last word, compare sorted.
check()
{
	local want=$1 line="" w got
	shift
	local -a COMP_WORDS=("$@")
	local COMP_CWORD=$(($# - 1)) COMP_LINE COMP_POINT COMP_TYPE=9 COMP_KEY=9
	for w in "$@"; do
		if [[ -z $line || $w == = || $line == *= ]]; then line+=$w; else line+=" $w"; fi
	done
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_procdiag_report procdiag-report "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	want=$(printf '%s\n' $want | sort | xargs)
	[[ $got == "$want" ]] && echo "ok: '$line' -> $got" ||
		fail "'$line': got '$got', want '$want'"
}

[[ $(complete -p procdiag-report) == *_procdiag_report* ]] || fail "not registered"
check '--walk --warning' procdiag-report --w
check '--cgroup-root --critical' procdiag-report --c
check 'deadfiles= dfdu=' procdiag-report -w d
check 'memfind= memwhere=' procdiag-report --critical m
check '--sys-root' procdiag-report --sys
check 'deadfiles=1G,pssum=' procdiag-report -w deadfiles=1G,p
check '' procdiag-report -w pssum=
check '' procdiag-report -N ''
check '--proc-root' procdiag-report --proc
((fails)) && { echo "$fails failed"; exit 1; }
echo "all passed"
