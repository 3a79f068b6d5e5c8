# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for dfdu(1), from procdiag.

# Is the evidence view on the command line (-v, --verbose, --explain)?
function __dfdu_evidence
    for tok in (commandline -opc)[2..-1]
        switch $tok
            case --verbose --explain '--explain=*'
                return 0
        end
        string match -qr -- '^-[bnqrJHv]*v[bnqrJHv]*$' $tok; and return 0
    end
    return 1
end

# The columns of that view as NAME<TAB>HELP, read from "dfdu [-v] -H -r -n"
# (lines NAME TAB TYPE TAB HELP).
function __dfdu_columns
    set -l cmd (commandline -opc)[1]
    set -q cmd[1]; or set cmd dfdu
    set -l args
    __dfdu_evidence; and set args -v
    command $cmd $args -H -r -n 2>/dev/null | while read -l -d \t name type help
        string match -qr '^[A-Z0-9_]+$' -- $name; or continue
        printf '%s\t%s\n' $name $help
    end
end

# -o: complete the last item of a comma-separated list, keeping what comes
# before it (and a leading '+'); columns already listed are not offered.
function __dfdu_output
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--output=|-o)' '' $tok)
    set -l prefix (string match -r -- '^\+?(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string upper -- (string trim -c '+,' -- $prefix)))
    for col in (__dfdu_columns)
        set -l name (string split -m 1 \t -- $col)[1]
        contains -- $name $given; and continue
        printf '%s%s\n' $prefix $col
    end
end

# -x: a column, maybe after '+' (ascending) or '-' (descending).
function __dfdu_sort
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--sort=|-x)' '' $tok)
    set -l sign (string match -r -- '^[+-]' $tok)
    for col in (__dfdu_columns)
        printf '%s%s\n' "$sign" $col
    end
end

# --judge: the last item of a comma-separated list of figures.
function __dfdu_judge
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^--judge=' '' $tok)
    set -l prefix (string match -r -- '^(?:[^,]*,)*' $tok)
    set -l given (string split , -- (string trim -c ',' -- $prefix))
    for w in deleted hidden unexplained gap inodes
        contains -- $w $given; and continue
        printf '%s%s\n' $prefix $w
    end
end

complete -c dfdu -l explain -r -d 'The evidence for the file system holding PATH'
complete -c dfdu -s v -l verbose -d 'The evidence for every file system'
complete -c dfdu -l min-gap -x -d 'Only file systems whose gap is at least SIZE (100M, 1.5G)'
complete -c dfdu -l no-walk -d 'df side, deleted and hidden files only (cheap)'
complete -c dfdu -s i -l inodes -d 'The inode columns (df -i) and what holds the inodes'
complete -c dfdu -l judge -x -d 'What -w/-c judge' -a '(__dfdu_judge)'
complete -c dfdu -l remote -d 'Network and FUSE file systems too (df side only)'
complete -c dfdu -s j -l jobs -x -d 'Walker threads (1 to 256)'
complete -c dfdu -l timeout -x -d 'Deadline for a stat, open or syncfs that may hang (default 3s)'
complete -c dfdu -l one-file-system -d 'Accepted: always implied'

complete -c dfdu -s o -l output -x -d 'Columns to print; +LIST adds to the defaults' -a '(__dfdu_output)'
complete -c dfdu -l output-all -d 'Print every column'
complete -c dfdu -s H -l list-columns -d 'List the columns and exit'
complete -c dfdu -s r -l raw -d 'Tab-separated values, sizes in bytes'
complete -c dfdu -l tsv -d 'Tab-separated values, sizes in bytes'
complete -c dfdu -s J -l json -d 'JSON, sizes in bytes'
complete -c dfdu -s n -l noheadings -d 'Do not print a header line'
complete -c dfdu -s b -l bytes -d 'Sizes in bytes in the table too'
complete -c dfdu -s x -l sort -x -d 'Sort by a column (+ ascending, - descending)' -a '(__dfdu_sort)'
# "-x -GAP": fish takes a word that starts with '-' for an option; offer the
# columns there too.
complete -c dfdu -n '__fish_prev_arg_in -x --sort' -f -a '(__dfdu_sort)'
complete -c dfdu -s q -l quiet -d 'No warnings on stderr'
complete -c dfdu -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c dfdu -s w -l warning -x -d 'Exit 1 and print only file systems with a judged figure over RANGE (10G, 5%)'
complete -c dfdu -s c -l critical -x -d 'The same, critical for --check'
complete -c dfdu -l check -d 'One monitoring-plugin status line, exit 0 to 3'
complete -c dfdu -l prom-file -r -F -d 'Write Prometheus metrics to FILE'
complete -c dfdu -s h -l help -d 'Display help'
complete -c dfdu -s V -l version -d 'Display version'
