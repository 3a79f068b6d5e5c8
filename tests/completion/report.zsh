# SPDX-License-Identifier: GPL-2.0-or-later
# The zsh completion of procdiag-report: compinit maps it by its #compdef
# line, and the file parses and, sourced, defines its functions silently.
# Run through run.sh: zsh -f report.zsh BIN COMPLETION TMP
emulate -R zsh
comp=$2 tmp=$3
integer fails=0
fail() { print -r -- "FAIL: $*"; (( fails++ )) }
fpath=(${comp:h} $fpath)
autoload -Uz compinit
compinit -u -d $tmp/zcompdump 2>$tmp/compinit.err
[[ -s $tmp/compinit.err ]] && fail "compinit: $(<$tmp/compinit.err)"
[[ $_comps[procdiag-report] == _procdiag-report ]] ||
	fail "compinit: procdiag-report -> '$_comps[procdiag-report]'"
autoload -Uz +X _procdiag-report 2>$tmp/load.err && [[ ! -s $tmp/load.err ]] ||
	fail "autoload +X: $(<$tmp/load.err)"
source $comp >$tmp/source.out 2>&1
[[ -s $tmp/source.out ]] && fail "sourcing printed: $(<$tmp/source.out)"
for f in _procdiag_report _procdiag_report_thresholds; do
	(( $+functions[$f] )) || fail "does not define $f"
done
(( fails )) && { print "$fails failed"; exit 1 }
print "all passed"
