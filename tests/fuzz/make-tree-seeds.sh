#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The seeds of fuzz_tree: each fixture tree packed as the records the
# target reads, "PATH\0LEN\0CONTENT" for a file, "@PATH\0LEN\0TARGET" for
# a symlink, LEN in decimal (see fuzz_tree.c). Run it again when a tree
# changes:
#   sh tests/fuzz/make-tree-seeds.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/../fixtures
out=$here/corpus/tree
mkdir -p "$out"
for tree in basic nofd odddev oom memfind pss dfdu ctr/pss ctr/oom ctr/memfind ctr/basic; do
	(
		cd "$fixtures/$tree/proc"
		find . \( -type f -o -type l \) ! -name .gitkeep | sed 's|^\./||' |
			LC_ALL=C sort | while IFS= read -r p; do
			if [ -L "$p" ]; then
				t=$(readlink "$p")
				printf '@%s\0%s\0%s' "$p" "$(printf %s "$t" | wc -c)" "$t"
			else
				printf '%s\0%s\0' "$p" "$(wc -c <"$p")"
				cat "$p"
			fi
		done
	) >"$out/$(printf %s "$tree" | tr / -)"
done
