#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh SHELL TEST BIN COMPLETION: run the completion test script TEST under
# SHELL, with a throw-away HOME, no user configuration, and the directory of
# the built binary BIN first in PATH. COMPLETION is the completion file under
# test. Exits 77 (skipped) when SHELL is not installed.
set -u
shell=$1 test=$2 bin=$3 comp=$4

if ! command -v "$shell" >/dev/null 2>&1; then
	echo "$shell is not installed: skipped"
	exit 77
fi
if [ ! -x "$bin" ]; then
	echo "no executable $bin" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pd-completion.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/config" "$tmp/data" "$tmp/cache" "$tmp/run"
chmod 700 "$tmp/run"

bindir=$(cd "$(dirname "$bin")" && pwd) || exit 1
PATH=$bindir:$PATH
HOME=$tmp
XDG_CONFIG_HOME=$tmp/config
XDG_DATA_HOME=$tmp/data
XDG_CACHE_HOME=$tmp/cache
XDG_RUNTIME_DIR=$tmp/run
# No completion file installed on this machine may stand in for ours.
XDG_DATA_DIRS=$tmp/data
export PATH HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME \
	XDG_RUNTIME_DIR XDG_DATA_DIRS
unset BASH_ENV ENV ZDOTDIR BASH_COMPLETION_USER_DIR
# In the ASan build LeakSanitizer's stop-the-world tracer at exit can
# deadlock when zsh runs the binary in a command substitution (the process
# spins, traced, while the tracer waits). Leaks are checked by every other
# test that runs the binary; here only completion behaviour matters.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
# The column names and messages are checked as the C locale prints them.
LC_ALL=C.UTF-8
export LC_ALL

case $shell in
bash) set -- bash --norc --noprofile ;;
zsh) set -- zsh -f ;;
fish) set -- fish --no-config ;;
*) set -- "$shell" ;;
esac
"$@" "$test" "$bin" "$comp" "$tmp"
