# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion of deadfiles, with bash-completion loaded, as bash
# itself would call it. Run through run.sh: bash bash.bash BIN COMPLETION TMP
set -u
comp=$2

bashcomp=
for f in "${BASH_COMPLETION_SCRIPT-}" \
	/usr/share/bash-completion/bash_completion \
	/etc/bash_completion; do
	[[ -n $f && -r $f ]] && { bashcomp=$f; break; }
done
if [[ -z $bashcomp ]]; then
	echo "bash-completion is not installed: skipped"
	exit 77
fi
# bash-completion expects an interactive-like shell: no nounset.
set +u
. "$bashcomp"
. "$comp"

fails=0
fail()
{
	echo "FAIL: $*"
	fails=$((fails + 1))
}

spec=$(complete -p deadfiles 2>/dev/null)
func=$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")
[[ -n $func ]] || fail "no completion registered for deadfiles: '$spec'"

# check 'EXPECTED WORDS' WORD...: complete the last WORD (bash's split of the
# line, '=' a word of its own) and compare COMPREPLY, sorted, to EXPECTED.
check()
{
	local want=$1 line="" w got
	shift
	local -a COMP_WORDS=("$@")
	local COMP_CWORD=$(($# - 1)) COMP_LINE COMP_POINT COMP_TYPE=9 COMP_KEY=9
	for w in "$@"; do
		if [[ -z $line || $w == = || $line == *= ]]; then
			line+=$w
		else
			line+=" $w"
		fi
	done
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	"$func" deadfiles "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	want=$(printf '%s\n' $want | sort | xargs)
	if [[ $got == "$want" ]]; then
		echo "ok: '$line' -> $got"
	else
		fail "'$line': got '$got', want '$want'"
	fi
}

[[ -n $func ]] && {
	check '--by --bytes' deadfiles --b
	check 'file process mount' deadfiles --by ''
	check 'mount' deadfiles --by = mo
	check 'PIDS' deadfiles -o PI
	check 'PIDS' deadfiles -o pi
	check 'PIDS,ALLOC' deadfiles -o PIDS,AL
	check '+PIDS,UIDS +PIDS,USERS' deadfiles -o +PIDS,U
	check 'FREEABLE' deadfiles --by process -o FREE
	check 'FREEABLE' deadfiles --by = process --output FR
	check '' deadfiles --by mount -o FREE
	check 'FSTYPE FILES' deadfiles --by mount -o F
	check '-ALLOC' deadfiles -x -AL
	check '+SIZE +STATE' deadfiles --sort +S
	check '' deadfiles --timeout ''
	check '' deadfiles --min-size ''
	check '--output --output-all' deadfiles --outp
	check '--proc-root' deadfiles --proc
}

if ((fails)); then
	echo "$fails failed"
	exit 1
fi
echo "all passed"
