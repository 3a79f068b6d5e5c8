/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scenario: names built to attack a terminal, planted where the tools read
 * them (mount points, file names, comm, memfd names, cgroup names), then
 * every tool in every format (table, -r, -J, --check, --explain, -v,
 * --prom-file, warnings): stdout, stderr and the metrics file hold no raw
 * control character (C0 but the line's newline and TSV's TAB, DEL, C1,
 * bidi controls) and are valid UTF-8, JSON parses, and each name shows up
 * in its exact escape, so the test knows the tool saw it. Also a mapping
 * named with a newline beside one named with a literal backslash-012.
 * Root only; a private mount namespace and temporary directories of its
 * own, so parallel runs never collide.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define RUN_LIMIT_S 120.0
#define READY_TIMEOUT_MS 10000
#define KIB 1024u
#define MIB (1024u * 1024u)

/*
 * The hostile names. Each sets the terminal title (OSC 0), and holds a C1
 * CSI (U+009B), a bidi control (RLO U+202E or LRI U+2066), TAB, CR, LF
 * and a byte that is not UTF-8. comm has 15 bytes at most; a cgroup
 * cannot hold LF (cgroup_mkdir() refuses it).
 */
static const char h_mount[] = "m\033]0;MNT\007\033[2J\xc2\x9b\xe2\x80\xae\t\r\n\xff";
static const char h_sub[] = "s\033]0;SUB\007\xe2\x81\xa6\n";
static const char h_bind[] = "b\033]0;BIND\007\xc2\x9b\t";
static const char h_file[] = "f\033]0;F\007\xc2\x9b" "1m\xe2\x81\xa6\t\r\n\xff";
static const char h_map[] = "map\n\033[1mnl\xe2\x80\xae";
static const char h_comm[] = "\033]0;C\007\xc2\x9b\xe2\x80\xae\n\xff";
/* the same in a kernel log, where a newline would end the line */
static const char h_logcomm[] = "\033]0;L\007\xc2\x9b\xe2\x80\xae\xff";
static const char h_memfd[] = "mfd\033]0;M\007\xc2\x9b\xe2\x81\xa6\t\r\n\xff";
static const char h_cgroup[] = "cg\033]0;G\007\xc2\x9b\xe2\x80\xae\t\r\xff";

struct fixture {
	struct owned owned;
	char dir[64];		/* mkdtemp */
	char cgroup[PATH_MAX];	/* the directory made; rmdir'ed, or "" */
	pid_t kids[8];
	size_t nkids;
	char *mounts[8];	/* unmounted at teardown, last first */
	size_t nmounts;
	pid_t daemon, stopped;	/* bindfs, and when it is stopped */
	bool no_leak_check;	/* runs the tools with detect_leaks=0 */
};

/* Set once by the group setup: we run in a mount namespace of our own. */
static bool own_ns;

static void *own(struct fixture *fx, void *p)
{
	return owned_add(&fx->owned, p);
}

static char *fx_printf(struct fixture *fx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *fx_printf(struct fixture *fx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = owned_vprintf(&fx->owned, fmt, ap);
	va_end(ap);
	return s;
}

/* ---- the oracle: the spelling procdiag(7) promises ------------------- */

/* Length of the valid UTF-8 sequence at S (LEFT bytes), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
	size_t n, k;
	uint32_t cp, min;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1fu, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0fu, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (left < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* The code point of the valid sequence at S of N bytes. */
static uint32_t utf8_cp(const unsigned char *s, size_t n)
{
	static const unsigned char lead[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	uint32_t cp = s[0] & lead[n];
	size_t k;

	for (k = 1; k < n; k++)
		cp = cp << 6 | (s[k] & 0x3fu);
	return cp;
}

/* A character a terminal acts on: C0, DEL, C1, a bidi control. */
static bool cp_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* S as TSV (and the table, in a UTF-8 locale, for these names) spell it. */
static char *tsv(struct fixture *fx, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n, k;
	char *out = own(fx, malloc(len * 4 + 1)), *o = out;

	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n == 1 && strchr("\\\t\n\r", p[i]) && p[i]) {
			*o++ = '\\';
			*o++ = p[i] == '\\' ? '\\' : p[i] == '\t' ? 't' :
			       p[i] == '\n' ? 'n' : 'r';
		} else if (n && !cp_is_control(utf8_cp(p + i, n))) {
			memcpy(o, p + i, n);
			o += n;
		} else {
			for (k = 0; k < (n ? n : 1); k++)
				o += sprintf(o, "\\x%02x", p[i + k]);
		}
		i += n ? n : 1;
	}
	*o = '\0';
	return out;
}

/* A byte string made printable for a failure message. */
static char *visible(struct fixture *fx, const char *s, size_t len)
{
	char *out = own(fx, malloc(len * 4 + 1)), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			*o++ = (char)c;
		else
			o += sprintf(o, "<%02x>", c);
	}
	*o = '\0';
	return out;
}

