# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for memfind(1), from procdiag.

# The view chosen on the command line: process (--by process), summary
# (-s, --summary) or nothing (objects).
function __memfind_view
    set -l tokens (commandline -opc)
    set -l n (count $tokens)
    set -l view
    for i in (seq 2 $n)
        switch $tokens[$i]
            case --by
                if test $i -lt $n
                    set -l j (math $i + 1)
                    set view $tokens[$j]
                end
            case '--by=*'
                set view (string replace -- --by= '' $tokens[$i])
            case --summary
                set view summary
            case '--*'
            case '-*'
                # a cluster of short options without an argument letter
                if string match -qr -- '^-[^puoxwc]*s' $tokens[$i]
                    set view summary
                end
        end
    end
    echo $view
end

# The columns of that view as NAME<TAB>HELP, read from
# "memfind [--by process|-s] -H -r -n" (lines NAME TAB TYPE TAB HELP).
function __memfind_columns
    set -l cmd (commandline -opc)[1]
    set -q cmd[1]; or set cmd memfind
    set -l args
    switch (__memfind_view)
        case process
            set args --by process
        case summary
            set args -s
    end
    command $cmd $args -H -r -n 2>/dev/null | while read -l -d \t name type help
        string match -qr '^[A-Z0-9_]+$' -- $name; or continue
        printf '%s\t%s\n' $name $help
    end
end

# -o: complete the last item of a comma-separated list, keeping what comes
# before it (and a leading '+'); columns already listed are not offered.
function __memfind_output
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--output=|-o)' '' $tok)
    set -l prefix (string match -r -- '^\+?(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string upper -- (string trim -c '+,' -- $prefix)))
    for col in (__memfind_columns)
        set -l name (string split -m 1 \t -- $col)[1]
        contains -- $name $given; and continue
        printf '%s%s\n' $prefix $col
    end
end

# -x: a column, maybe after '+' (ascending) or '-' (descending).
function __memfind_sort
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--sort=|-x)' '' $tok)
    set -l sign (string match -r -- '^[+-]' $tok)
    for col in (__memfind_columns)
        printf '%s%s\n' "$sign" $col
    end
end

# --type: the last item of a comma-separated list of kinds.
function __memfind_types
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^--type=' '' $tok)
    set -l prefix (string match -r -- '^(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string trim -c ',' -- $prefix))
    for k in memfd hugetlb secretmem sysv posix tmpfs deleted-tmpfs shared-anon dmabuf
        contains -- $k $given; and continue
        printf '%s%s\n' $prefix $k
    end
end

complete -c memfind -f

complete -c memfind -l type -x -d 'Only these kinds' -a '(__memfind_types)'
complete -c memfind -s p -l pid -x -d 'Only objects held by these pids' -a '(__fish_complete_pids)'
complete -c memfind -s u -l user -x -d 'Only objects held by these users' -a '(__fish_complete_users)'
complete -c memfind -l command -x -d 'Only objects held by these commands (comm, or a longer exe or argv0 name)' -a '(__fish_complete_proc)'
complete -c memfind -l min-size -x -d 'Only objects holding at least SIZE (1M, 1.5G)'
complete -c memfind -l orphans -d 'Only SysV segments and /dev/shm files nobody holds'
complete -c memfind -l by -x -d 'What a row is' -a '
    object\t"one row per object (default)"
    process\t"one row per process"'
complete -c memfind -s s -l summary -d 'Shmem of /proc/meminfo beside what was found'
complete -c memfind -l timeout -x -d 'Deadline for a stat (default 3s)'

complete -c memfind -s o -l output -x -d 'Columns to print; +LIST adds to the defaults' -a '(__memfind_output)'
complete -c memfind -l output-all -d 'Print every column'
complete -c memfind -s H -l list-columns -d 'List the columns and exit'
complete -c memfind -s r -l raw -d 'Tab-separated values, sizes in bytes'
complete -c memfind -l tsv -d 'Tab-separated values, sizes in bytes'
complete -c memfind -s J -l json -d 'JSON, sizes in bytes'
complete -c memfind -s n -l noheadings -d 'Do not print a header line'
complete -c memfind -s b -l bytes -d 'Sizes in bytes in the table too'
complete -c memfind -s x -l sort -x -d 'Sort by a column (+ ascending, - descending)' -a '(__memfind_sort)'
# "-x -SIZE": fish takes a word that starts with '-' for an option; offer the
# columns there too.
complete -c memfind -n '__fish_prev_arg_in -x --sort' -f -a '(__memfind_sort)'
complete -c memfind -s q -l quiet -d 'No warnings on stderr'
complete -c memfind -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c memfind -l state-root -x -d "Read the container runtimes' state under DIR" -a '(__fish_complete_directories)'
complete -c memfind -s w -l warning -x -d 'Exit 1 and print only what is over RANGE (10G, 1G:2G; 5% with -s)'
complete -c memfind -s c -l critical -x -d 'The same, critical for --check'
complete -c memfind -l check -d 'One monitoring-plugin status line, exit 0 to 3'
complete -c memfind -l prom-file -r -F -d 'Write Prometheus metrics to FILE'
complete -c memfind -s h -l help -d 'Display help'
complete -c memfind -s V -l version -d 'Display version'
