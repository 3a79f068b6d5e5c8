# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for memwhere(1), from procdiag.

# The view of the command line: node (--node), cgroup (--cgroup) or
# nothing (the machine ledger).
function __memwhere_view
    set -l view
    for tok in (commandline -opc)[2..-1]
        switch $tok
            case --node
                set view node
            case --cgroup '--cgroup=*'
                set view cgroup
        end
    end
    test -n "$view"; and echo $view
end

# The columns of that view as NAME<TAB>HELP, read from "memwhere [roots]
# [--node|--cgroup] -H -r -n" (lines NAME TAB TYPE TAB HELP); the node
# view's columns are the nodes of --sys-root.
function __memwhere_columns
    set -l tokens (commandline -opc)
    set -l cmd $tokens[1]
    set -q cmd[1]; or set cmd memwhere
    set -l args
    set -l n (count $tokens)
    for i in (seq 2 $n)
        switch $tokens[$i]
            case --sys-root --proc-root
                if test $i -lt $n
                    set args $args $tokens[$i] $tokens[(math $i + 1)]
                end
            case '--sys-root=*' '--proc-root=*'
                set args $args $tokens[$i]
        end
    end
    set -l view (__memwhere_view)
    if contains -- "$view" node cgroup
        set args $args --$view
    end
    command $cmd $args -H -r -n 2>/dev/null | while read -l -d \t name type help
        string match -qr '^[A-Z0-9_]+$' -- $name; or continue
        printf '%s\t%s\n' $name $help
    end
end

# -o: complete the last item of a comma-separated list, keeping what comes
# before it (and a leading '+'); columns already listed are not offered.
function __memwhere_output
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--output=|-o)' '' $tok)
    set -l prefix (string match -r -- '^\+?(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string upper -- (string trim -c '+,' -- $prefix)))
    for col in (__memwhere_columns)
        set -l name (string split -m 1 \t -- $col)[1]
        contains -- $name $given; and continue
        printf '%s%s\n' $prefix $col
    end
end

# -x: a column, maybe after '+' (ascending) or '-' (descending).
function __memwhere_sort
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--sort=|-x)' '' $tok)
    set -l sign (string match -r -- '^[+-]' $tok)
    for col in (__memwhere_columns)
        printf '%s%s\n' "$sign" $col
    end
end

# --cgroup: memory cgroup paths as /proc/PID/cgroup shows them, under the
# memory hierarchy in fs/cgroup of --sys-root (default /sys), found as
# memwhere finds it: v2 with the memory controller, the v1 "memory"
# hierarchy, or "unified".
function __memwhere_cgroups
    set -l root /sys
    set -l tokens (commandline -opc)
    set -l n (count $tokens)
    for i in (seq 2 $n)
        switch $tokens[$i]
            case --sys-root
                if test $i -lt $n
                    set root $tokens[(math $i + 1)]
                end
            case '--sys-root=*'
                set root (string replace -- --sys-root= '' $tokens[$i])
        end
    end
    set root (string replace -r -- '/+$' '' $root)/fs/cgroup
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

# "--cgroup PATH": the argument is optional, so fish takes it only after
# '='; offer it in the next word too.
function __memwhere_after
    set -l prev (commandline -opc)[-1]
    contains -- "$prev" $argv
end

complete -c memwhere -f

complete -c memwhere -s v -l verbose -d 'Add the detail rows under their parts'
complete -c memwhere -l node -d 'The ledger per NUMA node, with numastat'
complete -c memwhere -l cgroup -f -d 'One row per memory cgroup, as a tree; only PATH and below' -a '(__memwhere_cgroups)'
complete -c memwhere -n '__memwhere_after --cgroup' -f -a '(__memwhere_cgroups)'
complete -c memwhere -s i -l interval -x -d 'Sample twice, TIME apart: rates'
complete -c memwhere -s N -l top -x -d 'Detail rows per part; cgroups in --prom-file'
complete -c memwhere -l min-size -x -d 'Leave out rows smaller than SIZE'
complete -c memwhere -l pressure-threshold -x -d 'A warning when PSI avg10 is over PCT' -a 'some= full='
complete -c memwhere -l sys-root -x -d 'Read DIR instead of /sys' -a '(__fish_complete_directories)'

complete -c memwhere -s o -l output -x -d 'Columns to print; +LIST adds to the defaults' -a '(__memwhere_output)'
complete -c memwhere -l output-all -d 'Print every column'
complete -c memwhere -s H -l list-columns -d 'List the columns and exit'
complete -c memwhere -s r -l raw -d 'Tab-separated values, sizes in bytes'
complete -c memwhere -l tsv -d 'Tab-separated values, sizes in bytes'
complete -c memwhere -s J -l json -d 'JSON, sizes in bytes'
complete -c memwhere -s n -l noheadings -d 'Do not print a header line'
complete -c memwhere -s b -l bytes -d 'Sizes in bytes in the table too'
complete -c memwhere -s x -l sort -x -d 'Sort by a column (+ ascending, - descending)' -a '(__memwhere_sort)'
# "-x -SIZE": fish takes a word that starts with '-' for an option; offer
# the columns there too.
complete -c memwhere -n '__fish_prev_arg_in -x --sort' -f -a '(__memwhere_sort)'
complete -c memwhere -s q -l quiet -d 'No warnings on stderr'
complete -c memwhere -s w -l warning -x -d 'Exit 1 and print only what is over RANGE (10G, 50%)'
complete -c memwhere -s c -l critical -x -d 'The same, critical for --check'
complete -c memwhere -l check -d 'One monitoring-plugin status line, exit 0 to 3'
complete -c memwhere -l prom-file -r -F -d 'Write Prometheus metrics to FILE'
complete -c memwhere -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c memwhere -l state-root -x -d "Read the container runtimes' state under DIR" -a '(__fish_complete_directories)'
complete -c memwhere -s h -l help -d 'Display help'
complete -c memwhere -s V -l version -d 'Display version'