/*
 * WHAT (LEN bytes) is valid UTF-8 with no control character but LF, and
 * TAB where TAB_OK (TSV's separator).
 */
static void assert_clean(struct fixture *fx, const char *what,
			 const char *text, size_t len, bool tab_ok)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n, from;

	while (i < len) {
		n = utf8_len(p + i, len - i);
		if (n && (!cp_is_control(utf8_cp(p + i, n)) || p[i] == '\n' ||
			  (tab_ok && p[i] == '\t'))) {
			i += n;
			continue;
		}
		from = i > 60 ? i - 60 : 0;
		fail_msg("%s: raw %s at byte %zu: ...%s", what,
			 n ? "control character" : "invalid UTF-8", i,
			 visible(fx, text + from,
				 (len - from < 120 ? len - from : 120)));
	}
}

/* ---- running the tools ------------------------------------------------ */

enum fmt { F_TEXT, F_TSV, F_JSON };

struct run {
	int rc;
	char *out, *err;
	size_t outlen, errlen;
};

static void json_parses(struct fixture *fx, const char *what,
			const struct run *r)
{
	char *js = fx_printf(fx, "%s/out.json", fx->dir);
	static const char *const py[] = {
		"/usr/bin/env", "python3", "-c",
		"import json, sys; json.load(sys.stdin)", NULL
	};
	struct harness_run h;
	FILE *f = fopen(js, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(r->out, 1, r->outlen, f), r->outlen);
	assert_int_equal(fclose(f), 0);
	harness_run(&fx->owned, py, js, false, 30.0, &h);
	if (!WIFEXITED(h.status) || WEXITSTATUS(h.status) != 0)
		fail_msg("%s: not JSON (%s):\n%s", what, h.err,
			 visible(fx, r->out, r->outlen));
	unlink(js);
}

/*
 * Run TOOL with the NULL-terminated ARGS, want exit WANT (-1: any),
 * check both streams in format FMT; fills RET.
 */
static void run_v(struct fixture *fx, int want, enum fmt fmt,
		  struct run *ret, const char *tool, va_list ap)
{
	const char *argv[48];
	struct harness_run h;
	const char *a, *what;
	size_t n = 0;

	argv[n++] = fx_printf(fx, "%s/%s", PD_BINDIR, tool);
	while ((a = va_arg(ap, const char *))) {
		assert_true(n < sizeof(argv) / sizeof(argv[0]) - 1);
		argv[n++] = a;
	}
	argv[n] = NULL;
	what = tool;
	for (n = 1; argv[n]; n++)
		what = fx_printf(fx, "%s %s", what, tsv(fx, argv[n]));
	harness_run(&fx->owned, argv, NULL, fx->no_leak_check, RUN_LIMIT_S,
		    &h);
	if (h.overran)
		fail_msg("%s overran %.0f s", what, RUN_LIMIT_S);
	if (!WIFEXITED(h.status))
		fail_msg("%s: status 0x%x", what, h.status);
	ret->rc = WEXITSTATUS(h.status);
	ret->out = h.out;
	ret->outlen = h.outlen;
	ret->err = h.err;
	ret->errlen = h.errlen;
	print_message("%s: exit %d, %zu+%zu bytes\n", what, ret->rc,
		      h.outlen, h.errlen);
	if (want >= 0 && ret->rc != want)
		fail_msg("%s: exit %d, not %d; stderr:\n%s", what, ret->rc,
			 want, visible(fx, h.err, h.errlen));
	assert_clean(fx, fx_printf(fx, "%s: stdout", what), h.out, h.outlen,
		     fmt == F_TSV);
	assert_clean(fx, fx_printf(fx, "%s: stderr", what), h.err, h.errlen,
		     false);
	if (fmt == F_JSON)
		json_parses(fx, what, ret);
}

static void run(struct fixture *fx, int want, enum fmt fmt, struct run *ret,
		const char *tool, ...)
{
	va_list ap;

	va_start(ap, tool);
	run_v(fx, want, fmt, ret, tool, ap);
	va_end(ap);
}

/* The table, -r and -J of the same arguments; the TSV run is returned. */
static void run_formats(struct fixture *fx, struct run *ret_tsv,
			const char *tool, ...)
{
	const char *args[32];
	struct run r;
	va_list ap;
	size_t n = 0;

	va_start(ap, tool);
	while ((args[n] = va_arg(ap, const char *)))
		assert_true(++n < sizeof(args) / sizeof(args[0]) - 4);
	va_end(ap);
#define ARGS8(...) args[0], args[1], args[2], args[3], args[4], args[5], \
		args[6], args[7], __VA_ARGS__
	assert_true(n <= 8);
	for (; n < 8; n++)
		args[n] = NULL;
	/* a NULL among the first eight ends the list early, as intended */
	run(fx, 0, F_TEXT, &r, tool, ARGS8(NULL, NULL));
	run(fx, 0, F_JSON, &r, tool, "-J", ARGS8(NULL));
	run(fx, 0, F_TSV, ret_tsv, tool, "-r", ARGS8(NULL));
#undef ARGS8
}

