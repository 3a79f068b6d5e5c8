#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# promtool check metrics on the real output of each tool: a --prom-file
# run on this machine's /proc (and with --cgroup for oomrank), plus the
# fixture trees. Usage: promtool.sh BINDIR FIXTURES TOOL...
# Exits 77 (skipped) when promtool is missing, unless $CI is set: CI
# installs it (tests/install-deps, Debian's prometheus package).
set -u
bindir=$1 fixtures=$2
shift 2
if ! command -v promtool >/dev/null; then
	if [ -n "${CI:-}" ]; then
		echo "FAIL: promtool is missing in CI (apt-get install prometheus)"
		exit 1
	fi
	echo "SKIP: promtool not installed (Debian package prometheus)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

check() {
	name=$1
	shift
	rm -f "$tmp/m.prom"
	"$@" --prom-file "$tmp/m.prom" -q >/dev/null 2>"$tmp/err"
	rc=$?
	n=$((n + 1))
	if [ $rc -ne 0 ] || [ ! -s "$tmp/m.prom" ]; then
		echo "FAIL $name: exit $rc, no metrics"; cat "$tmp/err"; fail=1; return
	fi
	if ! promtool check metrics <"$tmp/m.prom" >"$tmp/lint" 2>&1; then
		echo "FAIL $name: promtool:"; cat "$tmp/lint"; fail=1; return
	fi
	grep -q "^[a-z]*_last_success_timestamp_seconds [0-9]*$" "$tmp/m.prom" ||
		{ echo "FAIL $name: no last_success gauge"; fail=1; return; }
	echo "ok $name ($(grep -vc '^#' "$tmp/m.prom") samples)"
}

for tool in "$@"; do
	bin=$bindir/$tool
	[ -x "$bin" ] || bin=$(dirname "$bindir")/$tool
	check "$tool live" "$bin"
	case $tool in
	deadfiles) check "$tool basic" "$bin" --proc-root "$fixtures/basic/proc" ;;
	memfind)
		check "$tool memfind" "$bin" --proc-root "$fixtures/memfind/proc"
		check "$tool live -s" "$bin" -s ;;
	dfdu)
		check "$tool dfdu" "$bin" --proc-root "$fixtures/dfdu/proc"
		check "$tool live --no-walk" "$bin" --no-walk ;;
	pssum)
		check "$tool pss" "$bin" --proc-root "$fixtures/pss/proc"
		check "$tool live -g user" "$bin" -g user ;;
	oomrank)
		check "$tool oom" "$bin" --proc-root "$fixtures/oom/proc"
		check "$tool oom --cgroup" "$bin" --proc-root "$fixtures/oom/proc" \
			--cgroup-root "$fixtures/oom/cgroup" --cgroup
		# A chroot or container may have no memory cgroup hierarchy.
		if "$bin" --cgroup -q >/dev/null 2>&1; then
			check "$tool live --cgroup" "$bin" --cgroup
		else
			echo "skip $tool live --cgroup: no memory cgroup hierarchy"
		fi ;;
	esac
done
echo "$n checked"
exit $fail
