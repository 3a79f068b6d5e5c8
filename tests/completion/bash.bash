# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion of a procdiag tool (deadfiles, pssum: the name of
# BIN), with bash-completion loaded, as bash itself would call it.
# Run through run.sh: bash bash.bash BIN COMPLETION TMP
set -u
bin=$1 comp=$2 tmp=$3
tool=${bin##*/}

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

spec=$(complete -p "$tool" 2>/dev/null)
func=$(sed -n 's/.*-F \([^ ]*\) .*/\1/p' <<<"$spec")
[[ -n $func ]] || fail "no completion registered for $tool: '$spec'"

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
	"$func" "$tool" "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | xargs)
	want=$(printf '%s\n' $want | sort | xargs)
	if [[ $got == "$want" ]]; then
		echo "ok: '$line' -> $got"
	else
		fail "'$line': got '$got', want '$want'"
	fi
}

deadfiles_checks()
{
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

pssum_checks()
{
	# --numa: the node columns are the nodes of --sys-root (two here)
	local fixsys
	fixsys=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/memwhere/box/sys" && pwd)
	check '--numa' pssum --nu
	check 'N0 N1' pssum --numa --sys-root "$fixsys" -o N
	check '+N0 +N1' pssum -m --numa --sys-root "$fixsys" -o +N
	check '' pssum -o N
	check '--state-root' pssum --stat
	check '--group-by' pssum --gr
	check 'pid ppid command exe user cgroup unit container pod' pssum -g ''
	check 'user,command user,container' pssum -g user,co
	check 'user,cgroup user,command user,container' pssum -g user,c
	check 'user,pod' pssum -g user,po
	check 'command container' pssum --group-by = co
	check 'PSS PSS_ANON PSS_DIFF PSS_FILE PSS_SHMEM' pssum -o PS
	check 'PSS PSS_ANON PSS_DIFF PSS_FILE PSS_SHMEM' pssum -o ps
	check 'PSS,PSS_ANON PSS,PSS_DIFF PSS,PSS_FILE PSS,PSS_SHMEM' pssum -o PSS,PS
	check '+SWAP +SWAP_DIFF +SWAP_PSS' pssum -o +SW
	check '' pssum -o MAP
	check 'MAPPING' pssum -m -o MAP
	check 'MAPPING' pssum --by-mapping --output MA
	check 'NOTE' pssum -s -o N
	check 'NOTE' pssum -qs -o NO
	check 'MAPPING' pssum -rm -x MA
	check '-SWAP -SWAP_DIFF -SWAP_PSS' pssum -x -SW
	check '-SWAP -SWAP_DIFF -SWAP_PSS' pssum -u m -x -SW
	check '-SWAP -SWAP_PSS' pssum -m -x -SW
	check '+PROCS' pssum --sort +PRO
	check '' pssum -N ''
	check '' pssum -j ''
	check '' pssum --full ''
	check '--strict' pssum --str
	check '--summary' pssum --sum
	check '--output --output-all' pssum --outp
	check '--proc-root' pssum --proc
	: >"$tmp/yesterday.tsv"
	check "$tmp/yesterday.tsv" pssum --diff "$tmp/yest"
	# --cgroup: directories of the cgroup2 mount, without it, as
	# /proc/PID/cgroup names them, when this machine has one.
	local root cg d want=""
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	for cg in "$root"/*/; do
		[[ -n $root && -d $cg ]] || continue
		cg=${cg#"$root"}
		cg=${cg%/}
		for d in "$root$cg"*/; do
			want+=" ${d#"$root"}"
		done
		check "$want" pssum --cgroup "$cg"
		check "$want" pssum --cgroup "${cg#/}"
		break
	done
}

oomrank_checks()
{
	# --cgroup paths come from the cgroup v2 tree of the oom fixture.
	local fixcg
	fixcg=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/oom/cgroup" && pwd)
	check '--explain' oomrank --ex
	check '--cgroup --cgroup-root' oomrank --cg
	check 'BADNESS BADNESS_BYTES' oomrank -o BAD
	check 'BADNESS BADNESS_BYTES' oomrank -o bad
	check 'RANK,PID' oomrank -o RANK,PI
	check '+OOM_SCORE,OOMS +OOM_SCORE,OOM_KILLS +OOM_SCORE,OOM_MEMCG +OOM_SCORE,OOM_SCORE_ADJ' \
		oomrank -o +OOM_SCORE,OO
	check 'LIMIT LIMIT_MEMCG' oomrank --cgroup -o LIM
	check 'LIMIT LIMIT_MEMCG' oomrank --cgroup = /web.slice -o LIM
	check 'LIMIT' oomrank --log -o LIM
	check '' oomrank --log -o BAD
	check 'VICTIM VICTIM_PID VICTIM_UID' oomrank --log = /var/log/kern.log -o VIC
	check 'VICTIM_PID' oomrank --log - --output VICTIM_P
	check '-BADNESS -BADNESS_BYTES' oomrank -x -BAD
	check '+WAS_TOP' oomrank --log --sort +WAS
	check '' oomrank --top ''
	check '/init.scope/ /system.slice/ /user.slice/ /web.slice/' \
		oomrank --cgroup-root "$fixcg" --cgroup ''
	check '/web.slice/' oomrank --cgroup-root "$fixcg" --cgroup /we
	check '/web.slice/nginx.service/ /web.slice/php-fpm.service/' \
		oomrank --cgroup-root = "$fixcg" --cgroup = /web.slice/
	check '--cgroup --cgroup-root' oomrank --cgroup --cg
	check '--output --output-all' oomrank --outp
	check '--proc-root' oomrank --proc
}

memfind_checks()
{
	check '--by --bytes' memfind --b
	check 'object process' memfind --by ''
	check 'process' memfind --by = pro
	check 'sysv' memfind --type sy
	check 'memfd,sysv' memfind --type memfd,sy
	check 'shared-anon secretmem sysv' memfind --type s
	check 'SEALS SHMID SIZE SWAP' memfind -o S
	check 'SEALS SHMID SIZE SWAP' memfind -o s
	check '+SEALS,SHMID +SEALS,SIZE +SEALS,SWAP' memfind -o +SEALS,S
	check 'OBJECTS' memfind --by process -o OBJ
	check 'OBJECTS' memfind --by = process --output OB
	check 'NOTE' memfind -s -o N
	check 'NOTE' memfind -qs -o NO
	check '' memfind -o OBJ
	check '-ALLOC' memfind -x -AL
	check '+PATH +PERMS +PIDS +PODS +PSS' memfind --sort +P
	check '' memfind --timeout ''
	check '' memfind --min-size ''
	check '--orphans --output --output-all' memfind --o
	check '--summary' memfind --sum
	check '--proc-root' memfind --proc
}

dfdu_checks()
{
	check '--min-gap' dfdu --min
	check '--no-walk --noheadings' dfdu --no
	check '--one-file-system --output --output-all' dfdu --o
	check 'UNEXPLAINED UNEXPLAINED_MAX UNEXPLAINED_MIN UNREADABLE' dfdu -o UN
	check 'UNEXPLAINED UNEXPLAINED_MAX UNEXPLAINED_MIN UNREADABLE' dfdu -o un
	check 'IFREE' dfdu -i -o IF
	check '--judge' dfdu --ju
	check 'hidden' dfdu --judge hi
	check 'deleted,unexplained' dfdu --judge deleted,u
	check 'MOUNT,USED' dfdu -o MOUNT,US
	check '+KERNEL_RESERVE' dfdu -o +KE
	check 'KIND' dfdu -v -o KI
	check 'KIND' dfdu -qv -o KI
	check 'NOTE' dfdu --explain / --output NO
	check '' dfdu -o KIND
	check '-GAP' dfdu -x -GA
	check '+USED' dfdu --sort +USE
	check '' dfdu --min-gap ''
	check '' dfdu -j ''
	check '' dfdu --timeout ''
	check '--proc-root' dfdu --proc
}

memwhere_checks()
{
	# --cgroup paths come from the cgroup v2 tree of the box fixture, the
	# node columns from its two nodes.
	local fixsys
	fixsys=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/memwhere/box/sys" && pwd)
	check '--verbose' memwhere --verb
	check '--node --noheadings' memwhere --no
	check '--pressure-threshold --proc-root --prom-file' memwhere --pr
	check 'PARENT PART' memwhere -o PA
	check 'PARENT PART' memwhere -o pa
	check 'PART,PARENT PART,PCT' memwhere -o PART,P
	check '+SIZE +SOURCE' memwhere -o +S
	check 'N0 N1 NOTE' memwhere --sys-root "$fixsys" --node -o N
	check 'UNIT UNMAPPED USE_PCT' memwhere --cgroup -o U
	check 'UNIT UNMAPPED USE_PCT' memwhere --cgroup = /system.slice -o U
	check '' memwhere -o UNM
	check '-AVG10 -AVG300 -AVG60' memwhere -x -AV
	check 'some= full=' memwhere --pressure-threshold ''
	check '' memwhere -i ''
	check '' memwhere --min-size ''
	check '/system.slice/' memwhere --sys-root "$fixsys" --cgroup /sys
	check '/system.slice/cache-fill.service/ /system.slice/docker-3f6a9c1b2e4d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8.scope/ /system.slice/nginx.service/' \
		memwhere --sys-root "$fixsys" --cgroup = /system.slice/
	check '--sys-root' memwhere --sys
}

# -w/-c/--check/--prom-file: the same in every tool.
health_checks()
{
	check '--warning' "$tool" --warn
	check '--critical' "$tool" --crit
	check '--check' "$tool" --chec
	check '--prom-file' "$tool" --prom
	check '' "$tool" -w ''
	check '' "$tool" --critical ''
}

[[ -n $func ]] && health_checks
[[ -n $func ]] && case $tool in
deadfiles) deadfiles_checks ;;
dfdu) dfdu_checks ;;
pssum) pssum_checks ;;
oomrank) oomrank_checks ;;
memfind) memfind_checks ;;
memwhere) memwhere_checks ;;
*) fail "no checks for $tool" ;;
esac

if ((fails)); then
	echo "$fails failed"
	exit 1
fi
echo "all passed"
