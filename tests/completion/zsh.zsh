# SPDX-License-Identifier: GPL-2.0-or-later
# The zsh completion of a procdiag tool (deadfiles, pssum: the name of
# BIN): it loads through compinit, its column helper reads the binary, and
# real completions in an interactive zsh (on a pseudo-terminal, zsh/zpty)
# give the expected matches.
# Run through run.sh: zsh -f zsh.zsh BIN COMPLETION TMP
emulate -R zsh
setopt extendedglob
bin=$1 comp=$2 tmp=$3
tool=${bin:t}
compdir=${comp:h}
integer fails=0

fail() { print -r -- "FAIL: $*"; (( fails++ )) }
ok() { print -r -- "ok: $*" }

# 1. compinit finds it by its #compdef line.
fpath=($compdir $fpath)
autoload -Uz compinit
compinit -u -d $tmp/zcompdump 2>$tmp/compinit.err
[[ -s $tmp/compinit.err ]] && fail "compinit: $(<$tmp/compinit.err)"
if [[ $_comps[$tool] == _$tool ]]; then
	ok "compinit maps $tool to _$tool"
else
	fail "compinit: $tool -> '$_comps[$tool]', want _$tool"
fi

# 2. The file parses as a function body and, sourced, defines its helpers
# without running anything or printing a word.
if ! autoload -Uz +X _$tool 2>$tmp/load.err || [[ -s $tmp/load.err ]]; then
	fail "autoload +X _$tool: $(<$tmp/load.err)"
fi
source $comp >$tmp/source.out 2>&1
[[ -s $tmp/source.out ]] && fail "sourcing printed: $(<$tmp/source.out)"
for f in _$tool _${tool}_columns _${tool}_output _${tool}_sort; do
	if (( $+functions[$f] )); then ok "defines $f"; else fail "does not define $f"; fi
done

