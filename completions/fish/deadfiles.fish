# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for deadfiles(1), from procdiag.

# The view given with --by on the command line, if any.
function __deadfiles_view
    set -l tokens (commandline -opc)
    set -l n (count $tokens)
    for i in (seq 2 $n)
        switch $tokens[$i]
            case --by
                if test $i -lt $n
                    set -l j (math $i + 1)
                    echo $tokens[$j]
                    return
                end
            case '--by=*'
                string replace -- --by= '' $tokens[$i]
                return
        end
    end
end

# The columns of that view as NAME<TAB>HELP, read from
# "deadfiles [--by VIEW] -H -r -n" (lines NAME TAB TYPE TAB HELP).
function __deadfiles_columns
    set -l cmd (commandline -opc)[1]
    set -q cmd[1]; or set cmd deadfiles
    set -l args
    set -l view (__deadfiles_view)
    if contains -- "$view" file process mount
        set args --by $view
    end
    command $cmd $args -H -r -n 2>/dev/null | while read -l -d \t name type help
        string match -qr '^[A-Z0-9_]+$' -- $name; or continue
        printf '%s\t%s\n' $name $help
    end
end

# -o: complete the last item of a comma-separated list, keeping what comes
# before it (and a leading '+'); columns already listed are not offered.
function __deadfiles_output
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--output=|-o)' '' $tok)
    set -l prefix (string match -r -- '^\+?(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string upper -- (string trim -c '+,' -- $prefix)))
    for col in (__deadfiles_columns)
        set -l name (string split -m 1 \t -- $col)[1]
        contains -- $name $given; and continue
        printf '%s%s\n' $prefix $col
    end
end

# -x: a column, maybe after '+' (ascending) or '-' (descending).
function __deadfiles_sort
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--sort=|-x)' '' $tok)
    set -l sign (string match -r -- '^[+-]' $tok)
    for col in (__deadfiles_columns)
        printf '%s%s\n' "$sign" $col
    end
end

complete -c deadfiles -f

complete -c deadfiles -l by -x -d 'What a row is' -a '
    file\t"one row per deleted file (default)"
    process\t"one row per process"
    mount\t"one row per file system"'
complete -c deadfiles -s p -l pid -x -d 'Only files held by these pids' -a '(__fish_complete_pids)'
complete -c deadfiles -s u -l user -x -d 'Only files held by these users' -a '(__fish_complete_users)'
complete -c deadfiles -l command -x -d 'Only files held by these commands (comm, or a longer exe or argv0 name)' -a '(__fish_complete_proc)'
complete -c deadfiles -s m -l mount -x -d 'Only files on the file system holding PATH' -a '(__fish_complete_directories)'
complete -c deadfiles -l min-size -x -d 'Only files allocating at least SIZE (100M, 1.5G)'
complete -c deadfiles -l timeout -x -d 'Deadline for a stat on NFS/FUSE (default 3s)'

complete -c deadfiles -s o -l output -x -d 'Columns to print; +LIST adds to the defaults' -a '(__deadfiles_output)'
complete -c deadfiles -l output-all -d 'Print every column'
complete -c deadfiles -s H -l list-columns -d 'List the columns and exit'
complete -c deadfiles -s r -l raw -d 'Tab-separated values, sizes in bytes'
complete -c deadfiles -l tsv -d 'Tab-separated values, sizes in bytes'
complete -c deadfiles -s J -l json -d 'JSON, sizes in bytes'
complete -c deadfiles -s n -l noheadings -d 'Do not print a header line'
complete -c deadfiles -s b -l bytes -d 'Sizes in bytes in the table too'
complete -c deadfiles -s x -l sort -x -d 'Sort by a column (+ ascending, - descending)' -a '(__deadfiles_sort)'
# "-x -SIZE": fish takes a word that starts with '-' for an option; offer the
# columns there too.
complete -c deadfiles -n '__fish_prev_arg_in -x --sort' -f -a '(__deadfiles_sort)'
complete -c deadfiles -s q -l quiet -d 'No warnings on stderr'
complete -c deadfiles -s w -l warning -x -d 'Exit 1 and print only what is over RANGE (10G, 1G:2G)'
complete -c deadfiles -s c -l critical -x -d 'The same, critical for --check'
complete -c deadfiles -l check -d 'One monitoring-plugin status line, exit 0 to 3'
complete -c deadfiles -l prom-file -r -F -d 'Write Prometheus metrics to FILE'
complete -c deadfiles -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c deadfiles -l state-root -x -d "Read the container runtimes' state under DIR" -a '(__fish_complete_directories)'
complete -c deadfiles -s h -l help -d 'Display help'
complete -c deadfiles -s V -l version -d 'Display version'
