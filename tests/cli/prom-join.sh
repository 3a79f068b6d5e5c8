#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The labels of our per-file-system metrics are node_exporter's, so that a
# PromQL join works (procdiag(7), CRON AND FLEETS): device is the source
# field of /proc/1/mounts as it stands, mountpoint the mount point field
# with \040 and \011 decoded, fstype the type (node_exporter 1.x,
# collector/filesystem_linux.go). Checked two ways, on deadfiles and dfdu
# --prom-file in a private mount namespace with tmpfs mounts whose names
# hold a blank, a TAB, a backslash and a '#' (one holds a deleted file):
#  1. against node_exporter's rule, computed here from the mount tables;
#  2. against a real node_exporter (Debian's prometheus-node-exporter),
#     run on 127.0.0.1 with its filesystem collector only, when installed
#     (CI installs it).
# Root only (exit 77 otherwise). Usage: prom-join.sh BINDIR
set -u
bindir=$1
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: needs root and mount namespaces"
	exit 77
fi
ne=$(command -v prometheus-node-exporter || command -v node_exporter || true)
if [ -z "$ne" ] && [ -n "${CI:-}" ]; then
	echo "FAIL: node_exporter is missing in CI (apt-get install prometheus-node-exporter)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 tmp bindir ne

# shellcheck disable=SC2016
unshare -m --propagation private sh -c '
set -u
tab=$(printf "\t")
A="$tmp/m/a b" B="$tmp/m/c\\d#e" C="$tmp/m/t${tab}ab"
mkdir -p "$A" "$B" "$C"
mount -t tmpfs "src one" "$A"
mount -t tmpfs "sr\\c#2" "$B"
mount -t tmpfs "tab${tab}src" "$C"
head -c 65536 /dev/zero >"$A/held"
# opened before the fork, not by the child, which may come after the rm
exec 3<"$A/held"
sleep 300 &
holder=$!
exec 3<&-
rm "$A/held"
"$bindir/deadfiles" -q --prom-file "$tmp/deadfiles.prom" -p $holder
d=$?
"$bindir/dfdu" -q --no-walk --prom-file "$tmp/dfdu.prom" / "$A" "$B" "$C"
u=$?
cp /proc/self/mounts "$tmp/self.mounts"
cp /proc/1/mounts "$tmp/init.mounts"
# node_exporter reads <procfs>/1/mounts: give it this namespace s table
if [ -n "$ne" ]; then
	mkdir -p "$tmp/fakeproc/1"
	cp /proc/self/mounts "$tmp/fakeproc/1/mounts"
	port=$(python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])")
	"$ne" --web.listen-address=127.0.0.1:$port --path.procfs="$tmp/fakeproc" \
		--collector.disable-defaults --collector.filesystem \
		>"$tmp/ne.log" 2>&1 &
	nepid=$!
	python3 - "$port" "$tmp/ne.metrics" <<EOF
import sys, time, urllib.request
for i in range(100):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=2) as r:
            open(sys.argv[2], "wb").write(r.read())
            break
    except OSError:
        time.sleep(0.1)
EOF
	kill $nepid
	wait $nepid 2>/dev/null
fi
kill $holder
exit $((d + u))
' || { echo "FAIL: the tools failed"; exit 1; }

python3 - "$tmp" <<'EOF'
import os, sys

tmp = sys.argv[1]
fails = []

def parse_value(s, i):
    """A label value of the text format from s[i] (after the quote)."""
    out = []
    while s[i] != '"':
        if s[i] == '\\':
            i += 1
            out.append({'n': '\n', '\\': '\\', '"': '"'}.get(s[i], '\\' + s[i]))
        else:
            out.append(s[i])
        i += 1
    return ''.join(out), i + 1

def samples(path, family):
    """The label sets of FAMILY's samples in the exposition at PATH."""
    res = []
    for line in open(path, encoding='utf-8'):
        if not line.startswith(family + '{'):
            continue
        i, labels = len(family) + 1, {}
        while line[i] != '}':
            eq = line.index('=', i)
            name = line[i:eq]
            value, i = parse_value(line, eq + 2)
            labels[name] = value
            if line[i] == ',':
                i += 1
        res.append(labels)
    return res

def node_exporter_rule(path):
    """parseFilesystemLabels() of node_exporter 1.x over a mounts file."""
    res = set()
    for line in open(path, encoding='utf-8', errors='surrogateescape'):
        parts = line.split()
        mp = parts[1].replace('\\040', ' ').replace('\\011', '\t')
        res.add((parts[0], mp, parts[2]))
    return res

init = node_exporter_rule(os.path.join(tmp, 'init.mounts'))
mine = node_exporter_rule(os.path.join(tmp, 'self.mounts'))
m = os.path.join(tmp, 'm')
want = {
    ('src\\040one', m + '/a b', 'tmpfs'),
    ('sr\\134c\\0432', m + '/c\\134d#e', 'tmpfs'),
    ('tab\\011src', m + '/t\tab', 'tmpfs'),
}
if not want <= mine:
    fails.append('the rule, by hand, disagrees with this kernel: %r' % (want - mine))

def check(tool, family, need):
    got = [(s.get('device'), s.get('mountpoint'), s.get('fstype'))
           for s in samples(os.path.join(tmp, tool + '.prom'), family)]
    if not got:
        fails.append('%s: no %s samples' % (tool, family))
    for t in got:
        # pid 1's mount when it has the file system, else the tool's own
        if t not in init and t not in mine:
            fails.append('%s: labels %r are no mount node_exporter lists' % (tool, t))
    for t in need:
        if t not in got:
            fails.append('%s: no sample labelled %r' % (tool, t))
    return got

check('deadfiles', 'deadfiles_deleted_bytes', {('src\\040one', m + '/a b', 'tmpfs')})
check('dfdu', 'dfdu_size_bytes', want)

ne = os.path.join(tmp, 'ne.metrics')
if os.environ.get('ne'):
    if not os.path.exists(ne):
        fails.append('node_exporter did not answer: ' + open(os.path.join(tmp, 'ne.log')).read())
    else:
        # device_error has a sample for every mount it lists, even one
        # it cannot statfs (its mount point keeps \134: the backslash one)
        theirs = {(s['device'], s['mountpoint'], s['fstype'])
                  for s in samples(ne, 'node_filesystem_device_error')}
        for tool, family in (('deadfiles', 'deadfiles_deleted_bytes'),
                             ('dfdu', 'dfdu_size_bytes')):
            for s in samples(os.path.join(tmp, tool + '.prom'), family):
                t = (s['device'], s['mountpoint'], s['fstype'])
                if t[1].startswith(m) and t not in theirs:
                    fails.append('%s: %r is not node_exporter\'s %r' %
                                 (tool, t, sorted(x for x in theirs if x[1].startswith(m))))
        if not want <= theirs:
            fails.append('node_exporter labels the test mounts otherwise: %r' % sorted(theirs))
        print('node_exporter: %d file systems compared' % len(theirs))
else:
    print('node_exporter not installed: its rule only')

for f in fails:
    print('FAIL:', f)
print('%d failed' % len(fails))
sys.exit(1 if fails else 0)
EOF
