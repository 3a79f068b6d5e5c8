# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for procdiag-report(1), from procdiag.

# -w, -c: <tool>=<range>[,...]: offer "<tool>=" for the last item.
function __procdiag_report_thresholds
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--warning=|--critical=|-w|-c)' '' $tok)
    set -l prefix (string match -r -- '^(?:[^,]*,)*' $tok)
    string match -q -- '*=*' (string replace -r -- '^(?:[^,]*,)*' '' $tok); and return
    for t in deadfiles dfdu memfind pssum oomrank
        printf '%s%s=\n' $prefix $t
    end
end

complete -c procdiag-report -f

complete -c procdiag-report -s N -l top -x -d 'Rows per section (default 5)'
complete -c procdiag-report -l walk -d 'Let dfdu walk every file system (the du side)'
complete -c procdiag-report -s w -l warning -x -d 'Warning thresholds: TOOL=RANGE,...' -a '(__procdiag_report_thresholds)'
complete -c procdiag-report -s c -l critical -x -d 'Critical thresholds: TOOL=RANGE,...' -a '(__procdiag_report_thresholds)'
complete -c procdiag-report -s b -l bytes -d 'Sizes in bytes'
complete -c procdiag-report -s q -l quiet -d 'No warnings on stderr'
complete -c procdiag-report -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c procdiag-report -s h -l help -d 'Display help'
complete -c procdiag-report -s V -l version -d 'Display version'
