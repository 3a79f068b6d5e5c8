# SPDX-License-Identifier: GPL-2.0-or-later
# The fish completion of a procdiag tool (deadfiles, pssum: the name of
# BIN), loaded the way fish loads it (by name, from a directory in
# $fish_complete_path), checked with "complete -C".
# Run through run.sh: fish --no-config fish.fish BIN COMPLETION TMP
set -l tool (string replace -r -- '^.*/' '' $argv[1])
set -l comp $argv[2]
set -l tmp $argv[3]
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

# -w/-c/--check/--prom-file: the same in every tool.
check '--warning' "$tool --warn"
check '--critical' "$tool --crit"
check '--check' "$tool --chec"
check '--prom-file' "$tool --prom"

switch $tool
    case deadfiles
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
    case memfind
        check '--by --bytes' 'memfind --b'
        check 'object process' 'memfind --by '
        check 'sysv' 'memfind --type sy'
        check 'memfd,sysv' 'memfind --type memfd,sy'
        check 'SEALS SHMID SIZE SWAP' 'memfind -o S'
        check '+SEALS,SHMID +SEALS,SIZE +SEALS,SWAP' 'memfind -o +SEALS,S'
        check 'OBJECTS' 'memfind --by process -o OBJ'
        check '--output=OBJECTS' 'memfind --by=process --output=OB'
        check 'NOTE' 'memfind -s -o N'
        check '-ALLOC' 'memfind -x -AL'
        check '--proc-root' 'memfind --proc'
    case pssum
        set -l fixsys (path resolve (status dirname)/../fixtures/memwhere/box/sys)
        check '--numa' 'pssum --nu'
        check 'N0 N1' "pssum --numa --sys-root $fixsys -o N"
        check '+N0 +N1' "pssum -m --numa --sys-root $fixsys -o +N"
        check '--state-root' 'pssum --stat'
        check '--group-by' 'pssum --gr'
        check 'pid ppid command exe user cgroup unit container pod' 'pssum -g '
        check 'user,command user,container' 'pssum -g user,co'
        check 'user,cgroup user,command user,container' 'pssum -g user,c'
        check '--group-by=command --group-by=container' 'pssum --group-by=co'
        check 'PSS PSS_ANON PSS_DIFF PSS_FILE PSS_SHMEM' 'pssum -o PS'
        check 'PSS,PSS_ANON PSS,PSS_DIFF PSS,PSS_FILE PSS,PSS_SHMEM' 'pssum -o PSS,PS'
        check '+SWAP +SWAP_DIFF +SWAP_PSS' 'pssum -o +SW'
        check 'MAPPING' 'pssum -m -o MAP'
        check '--output=MAPPING' 'pssum --by-mapping --output=MA'
        check 'NOTE' 'pssum -s -o N'
        check 'NOTE' 'pssum -qs -o NO'
        check '-SWAP -SWAP_DIFF -SWAP_PSS' 'pssum -x -SW'
        check '-SWAP -SWAP_DIFF -SWAP_PSS' 'pssum -u m -x -SW'
        check '-SWAP -SWAP_PSS' 'pssum -m -x -SW'
        check '+PROCS' 'pssum --sort +PRO'
        check '--strict' 'pssum --str'
        check '--summary' 'pssum --sum'
        check '--proc-root' 'pssum --proc'
        touch $tmp/yesterday.tsv
        check "$tmp/yesterday.tsv" "pssum --diff $tmp/yest"
        # --cgroup: directories of the cgroup2 mount, without it, as
        # /proc/PID/cgroup names them, when this machine has one.
        set -l root (string match -r -- '^\S+ (\S+) cgroup2 ' </proc/self/mounts)[2]
        if test -n "$root"
            set -l dirs $root/*/
            if set -q dirs[1]
                set -l cg (string replace -- $root '' $dirs[1])
                set cg (string replace -r -- '/$' '' $cg)
                set -l want (string replace -- $root '' $root$cg*/)
                check "$want" "pssum --cgroup $cg"
            end
        end
    case dfdu
        check '--min-gap' 'dfdu --min'
        check '--no-walk --noheadings' 'dfdu --no'
        check 'UNEXPLAINED UNEXPLAINED_MAX UNEXPLAINED_MIN UNREADABLE' 'dfdu -o UN'
        check 'IFREE' 'dfdu -i -o IF'
        check '--judge' 'dfdu --ju'
        check '--judge=deleted,unexplained' 'dfdu --judge=deleted,u'
        check 'MOUNT,USED' 'dfdu -o MOUNT,US'
        check '+KERNEL_RESERVE' 'dfdu -o +KE'
        check 'KIND' 'dfdu -v -o KI'
        check 'KIND' 'dfdu -qv -o KI'
        check '--output=NOTE' 'dfdu --explain=/ --output=NO'
        check '-GAP' 'dfdu -x -GA'
        check '+USED' 'dfdu --sort +USE'
        check '--proc-root' 'dfdu --proc'
    case oomrank
        # --cgroup paths come from the cgroup v2 tree of the oom fixture.
        set -l fixcg (path resolve (status dirname)/../fixtures/oom/cgroup)
        check '--explain' 'oomrank --ex'
        check '--cgroup --cgroup-root --cgroup=' 'oomrank --cg'
        check 'BADNESS BADNESS_BYTES' 'oomrank -o BAD'
        check 'RANK,PID' 'oomrank -o RANK,PI'
        check 'LIMIT LIMIT_MEMCG' 'oomrank --cgroup -o LIM'
        check '--output=LIMIT --output=LIMIT_MEMCG' 'oomrank --cgroup=/web.slice --output=LIM'
        check 'LIMIT' 'oomrank --log -o LIM'
        # fish falls back to matching descriptions ("badness" in TOP_PID's): ask for
        # a name that no log column has in its name or description.
        check '' 'oomrank --log -o RANK'
        check 'VICTIM VICTIM_PID VICTIM_UID' 'oomrank --log=/var/log/kern.log -o VIC'
        check '-BADNESS -BADNESS_BYTES' 'oomrank -x -BAD'
        check '+WAS_TOP' 'oomrank --log --sort +WAS'
        check '/web.slice/' "oomrank --cgroup-root $fixcg --cgroup /we"
        check '--cgroup=/web.slice/' "oomrank --cgroup-root=$fixcg --cgroup=/we"
        check '/web.slice/nginx.service/ /web.slice/php-fpm.service/' "oomrank --cgroup-root $fixcg --cgroup /web.slice/"
        check '/init.scope/ /system.slice/ /user.slice/ /web.slice/' "oomrank --cgroup-root $fixcg --cgroup "
        check '--proc-root' 'oomrank --proc'
    case memwhere
        set -l fixsys (path resolve (status dirname)/../fixtures/memwhere/box/sys)
        check '--verbose' 'memwhere --verb'
        check 'PARENT PART' 'memwhere -o PA'
        check '+SIZE +SOURCE' 'memwhere -o +S'
        check 'N0 N1 NOTE' "memwhere --sys-root $fixsys --node -o N"
        check 'UNIT UNMAPPED USE_PCT' 'memwhere --cgroup -o U'
        check '-AVG10 -AVG300 -AVG60' 'memwhere -x -AV'
        check 'full= some=' 'memwhere --pressure-threshold '
        check '/system.slice/' "memwhere --sys-root $fixsys --cgroup /sys"
        check '--cgroup=/system.slice/' "memwhere --sys-root=$fixsys --cgroup=/sys"
        check '--proc-root' 'memwhere --proc'
    case '*'
        echo "FAIL: no checks for $tool"
        set fails (math $fails + 1)
end

if test $fails -gt 0
    echo "$fails failed"
    exit 1
end
echo "all passed"
