#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# options.sh BIN SRCDIR: every option that "BIN --help" prints, long and
# short, is in the tool's manual page and in its bash, zsh and fish
# completions.
set -u
bin=$1 src=$2
tool=$(basename "$bin")
man=$src/docs/$tool.1
bash=$src/completions/bash/$tool
zsh=$src/completions/zsh/_$tool
fish=$src/completions/fish/$tool.fish
fails=0

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

for f in "$man" "$bash" "$zsh" "$fish"; do
	[ -r "$f" ] || fail "missing $f"
done
help=$("$bin" --help) || fail "$bin --help failed"
longs=$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
shorts=$(printf '%s\n' "$help" | grep -oE -- '^ +-[A-Za-z],' | tr -d ' ,-' | sort -u)
[ -n "$longs" ] || fail "$bin --help lists no long options"
[ -n "$shorts" ] || fail "$bin --help lists no short options"

for o in $longs; do
	name=${o#--}
	# "\-\-min-size" (or "\-\-min\-size"): each dash may be escaped.
	man_o=$(printf '%s' "$name" | sed 's/-/(\\\\-|-)/g')
	grep -qE -- "(\\\\-|-)(\\\\-|-)$man_o([^a-z-]|$)" "$man" 2>/dev/null ||
		fail "$o missing from $man"
	grep -qE -- "(^|[^a-z-])--$name([^a-z-]|$)" "$bash" 2>/dev/null || fail "$o missing from $bash"
	grep -qE -- "(^|[^a-z-])--$name([^a-z-]|$)" "$zsh" 2>/dev/null || fail "$o missing from $zsh"
	grep -qE -- "-l $name( |$)" "$fish" 2>/dev/null || fail "$o missing from $fish"
done
for s in $shorts; do
	grep -q -- "\\\\-$s\\b" "$man" 2>/dev/null || fail "-$s missing from $man"
	grep -qE -- "(^|[^a-zA-Z-])-$s([^a-zA-Z-]|$)" "$bash" 2>/dev/null || fail "-$s missing from $bash"
	grep -qE -- "(^|[^a-zA-Z-])-$s([^a-zA-Z-]|$)" "$zsh" 2>/dev/null || fail "-$s missing from $zsh"
	grep -qE -- "-s $s( |$)" "$fish" 2>/dev/null || fail "-$s missing from $fish"
done

if [ "$fails" -gt 0 ]; then
	echo "$fails failed"
	exit 1
fi
echo "ok: $(echo $longs | wc -w) long and $(echo $shorts | wc -w) short options documented and completed"
