#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every command of procdiag(7)'s RUNNING UNATTENDED, run as documented.

The commands are read from the page itself (the .EX blocks after a
'.\\" unattended: KIND' comment), so the page and this test cannot drift:

  cron          the crontab: MAILTO, and each line's command run live, its
                exit status 0, 1 or 2 and its output of that status's shape
  mail          the example mail: exactly what procdiag-report prints for
                the command the page names, on the fixture tree 'basic'
  nagios        each service's check_command with its $ARGn$ put into the
                command's command_line (sudo -n dropped): exit 0-3, one
                Monitoring Plugins line whose status word is the exit's,
                performance data of the plugin format
  systemd-service, cron-metrics
                each ExecStart= / command writes its --prom-file (into a
                temporary textfile directory): exit 0, mode 0644, promtool
                check metrics passes, <tool>_last_success_timestamp_seconds
  systemd-timer a timer unit systemd-analyze verifies (when present)
  rules         promtool check rules passes; every metric the rules name
                is one the tools or node_exporter write
Then a real node_exporter reads the textfile directory: no scrape error,
no series twice, and (once the tools' labels are node_exporter's) the
per-file-system series join its filesystem metrics on the rules' labels.

Root only (77 otherwise): the documented setups run as root.
Usage: unattended.py BINDIR FIXTURES MANPAGE
"""
import os
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

TOOLS = ('deadfiles', 'dfdu', 'memfind', 'memwhere', 'pssum', 'oomrank',
         'procdiag-report')
TEXTFILE_DIR = '/var/lib/prometheus/node-exporter/'

bindir, fixtures, manpage = sys.argv[1:4]
fails = []


def fail(msg):
    fails.append(msg)
    print('FAIL: ' + msg)


def deroff(line):
    """A line of an .EX block as the reader sees it."""
    line = line.replace('\\-', '-').replace("\\(aq", "'")
    line = line.replace('\\&', '').replace('\\e', '\\')
    return line


def blocks(path):
    """{kind: [lines]} of the section RUNNING UNATTENDED."""
    text = open(path, encoding='utf-8').read().split('\n')
    start = text.index('.SH RUNNING UNATTENDED')
    end = next(i for i in range(start + 1, len(text))
               if text[i].startswith('.SH '))
    out, kind, inside = {}, None, False
    for line in text[start:end]:
        m = re.match(r'^\.\\" unattended: (\S+)$', line)
        if m:
            kind = m.group(1)
            continue
        if line == '.EX' and kind:
            inside, out[kind] = True, []
            continue
        if line == '.EE':
            inside, kind = False, None
            continue
        if inside:
            out[kind].append(deroff(line))
    return out


def argv_of(cmdline, tfdir):
    """The documented command with our binaries and textfile directory."""
    words = shlex.split(cmdline.replace(TEXTFILE_DIR, tfdir + '/'))
    if words[:2] == ['/usr/bin/sudo', '-n']:
        words = words[2:]
    tool = os.path.basename(words[0])
    if tool not in TOOLS:
        fail('%r: %s is not a procdiag tool' % (cmdline, words[0]))
        return None, None
    return [os.path.join(bindir, tool)] + words[1:], tool


def run(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=900,
                       env=dict(os.environ, LC_ALL='C.UTF-8'))
    return p.returncode, p.stdout.decode('utf-8', 'replace'), \
        p.stderr.decode('utf-8', 'replace')


CRON_TIME = re.compile(r'^([0-9*/,-]+ ){5}')


def check_cron(lines, tfdir):
    if 'MAILTO=root' not in lines:
        fail('cron: no MAILTO=root line')
    jobs = [l for l in lines if CRON_TIME.match(l)]
    if len(jobs) != len([l for l in lines if l and not l.startswith('MAILTO=')]):
        fail('cron: a line that is neither MAILTO nor a job: %r' % lines)
    for job in jobs:
        fields = job.split(None, 6)
        if fields[5] != 'root':
            fail('cron: %r does not run as root (an /etc/cron.d line names '
                 'the user)' % job)
        argv, tool = argv_of(fields[6], tfdir)
        if not argv:
            continue
        rc, out, err = run(argv)
        what = 'cron: %s: exit %d' % (fields[6], rc)
        if rc == 0 and out:
            fail(what + ' with output (a mail): %r' % out[:300])
        elif rc == 1 and not out:
            fail(what + ' without output')
        elif rc == 2 and not (err or out):
            fail(what + ' and nothing said')
        elif rc not in (0, 1, 2):
            fail(what + ' (not 0, 1 or 2)')
        if tool == 'procdiag-report' and out:
            for sec in out.rstrip('\n').split('\n\n'):
                head = sec.split('\n')[0]
                if not re.match(r'^== .+ \((%s)\)$' % '|'.join(TOOLS), head):
                    fail(what + ': a section without its title: %r' % sec)
                elif rc == 1 and 'could not' not in sec and \
                        not sec.split('\n')[-1].startswith('full list: ') and \
                        '; full list: ' not in sec.split('\n')[-1]:
                    fail(what + ': a section over its threshold does not '
                         'end with its full list: %r' % sec)
        print('ok cron: %s (exit %d)' % (fields[6], rc))


def check_mail(lines):
    page = [l.rstrip() for l in lines]
    prose = open(manpage, encoding='utf-8').read()
    m = re.search(r'The mail of\n\.B (procdiag\\-report [^\n]+)\n', prose)
    if not m:
        fail('mail: the page does not say which command made it')
        return
    argv = shlex.split(deroff(m.group(1)))
    rc, out, err = run([os.path.join(bindir, argv[0])] + argv[1:] +
                       ['--proc-root', os.path.join(fixtures, 'basic/proc')])
    got = [l.rstrip() for l in out.rstrip('\n').split('\n')]
    root = ' --proc-root ' + os.path.join(fixtures, 'basic/proc')
    got = [l.replace(root, '') for l in got]
    if rc != 1 or got != page:
        fail('mail: the page shows another mail than %s prints (exit %d):\n'
             '%s\n--- printed:\n%s' % (' '.join(argv), rc, '\n'.join(page),
                                       '\n'.join(got)))
    else:
        print('ok mail: %s' % ' '.join(argv))


STATUS = {0: 'OK', 1: 'WARNING', 2: 'CRITICAL', 3: 'UNKNOWN'}
PERF = re.compile(r"^'[^'=]+'=-?[0-9.]+([a-zA-Z%]*)(;[^; ]*){0,4}$")


def check_nagios(lines, tfdir):
    text = '\n'.join(lines)
    commands, services = {}, []
    for kind, body in re.findall(r'define (\w+) \{\n(.*?)\n\}', text, re.S):
        kv = dict(re.split(r'\s+', l.strip(), 1) for l in body.split('\n'))
        if kind == 'command':
            commands[kv['command_name']] = kv['command_line']
        elif kind == 'service':
            services.append(kv)
    used = set()
    for svc in services:
        name, *args = svc['check_command'].split('!')
        if name not in commands:
            fail('nagios: %s uses no defined command %s' %
                 (svc['service_description'], name))
            continue
        used.add(name)
        cmd = commands[name]
        for i, a in enumerate(args, 1):
            cmd = cmd.replace('$ARG%d$' % i, a)
        if '$ARG' in cmd:
            fail('nagios: %s: an $ARGn$ is not given: %s' % (name, cmd))
            continue
        argv, tool = argv_of(cmd, tfdir)
        if not argv:
            continue
        rc, out, err = run(argv)
        lines_out = out.split('\n')
        what = 'nagios: %s (%s): exit %d' % (name, cmd, rc)
        if rc not in STATUS:
            fail(what + ' (not 0-3)')
            continue
        if len(lines_out) != 2 or lines_out[1] != '':
            fail(what + ': not one line: %r' % out)
            continue
        line = lines_out[0]
        m = re.match(r'^([A-Z]+) (OK|WARNING|CRITICAL|UNKNOWN) - (.+)$', line)
        if not m or m.group(1) != tool.upper() or m.group(2) != STATUS[rc]:
            fail(what + ': not "%s %s - ...": %r' % (tool.upper(),
                                                     STATUS[rc], line))
            continue
        if rc == 3 and re.search(r'invalid|unrecognized|unknown option|'
                                 r'requires an argument', m.group(3)):
            fail(what + ': the documented command is a usage error: %r'
                 % line)
            continue
        if ' | ' not in line:
            if rc != 3:
                fail(what + ': no performance data: %r' % line)
        else:
            for item in line.split(' | ', 1)[1].split(' '):
                if not PERF.match(item):
                    fail(what + ': performance data %r is not '
                         "'label'=value[unit];warn;crit;min;max" % item)
        print('ok nagios: %s -> %s' % (svc['service_description'], line[:70]))
    for name in set(commands) - used:
        fail('nagios: command %s is used by no service' % name)


def check_prom(cmds, tfdir, kind):
    written = []
    for cmd in cmds:
        argv, tool = argv_of(cmd, tfdir)
        if not argv:
            continue
        path = argv[argv.index('--prom-file') + 1]
        rc, out, err = run(argv)
        what = '%s: %s: exit %d' % (kind, cmd, rc)
        if rc != 0:
            fail(what + ': %s' % err.strip())
            continue
        if not os.path.isfile(path):
            fail(what + ': no %s' % path)
            continue
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode != 0o644:
            fail(what + ': mode %o, not 644' % mode)
        body = open(path, encoding='utf-8').read()
        if not re.search(r'^%s_last_success_timestamp_seconds [0-9]' %
                         tool.replace('-', '_'), body, re.M):
            fail(what + ': no %s_last_success_timestamp_seconds' % tool)
        p = subprocess.run(['promtool', 'check', 'metrics'], input=body.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            fail(what + ': promtool check metrics: %s' % p.stdout.decode())
        written.append(path)
        print('ok %s: %s' % (kind, cmd))
    return written


def check_units(service, timer):
    execs = [l.split('=', 1)[1] for l in service if l.startswith('ExecStart=')]
    if not any(l == 'Type=oneshot' for l in service):
        fail('systemd: the service is not Type=oneshot')
    if 'OnCalendar=*:0/5' not in timer or '[Timer]' not in timer:
        fail('systemd: the timer has no [Timer] OnCalendar=*:0/5')
    sa = shutil.which('systemd-analyze')
    if sa:
        d = tempfile.mkdtemp()
        try:
            svc = '\n'.join(l.replace('/usr/bin/', bindir + '/')
                            for l in service) + '\n'
            open(os.path.join(d, 'procdiag-metrics.service'), 'w').write(svc)
            open(os.path.join(d, 'procdiag-metrics.timer'), 'w').write(
                '\n'.join(timer) + '\n')
            p = subprocess.run([sa, 'verify', '--man=no',
                                os.path.join(d, 'procdiag-metrics.service'),
                                os.path.join(d, 'procdiag-metrics.timer')],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               cwd=d)
            msg = p.stdout.decode()
            # offline, systemd may grumble about its own environment; what
            # counts is what it says of our two files
            ours = [l for l in msg.split('\n') if 'procdiag-metrics' in l]
            if ours:
                fail('systemd-analyze verify: %s' % '\n'.join(ours))
            else:
                print('ok systemd-analyze verify')
        finally:
            shutil.rmtree(d)
    return [e.lstrip('-') for e in execs]


def node_exporter_scrape(tfdir):
    ne = shutil.which('prometheus-node-exporter') or shutil.which('node_exporter')
    if not ne:
        if os.environ.get('CI'):
            fail('node_exporter is missing in CI')
        print('note: node_exporter not installed: the scrape is not checked')
        return None
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    log = open(os.path.join(tfdir, '..', 'ne.log'), 'w+')
    p = subprocess.Popen([ne, '--web.listen-address=127.0.0.1:%d' % port,
                          '--collector.disable-defaults',
                          '--collector.textfile',
                          '--collector.textfile.directory=' + tfdir,
                          '--collector.filesystem'],
                         stdout=log, stderr=log)
    text = None
    try:
        for _ in range(100):
            try:
                text = urllib.request.urlopen(
                    'http://127.0.0.1:%d/metrics' % port, timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.1)
    finally:
        p.terminate()
        p.wait()
    log.seek(0)
    said = log.read()
    if text is None:
        fail('node_exporter did not answer: ' + said)
        return None
    if not re.search(r'^node_textfile_scrape_error 0$', text, re.M):
        fail('node_exporter: textfile scrape error')
    if 'collected before' in said or 'level=error' in said:
        fail('node_exporter refused part of the textfiles: ' + said)
    print('ok node_exporter read the textfile directory')
    return text


LABELS = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def series(text, name):
    out = []
    for line in text.split('\n'):
        m = re.match(r'^%s\{(.*)\} ' % name, line)
        if m:
            out.append(dict(LABELS.findall(m.group(1))))
    return out


def check_rules(lines, families, scrape):
    d = tempfile.mkdtemp()
    try:
        path = os.path.join(d, 'procdiag.rules.yml')
        open(path, 'w').write('\n'.join(lines) + '\n')
        p = subprocess.run(['promtool', 'check', 'rules', path],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            fail('rules: promtool check rules: ' + p.stdout.decode())
        else:
            print('ok rules: promtool check rules')
    finally:
        shutil.rmtree(d)
    exprs = '\n'.join(lines)
    names = set(re.findall(r'\b((?:%s|node)_[a-z_]+)\b' %
                           '|'.join(t for t in TOOLS if '-' not in t), exprs))
    for n in sorted(names):
        if n.startswith('node_'):
            if scrape is not None and '# TYPE %s ' % n not in scrape:
                fail('rules: node_exporter writes no %s' % n)
        elif n not in families:
            fail('rules: no tool writes %s' % n)
    # the join: each of our per-file-system series finds its file system
    if scrape is None:
        return
    fs = {(s.get('device'), s.get('mountpoint'), s.get('fstype'))
          for s in series(scrape, 'node_filesystem_size_bytes')}
    if not fs:
        print('note: node_exporter lists no file system here (its '
              'filesystem collector could not read /proc/1/mounts?): the '
              'join is not checked')
        return
    ours = series(scrape, 'dfdu_deleted_bytes')
    if not ours:
        fail('rules: no dfdu_deleted_bytes series to join')
        return
    if any(re.match(r'^\d+:\d+$', s.get('device', '')) for s in ours):
        print('note: the device label is still major:minor, not '
              'node_exporter\'s; the join is not checked')
        return
    joined = [s for s in ours
              if (s['device'], s['mountpoint'], s['fstype']) in fs]
    if not joined:
        fail('rules: no dfdu_deleted_bytes series joins node_filesystem_'
             'size_bytes on device, mountpoint, fstype')
    else:
        print('ok rules: %d of %d file systems join node_exporter\'s' %
              (len(joined), len(ours)))


def main():
    if os.geteuid() != 0:
        print('SKIP: the documented setups run as root')
        return 77
    if not shutil.which('promtool'):
        if os.environ.get('CI'):
            print('FAIL: promtool is missing in CI')
            return 1
        print('SKIP: promtool not installed (Debian package prometheus)')
        return 77
    b = blocks(manpage)
    want = ('cron', 'mail', 'nagios', 'systemd-service', 'systemd-timer',
            'cron-metrics', 'rules')
    for k in want:
        if k not in b:
            fail('procdiag(7) has no "unattended: %s" block' % k)
    if fails:
        return 1
    tmp = tempfile.mkdtemp()
    tfdir = os.path.join(tmp, 'textfile')
    os.mkdir(tfdir)
    try:
        check_cron(b['cron'], tfdir)
        check_mail(b['mail'])
        check_nagios(b['nagios'], tfdir)
        execs = check_units(b['systemd-service'], b['systemd-timer'])
        written = check_prom(execs, tfdir, 'systemd')
        cron_metrics = [l.split(None, 6)[6] for l in b['cron-metrics']
                        if CRON_TIME.match(l)]
        if not cron_metrics:
            fail('cron-metrics: no crontab line')
        check_prom(cron_metrics, tfdir, 'cron-metrics')
        families = set()
        for path in written:
            families |= set(re.findall(r'^# TYPE (\S+) ',
                                       open(path).read(), re.M))
        scrape = node_exporter_scrape(tfdir)
        check_rules(b['rules'], families, scrape)
    finally:
        shutil.rmtree(tmp)
    if fails:
        print('%d failed' % len(fails))
        return 1
    print('all passed')
    return 0


sys.exit(main())
