#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Container names need the runtimes' files, root's only: as another user
# each tool that names containers says so once (silent with -q) and names
# them by id. A copy of the fixture state root with Docker's config of
# "web" made unreadable; run as nobody. Root only (to become nobody; 77
# otherwise). Usage: names-denied.sh BINDIR FIXTURES
set -u
bindir=$1 fixtures=$2
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	echo "SKIP: needs root and setpriv to run as nobody"
	exit 77
fi
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
cp -a "$fixtures/cgname" "$tmp/state"
chmod 000 "$tmp/state/var/lib/docker/containers/f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb/config.v2.json"
want='warning: 1 container runtime file could not be read (permission denied): some containers are named by their id alone; run as root for their names'
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

check() {
	tool=$1 wantout=$2
	shift 2
	LC_ALL=C.UTF-8 nobody "$bindir/$tool" --state-root "$tmp/state" -r -n "$@" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || { echo "FAIL $tool: exit $rc: $(cat "$tmp/err")"; fail=1; }
	[ "$(cat "$tmp/out")" = "$wantout" ] ||
		{ echo "FAIL $tool: stdout '$(cat "$tmp/out")', wanted '$wantout'"; fail=1; }
	[ "$(grep -c "container runtime file" "$tmp/err")" = 1 ] &&
		grep -qxF "$tool: $want" "$tmp/err" ||
		{ echo "FAIL $tool: stderr:"; cat "$tmp/err"; fail=1; }
	LC_ALL=C.UTF-8 nobody "$bindir/$tool" --state-root "$tmp/state" -r -n -q "$@" \
		>/dev/null 2>"$tmp/err"
	[ -s "$tmp/err" ] && { echo "FAIL $tool -q: $(cat "$tmp/err")"; fail=1; }
	[ $fail -eq 0 ] && echo "ok $tool"
}

# pid 410 and 411 of ctr/pss are in docker "web"
check pssum 'docker:f31f384749f9' --proc-root "$fixtures/ctr/pss/proc" \
	-g container -p 410,411 -o CONTAINER
# pid 330 of ctr/oom is in docker "web"
check oomrank '330	docker:f31f384749f9' --proc-root "$fixtures/ctr/oom/proc" \
	-p 330 -o PID,CONTAINER
# pid 100 of ctr/basic is in docker "web"
check deadfiles '100	docker:f31f384749f9' --proc-root "$fixtures/ctr/basic/proc" \
	--by process -p 100 -o PID,CONTAINER
# memwhere names the box's cgroups (ctr/mw): docker "web" among them
check memwhere "$(printf '/system.slice/docker-f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb.scope\tdocker:f31f384749f9')" \
	--proc-root "$fixtures/ctr/mw/proc" --sys-root "$fixtures/ctr/mw/sys" \
	--cgroup=/system.slice/docker-f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb.scope \
	-o CGROUP,CONTAINER
exit $fail