/* TEXT (LEN bytes) holds NEEDLE. */
static void assert_has(struct fixture *fx, const char *what, const char *text,
		       const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("%s lacks \"%s\":\n%s", what, visible(fx, needle,
			 strlen(needle)), visible(fx, text, strlen(text)));
}

/* The metrics file: clean, with NEEDLE (already in the file's spelling). */
static void assert_prom(struct fixture *fx, const char *path,
			const char *needle)
{
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	/* a TAB may stand in a file system label: node_exporter's
	 * mountpoint keeps it (procdiag(7), CRON AND FLEETS) */
	assert_clean(fx, path, buf, (size_t)n, true);
	if (needle)
		assert_has(fx, path, buf, needle);
	unlink(path);
}

/* A label value as the file holds it: the TSV spelling, '\' and '"'
 * escaped once more. */
static char *label(struct fixture *fx, const char *s)
{
	const char *t = tsv(fx, s);
	char *out = own(fx, malloc(strlen(t) * 2 + 1)), *o = out;

	for (; *t; t++) {
		if (*t == '\\' || *t == '"')
			*o++ = '\\';
		*o++ = *t;
	}
	*o = '\0';
	return out;
}

/*
 * A file system label (mountpoint) as the file holds it: node_exporter's
 * spelling (the kernel's \012 and \134 for LF and '\', a TAB as it is),
 * what is still unsafe as its TSV text, '\' and '"' escaped once more.
 */
static char *fs_label(struct fixture *fx, const char *s)
{
	char *ne = own(fx, malloc(strlen(s) * 4 + 1)), *o = ne, *out;
	const char *t, *p;

	for (; *s; s++) {
		if (*s == '\n')
			o += sprintf(o, "\\012");
		else if (*s == '\\')
			o += sprintf(o, "\\134");
		else
			*o++ = *s;
	}
	*o = '\0';
	t = tsv(fx, ne);
	out = own(fx, malloc(strlen(t) * 2 + 1));
	for (o = out, p = t; *p; p++) {
		if (p[0] == '\\' && p[1] == 't') {
			*o++ = '\t';
			p++;
			continue;
		}
		if (p[0] == '\\' && p[1] == '\\')
			p++;
		if (*p == '\\' || *p == '"')
			*o++ = '\\';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* ---- the planted objects ---------------------------------------------- */

static bool write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s);
}

static void track_mount(struct fixture *fx, char *dir)
{
	assert_true(fx->nmounts < sizeof(fx->mounts) / sizeof(fx->mounts[0]));
	fx->mounts[fx->nmounts++] = dir;
}

static void track_kid(struct fixture *fx, pid_t pid)
{
	assert_true(fx->nkids < sizeof(fx->kids) / sizeof(fx->kids[0]));
	fx->kids[fx->nkids++] = pid;
}

/* A file of SIZE bytes at PATH, written (so it allocates). */
static void write_file(const char *path, size_t size)
{
	static char block[4096];
	size_t off;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		fail_msg("create %s: %s", path, strerror(errno));
	memset(block, 'x', sizeof(block));
	for (off = 0; off < size; off += sizeof(block))
		assert_int_equal(write(fd, block, sizeof(block)),
				 (ssize_t)sizeof(block));
	assert_int_equal(close(fd), 0);
}

struct kid_spec {
	const char *comm;	/* prctl(PR_SET_NAME) */
	const char *hold_fd;	/* a file to keep open, or NULL */
	const char *const *maps;/* files to map and close, NULL-ended */
	const char *memfd;	/* a memfd to make and keep, or NULL */
	size_t anon;		/* anonymous bytes to touch */
};

/* In the child: do what SPEC says, tell the parent on READY, wait. */
static noreturn void kid_main(const struct kid_spec *k, int ready,
			      pid_t parent)
{
	size_t i, p;
	char *a;
	int fd;

	die_with_parent(parent);
	if (prctl(PR_SET_NAME, k->comm) < 0)
		_exit(10);
	if (k->hold_fd && open(k->hold_fd, O_RDONLY) < 0)
		_exit(11);
	for (i = 0; k->maps && k->maps[i]; i++) {
		volatile const char *m;
		struct stat st;

		fd = open(k->maps[i], O_RDONLY);
		if (fd < 0 || fstat(fd, &st) < 0)
			_exit(12);
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (m == MAP_FAILED)
			_exit(13);
		for (p = 0; p < (size_t)st.st_size; p += 4096)
			(void)m[p];
		close(fd);
	}
	if (k->memfd) {
		static char block[4096];

		fd = memfd_create(k->memfd, 0);
		if (fd < 0)
			_exit(14);
		memset(block, 'm', sizeof(block));
		for (p = 0; p < 128 * KIB; p += sizeof(block))
			if (write(fd, block, sizeof(block)) < 0)
				_exit(15);
		/* mapped too: smaps names it (with \012 for its LF) */
		if (mmap(NULL, 128 * KIB, PROT_READ, MAP_SHARED, fd, 0) ==
		    MAP_FAILED)
			_exit(18);
	}
	a = k->anon ? malloc(k->anon) : NULL;
	if (k->anon && !a)
		_exit(16);
	for (p = 0; p < k->anon; p += 4096)
		a[p] = 1;
	if (write(ready, "r", 1) != 1)
		_exit(17);
	for (;;)
		pause();
}

