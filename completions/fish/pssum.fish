# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for pssum(1), from procdiag.

# The view chosen on the command line: mapping (-m, --by-mapping), summary
# (-s, --summary) or nothing. Arguments of options are skipped, so
# "-x -swap" or "-u m" choose no view.
function __pssum_view
    set -l tokens (commandline -opc)
    set -l view
    set -l skip 0
    for tok in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $tok
            case --
                break
            case --by-mapping
                set view mapping
            case --summary
                set view summary
            case --group-by --pid --user --command --full --cgroup --diff --top --jobs --output --sort --proc-root --state-root --sys-root
                set skip 1
            case '--*'
            case '-?*'
                # A cluster of short options: "-qm", "-rs", "-gcommand".
                set -l chars (string split '' -- (string sub -s 2 -- $tok))
                set -l n (count $chars)
                for i in (seq $n)
                    switch $chars[$i]
                        case m
                            set view mapping
                        case s
                            set view summary
                        case g p u f N j o x
                            test $i -eq $n; and set skip 1
                            break
                    end
                end
        end
    end
    printf '%s\n' $view
end

# The columns of that view as NAME<TAB>HELP, read from
# "pssum [-m|-s] [--numa ROOTS] -H -r -n" (lines NAME TAB TYPE TAB HELP);
# with --numa, the node columns are the nodes of --sys-root.
function __pssum_columns
    set -l tokens (commandline -opc)
    set -l cmd $tokens[1]
    set -q cmd[1]; or set cmd pssum
    set -l args
    set -l roots
    set -l numa 0
    set -l n (count $tokens)
    for i in (seq 2 $n)
        switch $tokens[$i]
            case --numa
                set numa 1
            case --sys-root --proc-root
                if test $i -lt $n
                    set roots $roots $tokens[$i] $tokens[(math $i + 1)]
                end
            case '--sys-root=*' '--proc-root=*'
                set roots $roots $tokens[$i]
        end
    end
    test $numa -eq 1; and set args --numa $roots
    switch (__pssum_view)
        case mapping
            set args $args -m
        case summary
            set args $args -s
    end
    command $cmd $args -H -r -n 2>/dev/null | while read -l -d \t name type help
        string match -qr '^[A-Z0-9_]+$' -- $name; or continue
        printf '%s\t%s\n' $name $help
    end
end

# -o: complete the last item of a comma-separated list, keeping what comes
# before it (and a leading '+'); columns already listed are not offered.
function __pssum_output
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--output=|-o)' '' $tok)
    set -l prefix (string match -r -- '^\+?(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string upper -- (string trim -c '+,' -- $prefix)))
    for col in (__pssum_columns)
        set -l name (string split -m 1 \t -- $col)[1]
        contains -- $name $given; and continue
        printf '%s%s\n' $prefix $col
    end
end

# -x: a column, maybe after '+' (ascending) or '-' (descending).
function __pssum_sort
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--sort=|-x)' '' $tok)
    set -l sign (string match -r -- '^[+-]' $tok)
    for col in (__pssum_columns)
        printf '%s%s\n' "$sign" $col
    end
end