# 3. The column helper: names as the binary lists them, for each view.
check_columns() {
	local view=$1 want=$2 must=$3 mustnot=$4
	local -a reply names
	_${tool}_columns $tool $view
	names=(${reply%%:*})
	if [[ "$names" != "$want" ]]; then
		fail "columns of '$view': got '$names', want '$want'"
	elif [[ -n $must && -z ${(M)names:#$must} ]]; then
		fail "columns of '$view' lack $must"
	elif [[ -n $mustnot && -n ${(M)names:#$mustnot} ]]; then
		fail "columns of '$view' have $mustnot"
	else
		ok "columns of '${view:-default}': $names"
	fi
}
listed() { print -r -- ${(f)"$($tool "$@" -H -r -n | cut -f1)"} }
case $tool in
(deadfiles)
	check_columns '' "$(listed)" PIDS FREEABLE
	check_columns file "$(listed)" PATH FREEABLE
	check_columns process "$(listed --by process)" FREEABLE PIDS
	check_columns mount "$(listed --by mount)" FSTYPE FREEABLE
	check_columns bogus "$(listed)" ALLOC ''
	[[ $(listed) == *PIDS*ALLOC*PATH* ]] || fail "deadfiles -H -r -n lists no PIDS, ALLOC, PATH"
	;;
(pssum)
	check_columns '' "$(listed)" PSS_DIFF MAPPING
	check_columns mapping "$(listed -m)" MAPPING PSS_DIFF
	check_columns summary "$(listed -s)" NOTE PSS
	check_columns bogus "$(listed)" CMDLINE ''
	[[ $(listed) == *PID*PSS*CMDLINE* ]] || fail "pssum -H -r -n lists no PID, PSS, CMDLINE"
	;;
(oomrank)
	check_columns '' "$(listed)" BADNESS VICTIM
	check_columns cgroup "$(listed --cgroup)" LIMIT VICTIM
	check_columns log "$(listed --log)" WAS_TOP BADNESS
	check_columns bogus "$(listed)" RANK ''
	[[ $(listed) == *RANK*PID*BADNESS*OOM_SCORE* ]] || fail "oomrank -H -r -n lists no RANK, PID, BADNESS, OOM_SCORE"
	;;
(dfdu)
	check_columns '' "$(listed)" UNEXPLAINED KIND
	check_columns evidence "$(listed -v)" KIND UNEXPLAINED
	check_columns bogus "$(listed)" GAP ''
	[[ $(listed) == *USED*WALKED*GAP*MOUNT* ]] || fail "dfdu -H -r -n lists no USED, WALKED, GAP, MOUNT"
	;;
(memfind)
	check_columns '' "$(listed)" SEALS OBJECTS
	check_columns process "$(listed --by process)" OBJECTS SEALS
	check_columns summary "$(listed -s)" NOTE SEALS
	check_columns bogus "$(listed)" PATH ''
	[[ $(listed) == *KIND*ALLOC*PATH* ]] || fail "memfind -H -r -n lists no KIND, ALLOC, PATH"
	;;
(memwhere)
	check_columns '' "$(listed)" SOURCE CURRENT
	check_columns node "$(listed --node)" TOTAL SOURCE
	check_columns cgroup "$(listed --cgroup)" UNMAPPED SOURCE
	check_columns bogus "$(listed)" PART ''
	[[ $(listed) == *PART*SIZE*NOTE* ]] || fail "memwhere -H -r -n lists no PART, SIZE, NOTE"
	;;
(*)
	fail "no checks for $tool"
	;;
esac

# 4. Real completion: type LINE and TAB in an interactive zsh whose
# compadd reports every match (with its ignored prefix) before adding it.
if ! zmodload zsh/zpty 2>/dev/null; then
	print "zsh/zpty is missing: interactive completions not checked"
else
	zmodload zsh/zselect
	cat >$tmp/init.zsh <<-EOF
	PS1= RPS1= PS2=
	unsetopt zle_bracketed_paste 2>/dev/null
	fpath=(${(q)compdir} \$fpath)
	autoload -Uz compinit && compinit -u -d ${(q)tmp}/zcompdump
	zstyle ':completion:*' insert-tab false
	_t_end() { print -r -- '@@END@@' }
	_t_complete() { comppostfuncs=(_t_end); _main_complete "\$@" }
	zle -C t-complete complete-word _t_complete
	bindkey '^I' t-complete
	compadd() {
		if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
			builtin compadd "\$@"
			return
		fi
		local -a __hits
		local -A __o
		local __h
		builtin compadd -A __hits "\$@"
		zparseopts -E -A __o P: p:
		for __h in \$__hits; do
			print -r -- "@@HIT@@\$IPREFIX\${__o[-P]-}\${__o[-p]-}\$__h"
		done
		builtin compadd "\$@"
	}
	print -r -- '@@READY@@'
	EOF

	# read_until MARK: collect the pty's lines until one holds MARK (10 s).
	read_until() {
		local mark=$1 out
		integer deadline=$(( SECONDS + 10 ))
		got=()
		while (( SECONDS < deadline )); do
			if zpty -r -t z out; then
				[[ $out == *$mark* ]] && return 0
				[[ $out == *@@HIT@@* ]] && got+=("${${out#*@@HIT@@}%%$'\r'*}")
			else
				zselect -t 5
			fi
		done
		return 1
	}

	zcheck() {
		local want=$1 line=$2
		local -a got wanted
		wanted=(${(ou)${=want}})
		zpty -w -n z "$line"$'\t'
		if ! read_until @@END@@; then
			fail "'$line': no answer from the completion"
			return
		fi
		zpty -w -n z $'\C-u'
		got=(${(ou)got})
		if [[ "$got" == "$wanted" ]]; then
			ok "'$line' -> $got"
		else
			fail "'$line': got '$got', want '$want'"
		fi
	}

	zpty z zsh -f -i
	zpty -w z "source ${(q)tmp}/init.zsh"
	if ! read_until @@READY@@; then
		fail "the interactive zsh did not start"
	else
		zcheck '--warning' "$tool --warn"
		zcheck '--critical' "$tool --crit"
		zcheck '--check' "$tool --chec"
		case $tool in
		(deadfiles)
			zcheck '--by --bytes' 'deadfiles --b'
			zcheck 'file process mount' 'deadfiles --by '
			zcheck 'PIDS' 'deadfiles -o PI'
			zcheck 'PIDS' 'deadfiles -o pi'
			zcheck 'PIDS,ALLOC' 'deadfiles -o PIDS,AL'
			zcheck '+PIDS,UIDS +PIDS,USERS' 'deadfiles -o +PIDS,U'
			zcheck 'FREEABLE' 'deadfiles --by process -o FREE'
			zcheck '--output=FREEABLE' 'deadfiles --by=process --output=FR'
			zcheck 'FILES FSTYPE' 'deadfiles --by mount -o F'
			zcheck '-ALLOC' 'deadfiles -x -AL'
			zcheck '+SIZE +STATE' 'deadfiles --sort +S'
			;;
		(memfind)
			zcheck '--by --bytes' 'memfind --b'
			zcheck 'object process' 'memfind --by '
			zcheck 'SEALS SHMID SIZE SWAP' 'memfind -o S'
			zcheck '+SEALS,SHMID +SEALS,SIZE +SEALS,SWAP' 'memfind -o +SEALS,S'
			zcheck 'OBJECTS' 'memfind --by process -o OBJ'
			zcheck '--output=OBJECTS' 'memfind --by=process --output=OB'
			zcheck 'NOTE' 'memfind -s -o N'
			zcheck 'NOTE' 'memfind -qs -o NO'
			zcheck '-ALLOC' 'memfind -x -AL'
			zcheck '--summary' 'memfind --sum'
			;;
		(pssum)
			local pfixsys=${0:A:h:h}/fixtures/memwhere/box/sys
			zcheck '--numa' 'pssum --nu'
			zcheck 'N0 N1' "pssum --numa --sys-root ${(q)pfixsys} -o N"
			zcheck '--state-root' 'pssum --stat'
			zcheck '--group-by' 'pssum --gr'
			zcheck 'pid ppid command exe user cgroup unit container pod' 'pssum -g '
			zcheck 'user,command user,container' 'pssum -g user,co'
			zcheck 'user,cgroup user,command user,container' 'pssum -g user,c'
			zcheck '--group-by=command --group-by=container' 'pssum --group-by=co'
			zcheck 'PSS PSS_ANON PSS_DIFF PSS_FILE PSS_SHMEM' 'pssum -o PS'
			zcheck 'PSS PSS_ANON PSS_DIFF PSS_FILE PSS_SHMEM' 'pssum -o ps'
			zcheck 'PSS,PSS_ANON PSS,PSS_DIFF PSS,PSS_FILE PSS,PSS_SHMEM' 'pssum -o PSS,PS'
			zcheck '+SWAP +SWAP_DIFF +SWAP_PSS' 'pssum -o +SW'
			zcheck 'MAPPING' 'pssum -m -o MAP'
			zcheck '--output=MAPPING' 'pssum --by-mapping --output=MA'
			zcheck 'NOTE' 'pssum -s -o N'
			zcheck 'NOTE' 'pssum -qs -o NO'
			zcheck '-SWAP -SWAP_DIFF -SWAP_PSS' 'pssum -x -SW'
			zcheck '-SWAP -SWAP_DIFF -SWAP_PSS' 'pssum -u m -x -SW'
			zcheck '-SWAP -SWAP_PSS' 'pssum -m -x -SW'
			zcheck '+PROCS' 'pssum --sort +PRO'
			zcheck '--strict' 'pssum --str'
			zcheck '--summary' 'pssum --sum'
			;;
		(dfdu)
			zcheck '--min-gap' 'dfdu --min'
			zcheck '--no-walk --noheadings' 'dfdu --no'
			zcheck 'UNEXPLAINED UNEXPLAINED_MAX UNEXPLAINED_MIN UNREADABLE' 'dfdu -o UN'
			zcheck 'UNEXPLAINED UNEXPLAINED_MAX UNEXPLAINED_MIN UNREADABLE' 'dfdu -o un'
			zcheck 'IFREE' 'dfdu -i -o IF'
			zcheck '--judge' 'dfdu --ju'
			zcheck 'MOUNT,USED' 'dfdu -o MOUNT,US'
			zcheck 'KIND' 'dfdu -v -o KI'
			zcheck 'KIND' 'dfdu -qv -o KI'
			zcheck '--output=NOTE' 'dfdu --explain=/ --output=NO'
			zcheck '-GAP' 'dfdu -x -GA'
			zcheck '+USED' 'dfdu --sort +USE'
			;;
		(oomrank)
			# --cgroup paths come from the cgroup v2 tree of the oom fixture.
			local fixcg=${0:A:h:h}/fixtures/oom/cgroup
			zcheck '--explain' 'oomrank --ex'
			zcheck '--cgroup --cgroup-root' 'oomrank --cg'
			zcheck 'BADNESS BADNESS_BYTES' 'oomrank -o BAD'
			zcheck 'BADNESS BADNESS_BYTES' 'oomrank -o bad'
			zcheck 'RANK,PID' 'oomrank -o RANK,PI'
			zcheck 'LIMIT LIMIT_MEMCG' 'oomrank --cgroup -o LIM'
			zcheck '--output=LIMIT --output=LIMIT_MEMCG' 'oomrank --cgroup=/web.slice --output=LIM'
			zcheck 'LIMIT' 'oomrank --log -o LIM'
			zcheck '' 'oomrank --log -o BAD'
			zcheck 'VICTIM VICTIM_PID VICTIM_UID' 'oomrank --log=/var/log/kern.log -o VIC'
			zcheck '-BADNESS -BADNESS_BYTES' 'oomrank -x -BAD'
			zcheck '+WAS_TOP' 'oomrank --log --sort +WAS'
			zcheck '--cgroup=/web.slice' "oomrank --cgroup-root ${(q)fixcg} --cgroup=/we"
			zcheck '--cgroup=/web.slice' "oomrank --cgroup-root=${(q)fixcg} --cgroup=we"
			zcheck '/web.slice' "oomrank --cgroup-root ${(q)fixcg} --cgroup /we"
			zcheck '--cgroup-root' 'oomrank --cgroup --cg'
			zcheck '--log=-' 'oomrank --log=-'
			zcheck '/init.scope /system.slice /user.slice /web.slice' "oomrank --cgroup-root ${(q)fixcg} --cgroup "
			zcheck '--cgroup=/web.slice/nginx.service --cgroup=/web.slice/php-fpm.service' "oomrank --cgroup-root ${(q)fixcg} --cgroup=/web.slice/"
			;;
		(memwhere)
			local fixsys=${0:A:h:h}/fixtures/memwhere/box/sys
			zcheck '--verbose' 'memwhere --verb'
			zcheck 'PARENT PART' 'memwhere -o PA'
			zcheck 'PARENT PART' 'memwhere -o pa'
			zcheck '+SIZE +SOURCE' 'memwhere -o +S'
			zcheck 'N0 N1 NOTE' "memwhere --sys-root ${(q)fixsys} --node -o N"
			zcheck 'UNIT UNMAPPED USE_PCT' 'memwhere --cgroup -o U'
			zcheck '-AVG10 -AVG300 -AVG60' 'memwhere -x -AV'
			zcheck '/system.slice' "memwhere --sys-root ${(q)fixsys} --cgroup /sys"
			zcheck '--cgroup=/system.slice' "memwhere --sys-root=${(q)fixsys} --cgroup=sys"
			;;
		esac
	fi
	zpty -d z
fi

if (( fails )); then
	print "$fails failed"
	exit 1
fi
print "all passed"