static pid_t spawn_kid(struct fixture *fx, const struct kid_spec *k)
{
	pid_t parent = getpid(), pid;
	int p[2], status;
	char c;
	ssize_t n;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		kid_main(k, p[1], parent);
	}
	close(p[1]);
	track_kid(fx, pid);
	n = read(p[0], &c, 1);
	close(p[0]);
	if (n != 1) {
		reap(pid, 1000, &status);
		fail_msg("child %d failed (status 0x%x)", (int)pid, status);
	}
	return pid;
}

/* The memory cgroup path of the first /proc/self/cgroup line with the
 * memory controller (v1), or "" */
static void own_v1_memcg(char *buf, size_t size)
{
	char data[4096], *line, *save = NULL;
	ssize_t n;
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, data, sizeof(data) - 1);
	close(fd);
	if (n <= 0)
		return;
	data[n] = '\0';
	for (line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (c2 && (size_t)(c2 - c1 - 1) == 6 && !memcmp(c1 + 1, "memory", 6)) {
			snprintf(buf, size, "%s", strcmp(c2 + 1, "/") ? c2 + 1 : "");
			return;
		}
	}
}

/*
 * A memory cgroup named h_cgroup with a 1 GiB limit (so oomrank --cgroup
 * ranks it): v2 at the root of /sys/fs/cgroup, else v1 under our own.
 * Returns its path as /proc/PID/cgroup shows it, or NULL when there is no
 * memory controller (the cgroup parts are then left out).
 */
static char *make_cgroup(struct fixture *fx, char **ret_procs)
{
	char own_cg[PATH_MAX], *path, *dir;
	const char *limit_file;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 &&
	    write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory")) {
		path = fx_printf(fx, "/%s.%d", h_cgroup, (int)getpid());
		dir = fx_printf(fx, "/sys/fs/cgroup%s", path);
		limit_file = "memory.max";
	} else if (access("/sys/fs/cgroup/memory/memory.limit_in_bytes",
			  F_OK) == 0) {
		own_v1_memcg(own_cg, sizeof(own_cg));
		path = fx_printf(fx, "%s/%s.%d", own_cg, h_cgroup,
				 (int)getpid());
		dir = fx_printf(fx, "/sys/fs/cgroup/memory%s", path);
		limit_file = "memory.limit_in_bytes";
	} else {
		print_message("no memory cgroup controller: cgroup names "
			      "left out\n");
		return NULL;
	}
	assert_true(strlen(dir) < sizeof(fx->cgroup));
	if (mkdir(dir, 0755) < 0)
		fail_msg("mkdir %s: %s", visible(fx, dir, strlen(dir)),
			 strerror(errno));
	strcpy(fx->cgroup, dir);
	assert_true(write_str(fx_printf(fx, "%s/%s", dir, limit_file),
			      "1073741824"));
	*ret_procs = fx_printf(fx, "%s/cgroup.procs", dir);
	return path;
}

static bool set_adj(pid_t pid, int adj)
{
	char p[64], v[16];

	snprintf(p, sizeof(p), "/proc/%d/oom_score_adj", (int)pid);
	snprintf(v, sizeof(v), "%d", adj);
	return write_str(p, v);
}

/* ---- setup -------------------------------------------------------------- */

/* Once: a mount namespace of our own and a UTF-8 locale. */
static int group_setup(void **state)
{
	(void)state;
	/* What a UTF-8 terminal gets: the permissive case for the table. */
	setenv("LC_ALL", "C.UTF-8", 1);
	if (geteuid() != 0)
		return 0;
	/* our mounts vanish with us and no one else sees them */
	own_ns = unshare(CLONE_NEWNS) == 0 &&
		 mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
	if (!own_ns)
		print_message("no private mount namespace (%s): the tests "
			      "that mount skip\n", strerror(errno));
	return 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pd-escape.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	double end;
	size_t i;

	if (fx->stopped > 0)
		kill(fx->stopped, SIGCONT);
	for (i = fx->nkids; i-- > 0;)
		kill(fx->kids[i], SIGKILL);
	for (i = 0; i < fx->nkids; i++)
		if (!reap(fx->kids[i], 5000, NULL))
			fprintf(stderr, "teardown: pid %d did not die\n",
				(int)fx->kids[i]);
	for (i = fx->nmounts; i-- > 0;)
		if (umount2(fx->mounts[i], MNT_DETACH) < 0)
			fprintf(stderr, "teardown: umount: %s\n",
				strerror(errno));
	if (fx->daemon > 0 && !reap(fx->daemon, 5000, NULL)) {
		kill(fx->daemon, SIGKILL);
		reap(fx->daemon, 5000, NULL);
	}
	if (fx->cgroup[0]) {
		end = now_s() + 10.0;
		while (rmdir(fx->cgroup) < 0 && errno != ENOENT) {
			if (now_s() > end) {
				fprintf(stderr, "teardown: rmdir cgroup: %s\n",
					strerror(errno));
				break;
			}
			sleep_ms(20);
		}
	}
	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	owned_free(&fx->owned);
	free(fx);
	return 0;
}