# -g: a comma-separated list of keys, each at most once.
function __pssum_keys
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--group-by=|-g)' '' $tok)
    set -l prefix (string match -r -- '^(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string trim -c , -- $prefix))
    for key in \
        pid\t'one row per process (default)' \
        ppid\t'the children of one parent together' \
        command\t'the command name (comm)' \
        exe\t'the executable' \
        user\t'the real user' \
        cgroup\t'the cgroup path' \
        unit\t'the systemd unit' \
        container\t'the container (runtime and id)' \
        pod\t'the Kubernetes pod'
        set -l name (string split -m 1 \t -- $key)[1]
        contains -- $name $given; and continue
        printf '%s%s\n' $prefix $key
    end
end

# Where the cgroup paths of --cgroup live, as /proc/PID/cgroup names them:
# the cgroup2 mount (unified or hybrid hierarchy), else the v1 memory
# controller's, as pssum reads them.
function __pssum_cgroup_root
    while read -l dev mnt type rest
        if test "$type" = cgroup2
            echo $mnt
            return
        end
    end </proc/self/mounts
    if test -d /sys/fs/cgroup/memory
        echo /sys/fs/cgroup/memory
    else
        echo /sys/fs/cgroup
    end
end

# --cgroup: the directories under that root, without it.
function __pssum_cgroups
    set -l root (__pssum_cgroup_root)
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^--cgroup=' '' $tok)
    set -l dir (string replace -r -- '[^/]*$' '' $tok)
    string match -q -- '/*' $dir; or set dir /$dir
    for d in $root$dir*/
        string replace -- $root '' $d
    end
end

complete -c pssum -f

complete -c pssum -s g -l group-by -x -d 'Group by these keys (comma-separated)' -a '(__pssum_keys)'
complete -c pssum -s p -l pid -x -d 'Only these pids' -a '(__fish_complete_pids)'
complete -c pssum -s u -l user -x -d 'Only these users (names or uids)' -a '(__fish_complete_users)'
complete -c pssum -l command -x -d 'Only these commands (comm, or a longer exe or argv0 name)' -a '(__fish_complete_proc)'
complete -c pssum -s f -l full -x -d 'Only command lines matching REGEX (ERE, as pgrep -f)'
complete -c pssum -l cgroup -x -d 'Only processes in this cgroup or below it' -a '(__pssum_cgroups)'
complete -c pssum -s m -l by-mapping -d 'One row per mapped file, [heap], [stack], [anon]'
complete -c pssum -s s -l summary -d 'PSS of all processes beside /proc/meminfo'
complete -c pssum -l diff -r -F -d "Growth since FILE, an earlier 'pssum -r' output"
complete -c pssum -s N -l top -x -d 'Only the first N rows (the total counts all)'
complete -c pssum -s j -l jobs -x -d 'Read processes with N threads (default 1)'
complete -c pssum -l strict -d 'Exit 2 when some processes could not be read'
complete -c pssum -l numa -d 'Bytes on each NUMA node (numa_maps): N0, N1, ... columns'
complete -c pssum -l sys-root -x -d 'With --numa, the nodes of DIR instead of /sys' -a '(__fish_complete_directories)'
complete -c pssum -l state-root -x -d "Read the container runtimes' state under DIR" -a '(__fish_complete_directories)'

complete -c pssum -s o -l output -x -d 'Columns to print; +LIST adds to the defaults' -a '(__pssum_output)'
complete -c pssum -l output-all -d 'Print every column'
complete -c pssum -s H -l list-columns -d 'List the columns and exit'
complete -c pssum -s r -l raw -d 'Tab-separated values, sizes in bytes'
complete -c pssum -l tsv -d 'Tab-separated values, sizes in bytes'
complete -c pssum -s J -l json -d 'JSON, sizes in bytes'
complete -c pssum -s n -l noheadings -d 'Do not print a header line'
complete -c pssum -s b -l bytes -d 'Sizes in bytes in the table too'
complete -c pssum -s x -l sort -x -d 'Sort by a column (+ ascending, - descending)' -a '(__pssum_sort)'
# "-x -SWAP": fish takes a word that starts with '-' for an option; offer the
# columns there too.
complete -c pssum -n '__fish_prev_arg_in -x --sort' -f -a '(__pssum_sort)'
complete -c pssum -s q -l quiet -d 'No warnings on stderr'
complete -c pssum -s w -l warning -x -d 'Exit 1 and print only what is over RANGE (10G, 1G:2G)'
complete -c pssum -s c -l critical -x -d 'The same, critical for --check'
complete -c pssum -l check -d 'One monitoring-plugin status line, exit 0 to 3'
complete -c pssum -l prom-file -r -F -d 'Write Prometheus metrics to FILE'
complete -c pssum -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c pssum -s h -l help -d 'Display help'
complete -c pssum -s V -l version -d 'Display version'
