# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for procdiag-report(1), from procdiag.

# -w, -c: <tool>=<range>[,...]: offer "<tool>=" for the last item.
function __procdiag_report_thresholds
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--warning=|--critical=|-w|-c)' '' $tok)
    set -l prefix (string match -r -- '^(?:[^,]*,)*' $tok)
    string match -q -- '*=*' (string replace -r -- '^(?:[^,]*,)*' '' $tok); and return
    set -l cmd (commandline -opc)[1]
    # The tools as the binary names them in --help.
    for t in (string split ' ' -- (command $cmd --help 2>/dev/null | string replace -rf '^Tools for -w and -c: ' ''))
        printf '%s%s=\n' $prefix $t
    end
end

complete -c procdiag-report -f

complete -c procdiag-report -s N -l top -x -d 'Rows per section (default 5)'
complete -c procdiag-report -l walk -d 'Walk every file system too (the du side of the df/du gap)'
complete -c procdiag-report -s w -l warning -x -d 'Warning thresholds: TOOL=RANGE,...' -a '(__procdiag_report_thresholds)'
complete -c procdiag-report -s c -l critical -x -d 'Critical thresholds: TOOL=RANGE,...' -a '(__procdiag_report_thresholds)'
complete -c procdiag-report -s b -l bytes -d 'Sizes in bytes'
complete -c procdiag-report -s q -l quiet -d 'No warnings on stderr'
complete -c procdiag-report -l proc-root -x -d 'Read DIR instead of /proc' -a '(__fish_complete_directories)'
complete -c procdiag-report -l cgroup-root -x -d 'Cgroup file system (default /sys/fs/cgroup)' -a '(__fish_complete_directories)'
complete -c procdiag-report -l sys-root -x -d 'Sysfs of memwhere (default /sys)' -a '(__fish_complete_directories)'
complete -c procdiag-report -s h -l help -d 'Display help'
complete -c procdiag-report -s V -l version -d 'Display version'