#define SKIP_UNLESS_ROOT_NS()						\
	do {								\
		if (geteuid() != 0) {					\
			print_message("needs root: skipped\n");		\
			skip();						\
		}							\
		if (!own_ns)						\
			skip();						\
	} while (0)

/* ---- 1. every tool, every format ------------------------------------- */

static void test_hostile_names_never_reach_a_terminal_raw(void **state)
{
	struct fixture *fx = *state;
	char *mnt, *t2, *sub, *bind, *file, *mapf, *cg_path = NULL;
	char *procs = NULL;
	char *pid_s, *pids_s, *prom, *log, *pseudo, *mapped[2] = { NULL, NULL };
	struct kid_spec ka = { 0 }, kb = { 0 };
	struct run r;
	pid_t a, b;

	SKIP_UNLESS_ROOT_NS();
	/* a tmpfs on a hostile mount point; a second one of which only a
	 * hostile subdirectory stays mounted, on another hostile mount
	 * point (a subtree mount for dfdu) */
	mnt = fx_printf(fx, "%s/%s", fx->dir, h_mount);
	assert_int_equal(mkdir(mnt, 0755), 0);
	if (mount("none", mnt, "tmpfs", 0, "size=64m") < 0)
		fail_msg("mount tmpfs: %s", strerror(errno));
	track_mount(fx, mnt);
	t2 = fx_printf(fx, "%s/t2", fx->dir);
	assert_int_equal(mkdir(t2, 0755), 0);
	if (mount("none", t2, "tmpfs", 0, "size=16m") < 0)
		fail_msg("mount tmpfs: %s", strerror(errno));
	sub = fx_printf(fx, "%s/%s", t2, h_sub);
	assert_int_equal(mkdir(sub, 0755), 0);
	bind = fx_printf(fx, "%s/%s", fx->dir, h_bind);
	assert_int_equal(mkdir(bind, 0755), 0);
	if (mount(sub, bind, NULL, MS_BIND, NULL) < 0)
		fail_msg("bind mount: %s", strerror(errno));
	track_mount(fx, bind);
	assert_int_equal(umount2(t2, MNT_DETACH), 0);

	file = fx_printf(fx, "%s/%s", mnt, h_file);
	write_file(file, 64 * KIB);
	mapf = fx_printf(fx, "%s/%s", mnt, h_map);
	write_file(mapf, 64 * KIB);
	mapped[0] = mapf;
	cg_path = make_cgroup(fx, &procs);

	/* A: every hostile name, ranked first by the OOM killer (adj
	 * 1000); B: plain, ranked just after it (999), to be explained. */
	ka.comm = h_comm;
	ka.hold_fd = file;
	ka.maps = (const char *const *)mapped;
	ka.memfd = h_memfd;
	ka.anon = 8 * MIB;
	a = spawn_kid(fx, &ka);
	kb.comm = "pd-escape-b";
	b = spawn_kid(fx, &kb);
	assert_true(set_adj(a, 1000));
	assert_true(set_adj(b, 999));
	if (cg_path)
		assert_true(write_str(procs, fx_printf(fx, "%d", (int)a)));
	assert_int_equal(unlink(file), 0);
	assert_int_equal(unlink(mapf), 0);
	pid_s = fx_printf(fx, "%d", (int)a);
	pids_s = fx_printf(fx, "%d,%d", (int)a, (int)b);
	prom = fx_printf(fx, "%s/m.prom", fx->dir);

	/* deadfiles: the fd-held file and the mapped one, by file, process
	 * and mount; the mount point in --check and the metrics */
	run_formats(fx, &r, "deadfiles", "-p", pid_s, "-o",
		    "PIDS,COMMANDS,FD,SIZE,MOUNT,PATH", NULL);
	assert_has(fx, "deadfiles -r", r.out, tsv(fx, file));
	assert_has(fx, "deadfiles -r", r.out, tsv(fx, mapf));
	assert_has(fx, "deadfiles -r", r.out, tsv(fx, mnt));
	assert_has(fx, "deadfiles -r", r.out, tsv(fx, h_comm));
	run_formats(fx, &r, "deadfiles", "--by", "process", "-p", pid_s, NULL);
	run_formats(fx, &r, "deadfiles", "--by", "mount", "-p", pid_s, NULL);
	assert_has(fx, "deadfiles --by mount -r", r.out, tsv(fx, mnt));
	run_formats(fx, &r, "deadfiles", "-m", mnt, NULL);
	run(fx, 1, F_TEXT, &r, "deadfiles", "-p", pid_s, "-w", "1", NULL);
	run(fx, 1, F_TEXT, &r, "deadfiles", "--check", "-p", pid_s, "-w",
	    "1", NULL);
	run(fx, 0, F_TEXT, &r, "deadfiles", "-p", pid_s, "--prom-file", prom,
	    NULL);
	assert_prom(fx, prom, fx_printf(fx, "mountpoint=\"%s\"",
					fs_label(fx, mnt)));

	/* memfind: the memfd by object and by process */
	run_formats(fx, &r, "memfind", "-p", pid_s, "-o",
		    "KIND,PIDS,COMMANDS,ALLOC,PATH", NULL);
	assert_has(fx, "memfind -r", r.out, tsv(fx, h_memfd));
	assert_has(fx, "memfind -r", r.out, tsv(fx, h_comm));
	run_formats(fx, &r, "memfind", "--by", "process", "-p", pid_s, NULL);
	run(fx, 1, F_TEXT, &r, "memfind", "--check", "-p", pid_s, "-w", "1",
	    NULL);
	run(fx, 0, F_TEXT, &r, "memfind", "-p", pid_s, "--prom-file", prom,
	    NULL);
	assert_prom(fx, prom, NULL);

	/* pssum: comm and cgroup as keys, the mapped file by mapping */
	run_formats(fx, &r, "pssum", "-p", pids_s, "-o",
		    "PID,COMMAND,CGROUP,PSS", NULL);
	assert_has(fx, "pssum -r", r.out, tsv(fx, h_comm));
	if (cg_path)
		assert_has(fx, "pssum -r", r.out, tsv(fx, cg_path));
	run_formats(fx, &r, "pssum", "-g", "command,cgroup", "-p", pids_s,
		    NULL);
	run_formats(fx, &r, "pssum", "-m", "-p", pid_s, NULL);
	assert_has(fx, "pssum -m -r", r.out,
		   tsv(fx, fx_printf(fx, "%s (deleted)", mapf)));
	assert_has(fx, "pssum -m -r", r.out,
		   tsv(fx, fx_printf(fx, "/memfd:%s (deleted)", h_memfd)));
	run(fx, 1, F_TEXT, &r, "pssum", "-g", "command", "--check", "-p",
	    pids_s, "-w", "1", NULL);
	assert_has(fx, "pssum --check", r.out, tsv(fx, h_comm));
	run(fx, 1, F_TEXT, &r, "pssum", "-g", "command", "-p", pids_s, "-w",
	    "1", NULL);
	run(fx, 0, F_TEXT, &r, "pssum", "-g", "command", "-p", pids_s,
	    "--prom-file", prom, NULL);
	assert_prom(fx, prom, fx_printf(fx, "command=\"%s\"",
					label(fx, h_comm)));

	/* oomrank: rows, the cgroup rankings, --explain of A and of B
	 * (which lists A, picked before it), --check, the metrics */
	run_formats(fx, &r, "oomrank", "-p", pids_s, "-o",
		    "PID,COMMAND,CGROUP,BADNESS", NULL);
	assert_has(fx, "oomrank -r", r.out, tsv(fx, h_comm));
	if (cg_path) {
		assert_has(fx, "oomrank -r", r.out, tsv(fx, cg_path));
		run_formats(fx, &r, "oomrank", "--cgroup", NULL);
		assert_has(fx, "oomrank --cgroup -r", r.out, tsv(fx, cg_path));
	}
	run(fx, 0, F_TEXT, &r, "oomrank", "--explain", pid_s, NULL);
	assert_has(fx, "oomrank --explain A", r.out,
		   fx_printf(fx, "(%s), user root", tsv(fx, h_comm)));
	assert_has(fx, "oomrank --explain A", r.out,
		   fx_printf(fx, " /memfd:%s (deleted): 128K allocated;",
			     tsv(fx, h_memfd)));
	if (cg_path)
		assert_has(fx, "oomrank --explain A", r.out,
			   fx_printf(fx, "Memory cgroup %s",
				     tsv(fx, cg_path)));
	run(fx, 0, F_TEXT, &r, "oomrank", "--explain",
	    fx_printf(fx, "%d", (int)b), NULL);
	assert_has(fx, "oomrank --explain B", r.out,
		   fx_printf(fx, "pid %-7d %-16s", (int)a, tsv(fx, h_comm)));
	run(fx, -1, F_TEXT, &r, "oomrank", "--check", "-w", "1", NULL);
	run(fx, 0, F_TEXT, &r, "oomrank", "--prom-file", prom, NULL);
	assert_prom(fx, prom, NULL);
	/* a kernel log (dmesg -T) whose victim has a hostile name */
	log = fx_printf(fx, "%s/kern.log", fx->dir);
	{
		static const char *const stamp = "[Sat Nov 22 04:15:09 2025] ";
		FILE *f = fopen(log, "w");

		assert_non_null(f);
		fprintf(f, "%s%s invoked oom-killer: gfp_mask=0x140dca("
			"GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, "
			"oom_score_adj=0\n", stamp, h_logcomm);
		fprintf(f, "%soom-kill:constraint=CONSTRAINT_NONE,nodemask="
			"(null),cpuset=/,mems_allowed=0,global_oom,task_memcg="
			"/%s,task=%s,pid=4100,uid=0\n", stamp, h_cgroup,
			h_logcomm);
		fprintf(f, "%sOut of memory: Killed process 4100 (%s) "
			"total-vm:2000000kB, anon-rss:1184000kB, "
			"file-rss:16000kB, shmem-rss:0kB, UID:0 "
			"pgtables:1200kB oom_score_adj:0\n", stamp, h_logcomm);
		assert_int_equal(fclose(f), 0);
	}
	run_formats(fx, &r, "oomrank", "--log", log, "-o",
		    "INVOKER,VICTIM_PID,VICTIM", NULL);
	assert_has(fx, "oomrank --log -r", r.out,
		   fx_printf(fx, "%s\t4100\t%s\n", tsv(fx, h_logcomm),
			     tsv(fx, h_logcomm)));

	/* dfdu: the tmpfs and the subtree mount, -v, --explain, the
	 * subtree warning naming both, --check, the metrics */
	run_formats(fx, &r, "dfdu", mnt, bind, NULL);
	assert_has(fx, "dfdu -r", r.out, tsv(fx, mnt));
	assert_has(fx, "dfdu -r", r.out, tsv(fx, bind));
	assert_has(fx, "dfdu stderr", r.err,
		   fx_printf(fx, "dfdu: warning: %s: only a subtree (/%s) of "
			     "the file system is mounted: the walk sees that "
			     "subtree\n", tsv(fx, bind), tsv(fx, h_sub)));
	run_formats(fx, &r, "dfdu", "-v", mnt, NULL);
	assert_has(fx, "dfdu -v -r", r.out, tsv(fx, mapf));
	run(fx, 0, F_TEXT, &r, "dfdu", "--explain", mnt, NULL);
	run(fx, 0, F_JSON, &r, "dfdu", "-J", "--explain", mnt, NULL);
	run(fx, -1, F_TEXT, &r, "dfdu", "--check", "-w", "1", mnt, NULL);
	run(fx, 0, F_TEXT, &r, "dfdu", "--prom-file", prom, mnt, NULL);
	assert_prom(fx, prom, fx_printf(fx, "mountpoint=\"%s\"",
					fs_label(fx, mnt)));
	/* a path on no file system dfdu measures: a proc on a hostile
	 * mount point */
	pseudo = fx_printf(fx, "%s/p%s", fx->dir, h_bind);
	assert_int_equal(mkdir(pseudo, 0755), 0);
	if (mount("proc", pseudo, "proc", 0, NULL) < 0)
		fail_msg("mount proc: %s", strerror(errno));
	track_mount(fx, pseudo);
	run(fx, 0, F_TEXT, &r, "dfdu", "--no-walk", pseudo, NULL);
	assert_has(fx, "dfdu stderr", r.err,
		   fx_printf(fx, "dfdu: warning: %s: not on a file system "
			     "dfdu measures", tsv(fx, pseudo)));

	/* procdiag-report runs them all */
	run(fx, -1, F_TEXT, &r, "procdiag-report", NULL);
}

