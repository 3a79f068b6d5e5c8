# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for oomrank(1), from procdiag.

# The view of the command line: log (--log), cgroup (--cgroup) or nothing.
function __oomrank_view
    set -l view
    for tok in (commandline -opc)[2..-1]
        switch $tok
            case --log '--log=*'
                echo log
                return
            case --cgroup '--cgroup=*'
                set view cgroup
        end
    end
    test -n "$view"; and echo $view
end

# The columns of that view as NAME<TAB>HELP, read from
# "oomrank [--cgroup|--log] -H -r -n" (lines NAME TAB TYPE TAB HELP).
function __oomrank_columns
    set -l cmd (commandline -opc)[1]
    set -q cmd[1]; or set cmd oomrank
    set -l args
    set -l view (__oomrank_view)
    if contains -- "$view" cgroup log
        set args --$view
    end
    command $cmd $args -H -r -n 2>/dev/null | while read -l -d \t name type help
        string match -qr '^[A-Z0-9_]+$' -- $name; or continue
        printf '%s\t%s\n' $name $help
    end
end

# -o: complete the last item of a comma-separated list, keeping what comes
# before it (and a leading '+'); columns already listed are not offered.
function __oomrank_output
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--output=|-o)' '' $tok)
    set -l prefix (string match -r -- '^\+?(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string upper -- (string trim -c '+,' -- $prefix)))
    for col in (__oomrank_columns)
        set -l name (string split -m 1 \t -- $col)[1]
        contains -- $name $given; and continue
        printf '%s%s\n' $prefix $col
    end
end

# -x: a column, maybe after '+' (ascending) or '-' (descending).
function __oomrank_sort
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--sort=|-x)' '' $tok)
    set -l sign (string match -r -- '^[+-]' $tok)
    for col in (__oomrank_columns)
        printf '%s%s\n' "$sign" $col
    end
end

# --cgroup: memory cgroup paths as /proc/PID/cgroup shows them, under the
# memory hierarchy of --cgroup-root (default /sys/fs/cgroup), found as
# oomrank finds it: v2 with the memory controller, the v1 "memory"
# hierarchy, or "unified".
function __oomrank_cgroups
    set -l root /sys/fs/cgroup
    set -l tokens (commandline -opc)
    set -l n (count $tokens)
    for i in (seq 2 $n)
        switch $tokens[$i]
            case --cgroup-root
                if test $i -lt $n
                    set root $tokens[(math $i + 1)]
                end
            case '--cgroup-root=*'
                set root (string replace -- --cgroup-root= '' $tokens[$i])
        end
    end
    set root (string replace -r -- '/+$' '' $root)
    set -l dir
    if string match -qr '(^|\s)memory(\s|$)' -- (cat $root/cgroup.controllers 2>/dev/null)
        set dir $root
    else if test -e $root/memory/memory.limit_in_bytes
        set dir $root/memory
    else if test -e $root/memory.limit_in_bytes
        set dir $root
    else if string match -qr '(^|\s)memory(\s|$)' -- (cat $root/unified/cgroup.controllers 2>/dev/null)
        set dir $root/unified
    else
        return
    end
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^--cgroup=' '' $tok)
    set tok (string replace -r -- '^/*' '/' $tok)
    set -l base (string replace -r -- '[^/]*$' '' $tok)
    for d in $dir$base*/
        string replace -- $dir '' $d
    end
end

# "--cgroup PATH" and "--log FILE": the argument is optional, so fish takes
# it only after '='; offer it in the next word too.
function __oomrank_after
    set -l prev (commandline -opc)[-1]
    contains -- "$prev" $argv
end

complete -c oomrank -f

complete -c oomrank -s N -l top -x -d 'The first N of each ranking'
complete -c oomrank -s a -l all -d 'Also the processes the killer never picks'
complete -c oomrank -s p -l pid -x -d 'Only rows of these pids (ranks stay global)' -a '(__fish_complete_pids)'
complete -c oomrank -l cgroup -f -d 'Rank within each memory-limited cgroup, or within PATH' -a '(__oomrank_cgroups)'
complete -c oomrank -n '__oomrank_after --cgroup' -f -a '(__oomrank_cgroups)'
complete -c oomrank -l cgroup-root -x -d 'Cgroup file system (default /sys/fs/cgroup)' -a '(__fish_complete_directories)'
complete -c oomrank -l explain -x -d 'Why PID ranks where it does, in words' -a '(__fish_complete_pids)'
complete -c oomrank -l log -F -d 'Past OOM kills from a kernel log (- for stdin; /dev/kmsg if none)'
complete -c oomrank -n '__oomrank_after --log' -F -a '-\t"standard input"'
complete -c oomrank -l judge -x -d 'What -w, -c and --check judge: usage or victim' -a 'usage victim'
complete -c oomrank -l since -x -d 'With --log, only the kills since TIME (1h, 2026-12-07 19:00)' -a '1h 61min 1d today yesterday'

complete -c oomrank -s o -l output -x -d 'Columns to print; +LIST adds to the defaults' -a '(__oomrank_output)'
complete -c oomrank -l output-all -d 'Print every column'
complete -c oomrank -s H -l list-columns -d 'List the columns and exit'
complete -c oomrank -s r -l raw -d 'Tab-separated values, sizes in bytes'
complete -c oomrank -l tsv -d 'Tab-separated values, sizes in bytes'
complete -c oomrank -s J -l json -d 'JSON, sizes in bytes'
complete -c oomrank -s n -l noheadings -d 'Do not print a header line'
complete -c oomrank -s b -l bytes -d 'Sizes in bytes in the table too'
complete -c oomrank -s x -l sort -x -d 'Sort by a column (+ ascending, - descending)' -a '(__oomrank_sort)'
# "-x -BADNESS": fish takes a word that starts with '-' for an option; offer
# the columns there too.
complete -c oomrank -n '__fish_prev_arg_in -x --sort' -f -a '(__oomrank_sort)'
complete -c oomrank -s q -l quiet -d 'No warnings on stderr'
complete -c oomrank -s w -l warning -x -d 'Exit 1 and print only what is over RANGE (10G, 1G:2G)'
complete -c oomrank -s c -l critical -x -d 'The same, critical for --check'
complete -c oomrank -l check -d 'One monitoring-plugin status line, exit 0 to 3'
complete -c oomrank -l prom-file -r -F -d 'Write Prometheus metrics to FILE'
complete -c oomrank -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c oomrank -l state-root -x -d "Read the container runtimes' state under DIR" -a '(__fish_complete_directories)'
complete -c oomrank -s h -l help -d 'Display help'
complete -c oomrank -s V -l version -d 'Display version'