/* ---- 2. a hostile mount point that does not answer -------------------- */

static char proc_state(pid_t pid)
{
	char p[64], buf[512], *rp;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : '?';
}

static void test_timeout_warnings_escape_the_mount_point(void **state)
{
	struct fixture *fx = *state;
	char *src, *mnt, *file, *pid_s, *want;
	struct stat st_dir, st_mnt;
	struct kid_spec k = { 0 };
	pid_t parent = getpid(), pid;
	struct run r;
	double end;

	SKIP_UNLESS_ROOT_NS();
	if (system("command -v bindfs >/dev/null") != 0) {
		print_message("bindfs is not installed: skipped\n");
		skip();
	}
	src = fx_printf(fx, "%s/fuse-src", fx->dir);
	mnt = fx_printf(fx, "%s/fuse-%s", fx->dir, h_mount);
	assert_int_equal(mkdir(src, 0700), 0);
	assert_int_equal(mkdir(mnt, 0700), 0);
	assert_int_equal(stat(fx->dir, &st_dir), 0);
	fflush(NULL);
	fx->daemon = fork();
	assert_true(fx->daemon >= 0);
	if (fx->daemon == 0) {
		die_with_parent(parent);
		execlp("bindfs", "bindfs", "-f", "-o",
		       "hard_remove,attr_timeout=0,entry_timeout=0", src, mnt,
		       (char *)NULL);
		_exit(127);
	}
	track_mount(fx, mnt);
	end = now_s() + READY_TIMEOUT_MS / 1000.0;
	while (stat(mnt, &st_mnt) < 0 || st_mnt.st_dev == st_dir.st_dev) {
		if (waitpid(fx->daemon, NULL, WNOHANG) == fx->daemon)
			fail_msg("bindfs exited");
		if (now_s() > end)
			fail_msg("bindfs never mounted");
		sleep_ms(10);
	}
	file = fx_printf(fx, "%s/held", mnt);
	write_file(file, 8 * KIB);
	k.comm = h_comm;
	k.hold_fd = file;
	pid = spawn_kid(fx, &k);
	assert_int_equal(unlink(file), 0);
	pid_s = fx_printf(fx, "%d", (int)pid);

	fx->stopped = fx->daemon;
	assert_int_equal(kill(fx->daemon, SIGSTOP), 0);
	end = now_s() + READY_TIMEOUT_MS / 1000.0;
	while (proc_state(fx->daemon) != 'T') {
		if (now_s() > end)
			fail_msg("bindfs did not stop");
		sleep_ms(5);
	}
	/* Under ASan, LeakSanitizer stops every thread at exit with ptrace:
	 * the worker left in the FUSE request cannot stop, so the check would
	 * wait for the daemon (as in test_deadfiles.c). */
	fx->no_leak_check = true;
	/* the stat of the held file cannot answer: deadfiles warns, naming
	 * the mount point */
	run(fx, 0, F_TEXT, &r, "deadfiles", "--timeout", "1s", "-p", pid_s,
	    NULL);
	want = fx_printf(fx, "deadfiles: warning: %s did not answer within "
			 "1000 ms", tsv(fx, mnt));
	if (strstr(r.err, "did not answer"))
		assert_has(fx, "deadfiles stderr", r.err, want);
	else
		print_message("the kernel answered from its cache: no "
			      "timeout to warn about\n");
	/* dfdu cannot even find the file system of a path on it */
	run(fx, 2, F_TEXT, &r, "dfdu", "--remote", "--no-walk", "--timeout",
	    "1s", mnt, NULL);
	assert_has(fx, "dfdu stderr", r.err,
		   fx_printf(fx, "dfdu: %s: its file system did not answer "
			     "within 1000 ms\n", tsv(fx, mnt)));
	/* every file system, this one among them: its df side times out */
	run(fx, -1, F_TEXT, &r, "dfdu", "--remote", "--no-walk", "--timeout",
	    "1s", NULL);
	assert_has(fx, "dfdu stderr", r.err,
		   fx_printf(fx, "dfdu: warning: %s did not answer within "
			     "1000 ms\n", tsv(fx, mnt)));
	assert_int_equal(kill(fx->daemon, SIGCONT), 0);
	fx->stopped = 0;
}

/* ---- 3. a newline in a mapping's name, and a literal \012 ------------- */

static void test_map_named_with_newline_prints_apart_from_literal_012(
	void **state)
{
	struct fixture *fx = *state;
	char *nl, *lit, *pid_s, *mapped[3];
	struct kid_spec k = { 0 };
	struct run r;
	pid_t pid;

	if (geteuid() != 0) {
		print_message("needs root: skipped\n");
		skip();
	}
	/* "a\nb" and "a\\012b": maps prints both as a\012b */
	nl = fx_printf(fx, "%s/a\nb", fx->dir);
	lit = fx_printf(fx, "%s/a\\012b", fx->dir);
	write_file(nl, 8 * KIB);
	write_file(lit, 16 * KIB);
	mapped[0] = nl;
	mapped[1] = lit;
	mapped[2] = NULL;
	k.comm = "pd-escape-map";
	k.maps = (const char *const *)mapped;
	pid = spawn_kid(fx, &k);
	assert_int_equal(unlink(nl), 0);
	assert_int_equal(unlink(lit), 0);
	pid_s = fx_printf(fx, "%d", (int)pid);

	/* map_files/ settles each: \n and \\012 (its link text needs
	 * only the access maps needs; the fallback, every \012 a newline,
	 * is in tests/unit/test_maps.c on the mapnames tree) */
	run(fx, 0, F_TSV, &r, "deadfiles", "-r", "-n", "-p", pid_s, "-o",
	    "SIZE,PATH", "-x", "SIZE", NULL);
	assert_string_equal(r.out,
		fx_printf(fx, "16384\t%s/a\\\\012b\n8192\t%s/a\\nb\n",
			  fx->dir, fx->dir));
	run(fx, 0, F_TSV, &r, "pssum", "-m", "-r", "-n", "-p", pid_s, "-o",
	    "RSS,MAPPING", NULL);
	assert_has(fx, "pssum -m", r.out,
		   fx_printf(fx, "16384\t%s/a\\\\012b (deleted)\n", fx->dir));
	assert_has(fx, "pssum -m", r.out,
		   fx_printf(fx, "8192\t%s/a\\nb (deleted)\n", fx->dir));

}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_hostile_names_never_reach_a_terminal_raw, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_timeout_warnings_escape_the_mount_point, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_map_named_with_newline_prints_apart_from_literal_012,
			setup, teardown),
	};

	if (geteuid() != 0)
		print_message("not root: every escape scenario is skipped\n");
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
