/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlog: OOM kill reports read back from kernel log text (dmesg, journal,
 * syslog, /dev/kmsg), one incident each, with the victim checked against
 * the dumped task table. */
#include "oomlog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "array.h"
#include "logline.h"
#include "oom.h"

/* Columns of the task table we know, by the names of its header line. */
enum tcol {
	TC_UID, TC_TGID, TC_TOTAL_VM, TC_RSS, TC_RSS_ANON, TC_RSS_FILE,
	TC_RSS_SHMEM, TC_NR_PTES, TC_NR_PMDS, TC_PGTABLES_BYTES, TC_SWAPENTS,
	TC_ADJ, TC_OTHER,
};

#define TCOLS_MAX 16
/* TASK_COMM_LEN - 1: the longest comm "invoked oom-killer" can follow */
#define COMM_MAX 15
/* The longest text of an unread line kept for the message. */
#define UNREAD_TEXT 80

struct pd_oomlog {
	struct pd_oomlog_incident *v;
	size_t n, cap;
	size_t lineno;
	char *buf;		/* the line being read, NUL-terminated */
	size_t bufcap;
	/* pd_oomlog_feed_text(): the line so far when it spans chunks */
	char *line;		/* line_max bytes, allocated when needed */
	size_t linelen;
	bool pending;		/* bytes (NULs too) since the last '\n' */
	bool cut;		/* past line_max: the rest is dropped */
	size_t ncut;
	uint64_t nulrun;	/* NUL bytes in a row so far */
	size_t line_max;
	uint64_t nul_max;
	struct pd_logline_reader *rd;	/* made at the first line */
	int64_t now_us, boot_us;	/* pd_oomlog_set_clock() */
	size_t nunread, unread_line;	/* lines we could not read */
	char unread_text[UNREAD_TEXT];
	/* swap: the machine's (pd_oomlog_set_swap()), and what the log
	 * shows turned on since its boot line */
	bool has_swap_fact, boot_seen, swap_seen;
	uint64_t swap_fact, swap_added;
	/* state of the current incident (v[n - 1]) */
	enum tcol tcols[TCOLS_MAX];	/* task table columns after [pid] */
	size_t ntcols;		/* 0: no table header seen */
	bool group_kill;	/* memory.oom.group: more kills follow */
	bool has_kill_us;	/* uptime of the last kill line, if known */
	uint64_t kill_us;
	char *okline;		/* the oom-kill: line so far (pr_cont) */
	bool last_ok;		/* the previous line was part of it */
};

int pd_oomlog_new(struct pd_oomlog **ret_log)
{
	struct pd_oomlog *log = calloc(1, sizeof(*log));

	if (!log)
		return -ENOMEM;
	log->line_max = PD_OOMLOG_LINE_MAX;
	log->nul_max = PD_OOMLOG_NUL_MAX;
	*ret_log = log;
	return 0;
}

void pd_oomlog_set_limits(struct pd_oomlog *log, size_t line_max,
			  uint64_t nul_max)
{
	/* the line buffer has the old size: a new one when it changes */
	if (line_max && line_max != log->line_max && !log->pending) {
		free(log->line);
		log->line = NULL;
		log->line_max = line_max;
	}
	if (nul_max)
		log->nul_max = nul_max;
}

void pd_oomlog_free(struct pd_oomlog *log)
{
	size_t i;

	if (!log)
		return;
	for (i = 0; i < log->n; i++) {
		free(log->v[i].oom_memcg);
		free(log->v[i].task_memcg);
		free(log->v[i].tasks);
		free(log->v[i].kills);
	}
	free(log->v);
	free(log->buf);
	free(log->line);
	free(log->okline);
	pd_logline_reader_free(log->rd);
	free(log);
}

void pd_oomlog_set_clock(struct pd_oomlog *log, int64_t now_us,
			 int64_t boot_us)
{
	log->now_us = now_us;
	log->boot_us = boot_us;
}

void pd_oomlog_set_swap(struct pd_oomlog *log, uint64_t swap_bytes)
{
	log->has_swap_fact = true;
	log->swap_fact = swap_bytes;
}

size_t pd_oomlog_unread(const struct pd_oomlog *log, size_t *ret_line,
			const char **ret_text)
{
	if (ret_line)
		*ret_line = log->unread_line;
	if (ret_text)
		*ret_text = log->nunread ? log->unread_text : NULL;
	return log->nunread;
}

size_t pd_oomlog_count(const struct pd_oomlog *log)
{
	return log->n;
}

const struct pd_oomlog_incident *pd_oomlog_incident(const struct pd_oomlog *log,
						    size_t i)
{
	return &log->v[i];
}

/*
 * Room for element N of *V: the capacity is the power of two at or above
 * N, so growing needs no stored capacity (the arrays are public).
 */
static int append_slot(void **v, size_t n, size_t size)
{
	void *nv;

	if (n && (n & (n - 1)))
		return 0;
	nv = realloc(*v, (n ? n * 2 : 1) * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	return 0;
}

/* ---- text helpers ------------------------------------------------------ */

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* A decimal at *P (after blanks), which advances past it. */
static bool get_u64(const char **p, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;

	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*ret = v;
	return true;
}

static bool get_int(const char **p, long min, long max, long *ret)
{
	const char *s = *p;
	bool neg = false;
	uint64_t v;

	while (*s == ' ')
		s++;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!get_u64(&s, &v) || v > (uint64_t)max + (neg ? 1 : 0))
		return false;
	if ((neg ? -(long)v : (long)v) < min)
		return false;
	*p = s;
	*ret = neg ? -(long)v : (long)v;
	return true;
}

/* The number right after KEY in S ("anon-rss:" -> 27264). */
static bool key_u64(const char *s, const char *key, uint64_t *ret)
{
	const char *p = strstr(s, key);

	if (!p)
		return false;
	p += strlen(key);
	return get_u64(&p, ret);
}

static bool key_int(const char *s, const char *key, long min, long max,
		    long *ret)
{
	const char *p = strstr(s, key);

	if (!p)
		return false;
	p += strlen(key);
	return get_int(&p, min, max, ret);
}

/* Copy N bytes of S into DST (of DSTSZ), cut and NUL-terminated. */
static void copy_text(char *dst, size_t dstsz, const char *s, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ---- incidents --------------------------------------------------------- */

static int new_incident(struct pd_oomlog *log, const struct pd_logline *st,
			struct pd_oomlog_incident **ret)
{
	struct pd_oomlog_incident *inc;
	int64_t t;
	int r;

	r = pd_array_grow((void **)&log->v, &log->cap, log->n, sizeof(*log->v));
	if (r < 0)
		return r;
	inc = &log->v[log->n++];
	memset(inc, 0, sizeof(*inc));
	inc->order = -1;	/* unknown until the header says order= */
	memcpy(inc->stamp, st->stamp, sizeof(inc->stamp));
	inc->has_uptime = st->has_uptime;
	inc->uptime_us = st->uptime_us;
	if (st->has_time) {
		inc->has_time = true;
		inc->time_us = st->time_us;
	} else if (st->has_uptime && log->boot_us > 0 &&
		   st->uptime_us <= (uint64_t)INT64_MAX - (uint64_t)log->boot_us) {
		t = log->boot_us + (int64_t)st->uptime_us;
		/* later than now: an uptime of another boot */
		if (!log->now_us || t <= log->now_us + 60 * 1000000LL) {
			inc->has_time = true;
			inc->time_us = t;
		}
	}
	if (log->boot_seen) {
		inc->has_swap_max = true;
		inc->swap_max = log->swap_added;
	}
	if (log->has_swap_fact && !log->swap_seen &&
	    (!inc->has_swap_max || log->swap_fact < inc->swap_max)) {
		inc->has_swap_max = true;
		inc->swap_max = log->swap_fact;
	}
	inc->line = log->lineno;
	log->ntcols = 0;
	log->group_kill = false;
	log->last_ok = false;
	*ret = inc;
	return 0;
}

static struct pd_oomlog_incident *current(struct pd_oomlog *log)
{
	return log->n ? &log->v[log->n - 1] : NULL;
}

/* "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d, oom_score_adj=%hd"
 * (3.x: "gfp_mask=0x%x, order=%d, oom_adj=%d, oom_score_adj=%hd"). */
static int on_header(struct pd_oomlog *log, const char *msg, const char *at,
		     const struct pd_logline *st)
{
	struct pd_oomlog_incident *inc;
	const char *p, *e;
	long v;
	int r;

	r = new_incident(log, st, &inc);
	if (r < 0)
		return r;
	inc->has_header = true;
	copy_text(inc->invoker, sizeof(inc->invoker), msg, (size_t)(at - msg));
	/* the flags in parentheses are joined by '|', never ", " */
	p = strstr(at, "gfp_mask=");
	if (p) {
		p += 9;
		e = strstr(p, ", ");
		copy_text(inc->gfp, sizeof(inc->gfp), p,
			  e ? (size_t)(e - p) : strlen(p));
	}
	if (key_int(at, "order=", -1, 64, &v))
		inc->order = (int)v;
	/* the last one: 3.x printed oom_adj= before it */
	p = NULL;
	for (e = strstr(at, "oom_score_adj="); e;
	     e = strstr(e + 1, "oom_score_adj="))
		p = e;
	if (p && key_int(p, "oom_score_adj=", -1000, 1000, &v))
		inc->invoker_adj = (int)v;
	return 0;
}

/* "CPU: 1 PID: 42 Comm: foo Not tainted 6.1.0-18-amd64 #1 ..." (6.10+
 * adds "UID: 0" before PID:); "Tainted: G   W  O   6.1.0 #1" too. */
static void on_cpu(struct pd_oomlog_incident *inc, const char *msg)
{
	const char *p, *rel = NULL;
	uint64_t pid;

	p = strstr(msg, " PID: ");
	if (!p)
		return;
	p += 6;
	if (!get_u64(&p, &pid) || pid > INT32_MAX)
		return;
	inc->has_invoker_pid = true;
	inc->invoker_pid = (pid_t)pid;
	p = strstr(p, " Not tainted ");
	if (p) {
		rel = p + 13;
	} else {
		p = strstr(msg, " Tainted: ");
		if (!p)
			return;
		/* taint flags are capital letters and blanks */
		for (rel = p + 10; *rel == ' ' || isupper((unsigned char)*rel);
		     rel++)
			;
	}
	copy_text(inc->release, sizeof(inc->release), rel, strcspn(rel, " "));
}

static int set_str(char **dst, const char *s, size_t n)
{
	char *c = strndup(s, n);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

/* The value of KEY in the oom-kill: line, up to the key that follows it
 * (a cgroup path or a comm may hold commas). */
static int ok_field(const char *s, const char *key, const char *next,
		    char **dst)
{
	const char *p = strstr(s, key), *e;

	if (!p)
		return 0;
	p += strlen(key);
	e = next ? strstr(p, next) : NULL;
	return set_str(dst, p, e ? (size_t)(e - p) : strcspn(p, ","));
}

/*
 * "oom-kill:constraint=%s,nodemask=%*pbl,cpuset=%s,mems_allowed=%*pbl,
 * oom_memcg=%s,task_memcg=%s,task=%s,pid=%d,uid=%d" (memcg) or
 * ",global_oom,task_memcg=..." (4.19+); pr_cont() pieces may come as
 * lines of their own, so it is parsed again as each one arrives.
 */
static int on_oomkill(struct pd_oomlog_incident *inc, const char *s)
{
	static const struct {
		const char *name;
		enum pd_oomlog_constraint c;
	} cons[] = {
		{ "CONSTRAINT_NONE", PD_OOMLOG_GLOBAL },
		{ "CONSTRAINT_CPUSET", PD_OOMLOG_CPUSET },
		{ "CONSTRAINT_MEMORY_POLICY", PD_OOMLOG_MEMPOLICY },
		{ "CONSTRAINT_MEMCG", PD_OOMLOG_MEMCG },
	};
	const char *p = strstr(s, "constraint=");
	size_t i;
	int r;

	if (p)
		for (i = 0; i < sizeof(cons) / sizeof(cons[0]); i++)
			if (starts(p + 11, cons[i].name) &&
			    (p[11 + strlen(cons[i].name)] == ',' ||
			     !p[11 + strlen(cons[i].name)]))
				inc->constraint = cons[i].c;
	r = ok_field(s, ",oom_memcg=", ",task_memcg=", &inc->oom_memcg);
	if (r == 0)
		r = ok_field(s, ",task_memcg=", ",task=", &inc->task_memcg);
	return r;
}

/* "memory: usage 204800kB, limit 204800kB, failcnt 158" and its kin. */
static void on_usage(struct pd_oomlog_incident *inc, const char *msg)
{
	uint64_t usage, limit;

	if (!key_u64(msg, "usage ", &usage) || !key_u64(msg, "limit ", &limit))
		return;
	if (starts(msg, "memory: ") && !inc->has_limit) {
		inc->has_limit = true;
		inc->usage = usage * 1024;
		inc->limit = limit * 1024;
		if (inc->constraint == PD_OOMLOG_UNKNOWN)
			inc->constraint = PD_OOMLOG_MEMCG;
	} else if (starts(msg, "memory+swap: ") && inc->has_limit &&
		   limit * 1024 >= inc->limit) {
		inc->has_swap_limit = true;
		inc->swap_limit = limit * 1024 - inc->limit;
	} else if (starts(msg, "swap: ")) {
		inc->has_swap_limit = true;
		inc->swap_limit = limit * 1024;
	}
}

/* "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents
 * oom_score_adj name", with nr_ptes (and nr_pmds) before 4.15 and
 * rss_anon rss_file rss_shmem from 6.8. */
static bool on_table_header(struct pd_oomlog *log, const char *msg)
{
	static const struct {
		const char *name;
		enum tcol c;
	} names[] = {
		{ "uid", TC_UID }, { "tgid", TC_TGID },
		{ "total_vm", TC_TOTAL_VM }, { "rss", TC_RSS },
		{ "rss_anon", TC_RSS_ANON }, { "rss_file", TC_RSS_FILE },
		{ "rss_shmem", TC_RSS_SHMEM }, { "nr_ptes", TC_NR_PTES },
		{ "nr_pmds", TC_NR_PMDS },
		{ "pgtables_bytes", TC_PGTABLES_BYTES },
		{ "swapents", TC_SWAPENTS }, { "oom_score_adj", TC_ADJ },
	};
	const char *p = strchr(msg, ']');
	size_t n = 0, i;

	if (!p)
		return false;
	p++;
	for (;;) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (!len)
			break;
		if (len == 4 && !strncmp(p, "name", 4))
			break;
		if (n == TCOLS_MAX)
			return false;
		log->tcols[n] = TC_OTHER;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len &&
			    !strncmp(p, names[i].name, len))
				log->tcols[n] = names[i].c;
		n++;
		p += len;
	}
	log->ntcols = n;
	return n > 0;
}

/* "[  13355]     0 13355    16942    16170 ... python3" */
static int on_table_row(struct pd_oomlog *log, struct pd_oomlog_incident *inc,
			const char *msg)
{
	struct pd_oomlog_task t;
	const char *p = msg + 1;
	uint64_t v;
	size_t i;
	int r;

	memset(&t, 0, sizeof(t));
	if (!get_u64(&p, &v) || v > INT32_MAX || *p != ']')
		return 0;
	t.pid = (pid_t)v;
	t.tgid = t.pid;
	p++;
	for (i = 0; i < log->ntcols; i++) {
		long sv;

		if (log->tcols[i] == TC_ADJ) {
			if (!get_int(&p, -1000, 1000, &sv))
				return 0;
			t.adj = (int)sv;
			continue;
		}
		if (!get_u64(&p, &v))
			return 0;
		switch (log->tcols[i]) {
		case TC_UID: t.uid = (uid_t)v; break;
		case TC_TGID: t.tgid = (pid_t)v; break;
		case TC_TOTAL_VM: t.total_vm = v; break;
		case TC_RSS: t.rss = v; break;
		case TC_RSS_ANON: t.rss_anon = v; t.has_rss_parts = true; break;
		case TC_RSS_FILE: t.rss_file = v; break;
		case TC_RSS_SHMEM: t.rss_shmem = v; break;
		case TC_NR_PTES:
		case TC_NR_PMDS: t.pgtable_pages += v; break;
		case TC_PGTABLES_BYTES:
			t.has_pgtables_bytes = true;
			t.pgtables_bytes = v;
			break;
		case TC_SWAPENTS: t.swapents = v; break;
		case TC_ADJ:
		case TC_OTHER: break;
		}
	}
	while (*p == ' ')
		p++;
	copy_text(t.comm, sizeof(t.comm), p, strlen(p));
	r = append_slot((void **)&inc->tasks, inc->ntasks, sizeof(*inc->tasks));
	if (r < 0)
		return r;
	inc->tasks[inc->ntasks++] = t;
	return 0;
}

/* A line's moment for telling bursts apart: its uptime, else its wall
 * time. */
static bool line_has_us(const struct pd_logline *st)
{
	return st->has_uptime || st->has_time;
}

static uint64_t line_us(const struct pd_logline *st)
{
	return st->has_uptime ? st->uptime_us : (uint64_t)st->time_us;
}

/*
 * "Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB,
 * shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd", prefixed by
 * "Out of memory: " or "Memory cgroup out of memory: " since 5.1.
 */
static int on_kill(struct pd_oomlog *log, const char *msg, const char *at,
		   const struct pd_logline *st)
{
	struct pd_oomlog_incident *inc = current(log);
	struct pd_oomlog_kill k;
	const char *p = at + 15, *open, *close;
	uint64_t v;
	long sv;
	int r;

	memset(&k, 0, sizeof(k));
	if (!get_u64(&p, &v) || v > INT32_MAX)
		return 0;
	k.pid = (pid_t)v;
	open = strchr(p, '(');
	if (!open)
		return 0;
	/* a comm may hold ')': the one before " total-vm:" closes it */
	close = strstr(open, ") total-vm:");
	if (!close)
		close = strrchr(open, ')');
	if (!close)
		return 0;
	copy_text(k.comm, sizeof(k.comm), open + 1, (size_t)(close - open - 1));
	if (key_u64(close, "total-vm:", &v))
		k.total_vm = v * 1024;
	if (key_u64(close, "anon-rss:", &v))
		k.anon = v * 1024;
	if (key_u64(close, "file-rss:", &v))
		k.file = v * 1024;
	if (key_u64(close, "shmem-rss:", &v)) {
		k.has_shmem = true;
		k.shmem = v * 1024;
	}
	if (key_u64(close, "UID:", &v) && v <= UINT32_MAX) {
		k.has_uid = true;
		k.uid = (uid_t)v;
	}
	if (key_u64(close, "pgtables:", &v)) {
		k.has_pgtables = true;
		k.pgtables = v * 1024;
	}
	if (key_int(close, "oom_score_adj:", -1000, 1000, &sv)) {
		k.has_adj = true;
		k.adj = (int)sv;
	}
	/*
	 * An oom.group kill prints its kills in one burst; a kill a second
	 * or more later is another OOM whose header was rate-limited.
	 */
	if (log->group_kill && line_has_us(st) && log->has_kill_us &&
	    line_us(st) > log->kill_us + 1000000)
		log->group_kill = false;
	log->has_kill_us = line_has_us(st);
	log->kill_us = line_us(st);
	/* The header is rate-limited, the kill line is not: a kill after
	 * its incident's victim, outside an oom.group kill, is the next
	 * incident. */
	if (!inc || (inc->nkills && !log->group_kill) ||
	    (inc->has_chosen && inc->nkills)) {
		r = new_incident(log, st, &inc);
		if (r < 0)
			return r;
	}
	if (starts(msg, "Memory cgroup out of memory") &&
	    inc->constraint == PD_OOMLOG_UNKNOWN)
		inc->constraint = PD_OOMLOG_MEMCG;
	/* the group kill may print its own victim once more */
	for (size_t i = 0; i < inc->nkills; i++)
		if (inc->kills[i].pid == k.pid)
			return 0;
	r = append_slot((void **)&inc->kills, inc->nkills, sizeof(*inc->kills));
	if (r < 0)
		return r;
	inc->kills[inc->nkills++] = k;
	log->ntcols = 0;
	return 0;
}

/* "Out of memory: Kill process %d (%s) score %u or sacrifice child"
 * (before 4.19): the pick; the "Killed process" line that follows may
 * name a child of it. */
static int on_chosen(struct pd_oomlog *log, const char *at,
		     const struct pd_logline *st)
{
	struct pd_oomlog_incident *inc = current(log);
	const char *p = at + 13;
	uint64_t v;
	int r;

	if (!get_u64(&p, &v) || v > INT32_MAX)
		return 0;
	if (!inc || inc->nkills || inc->has_chosen) {
		r = new_incident(log, st, &inc);
		if (r < 0)
			return r;
	}
	inc->has_chosen = true;
	inc->chosen = (pid_t)v;
	return 0;
}

/* "oom_reaper: reaped process %d (%s), now anon-rss:..." */
static void on_reaped(struct pd_oomlog *log, const char *msg)
{
	const char *p = msg + 27;
	uint64_t v;
	size_t i, j;

	if (!get_u64(&p, &v))
		return;
	for (i = log->n; i-- > 0 && log->n - i <= 16;)
		for (j = 0; j < log->v[i].nkills; j++)
			if (log->v[i].kills[j].pid == (pid_t)v) {
				log->v[i].kills[j].reaped = true;
				return;
			}
}

/* A line of an OOM report behind a prefix we do not know: counted, the
 * first one kept for the message. */
static void unread(struct pd_oomlog *log, const char *line)
{
	if (!log->nunread++) {
		log->unread_line = log->lineno;
		copy_text(log->unread_text, sizeof(log->unread_text), line,
			  strlen(line));
	}
}

/* The boot banner and swapon's line: how much swap there can be. */
static void on_boot_or_swap(struct pd_oomlog *log, const char *msg)
{
	const char *p;
	uint64_t kb;

	/* start_kernel(): the first line of every boot */
	if (starts(msg, "Linux version ")) {
		log->boot_seen = true;
		log->swap_seen = false;
		log->swap_added = 0;
		return;
	}
	/* mm/swapfile.c: "Adding %uk swap on %s.  Priority:%d ..." */
	p = msg + 7;
	if (starts(msg, "Adding ") && get_u64(&p, &kb) &&
	    starts(p, "k swap on ")) {
		log->swap_seen = true;
		if (kb <= (UINT64_MAX - log->swap_added) / 1024)
			log->swap_added += kb * 1024;
		else
			log->swap_added = UINT64_MAX;
	}
}

int pd_oomlog_feed(struct pd_oomlog *log, const char *line, size_t len)
{
	struct pd_oomlog_incident *inc;
	struct pd_logline st;
	const char *msg, *at;
	uint64_t v;
	int r = 0;

	log->lineno++;
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len + 1 > log->bufcap) {
		char *nb = realloc(log->buf, len + 1);

		if (!nb)
			return -ENOMEM;
		log->buf = nb;
		log->bufcap = len + 1;
	}
	memcpy(log->buf, line, len);
	log->buf[len] = '\0';
	if (!log->rd) {
		r = pd_logline_reader_new(log->now_us, &log->rd);
		if (r < 0)
			return r;
	}
	/* a NUL inside the line ends it: no message of ours holds one */
	r = pd_logline_parse(log->rd, log->buf, &st);
	if (r < 0 || !st.msg)
		return r;
	msg = st.msg;
	inc = current(log);

	at = strstr(msg, " invoked oom-killer: ");
	if (at) {
		log->last_ok = false;
		/* a comm is 15 bytes at most: more is a prefix not read */
		if (at - msg > COMM_MAX) {
			unread(log, log->buf);
			return 0;
		}
		return on_header(log, msg, at, &st);
	}
	if (inc && log->last_ok && msg[0] == ',') {
		size_t ol = strlen(log->okline), ml = strlen(msg);
		char *nl = realloc(log->okline, ol + ml + 1);

		if (!nl)
			return -ENOMEM;
		memcpy(nl + ol, msg, ml + 1);
		log->okline = nl;
		return on_oomkill(inc, log->okline);
	}
	log->last_ok = false;
	if (strstr(msg, "oom-kill:constraint=") && !starts(msg, "oom-kill:")) {
		unread(log, log->buf);
		return 0;
	}
	if (starts(msg, "oom-kill:")) {
		if (!inc)
			return 0;
		r = set_str(&log->okline, msg, strlen(msg));
		if (r < 0)
			return r;
		log->last_ok = true;
		return on_oomkill(inc, msg);
	}
	at = strstr(msg, "Killed process ");
	if (at && (at == msg || starts(msg, "Out of memory: ") ||
		   starts(msg, "Memory cgroup out of memory: ")))
		return on_kill(log, msg, at, &st);
	if (at && strstr(at, ") total-vm:")) {
		unread(log, log->buf);
		return 0;
	}
	if (starts(msg, "Linux version ") || starts(msg, "Adding ")) {
		on_boot_or_swap(log, msg);
		return 0;
	}
	at = strstr(msg, "Kill process ");
	if (at && strstr(at, "sacrifice child"))
		return on_chosen(log, at, &st);
	if (starts(msg, "oom_reaper: reaped process ")) {
		on_reaped(log, msg);
		return 0;
	}
	if (!inc)
		return 0;
	if (starts(msg, "CPU: ") && inc->has_header && !inc->has_invoker_pid &&
	    !inc->nkills) {
		on_cpu(inc, msg);
	} else if (starts(msg, "Task in ") &&
		   strstr(msg, " killed as a result of limit of ")) {
		const char *k = strstr(msg, " killed as a result of limit of ");

		inc->constraint = PD_OOMLOG_MEMCG;
		r = set_str(&inc->task_memcg, msg + 8, (size_t)(k - msg - 8));
		if (r == 0)
			r = set_str(&inc->oom_memcg, k + 32, strlen(k + 32));
	} else if (starts(msg, "memory: usage ") ||
		   starts(msg, "memory+swap: usage ") ||
		   starts(msg, "swap: usage ")) {
		on_usage(inc, msg);
	} else if (strstr(msg, " pages RAM") && !inc->has_ram) {
		const char *p = msg;

		if (get_u64(&p, &v) && starts(p, " pages RAM")) {
			inc->has_ram = true;
			inc->ram_pages = v;
		}
	} else if (starts(msg, "Total swap = ") && !inc->has_swap_total) {
		if (key_u64(msg, "= ", &v)) {
			inc->has_swap_total = true;
			inc->swap_total = v * 1024;
		}
	} else if (msg[0] == '[' && strstr(msg, "pid") && strstr(msg, "name") &&
		   strstr(msg, "oom_score_adj")) {
		on_table_header(log, msg);
	} else if (msg[0] == '[' && log->ntcols && !inc->nkills) {
		r = on_table_row(log, inc, msg);
	} else if (starts(msg, "Tasks in ") &&
		   strstr(msg, "memory.oom.group")) {
		log->group_kill = true;
	}
	return r;
}

/* ---- text in chunks ---------------------------------------------------- */

/* The first byte at or after P that is not NUL, or END. */
static const char *skip_nul(const char *p, const char *end)
{
	uint64_t w;

	while (p < end && ((uintptr_t)p & 7)) {
		if (*p)
			return p;
		p++;
	}
	while (end - p >= 8) {
		memcpy(&w, p, 8);
		if (w)
			break;
		p += 8;
	}
	while (p < end && !*p)
		p++;
	return p;
}

/* Add N bytes at P to the line being read, up to the line limit. */
static int line_add(struct pd_oomlog *log, const char *p, size_t n)
{
	size_t room;

	log->pending = true;
	if (log->cut)
		return 0;
	room = log->line_max - log->linelen;
	if (n > room) {
		n = room;
		log->cut = true;
	}
	if (!log->line) {
		log->line = malloc(log->line_max);
		if (!log->line)
			return -ENOMEM;
	}
	memcpy(log->line + log->linelen, p, n);
	log->linelen += n;
	return 0;
}

static int line_end(struct pd_oomlog *log)
{
	int r = pd_oomlog_feed(log, log->line ? log->line : "", log->linelen);

	log->ncut += log->cut;
	log->linelen = 0;
	log->cut = false;
	log->pending = false;
	return r;
}

int pd_oomlog_feed_text(struct pd_oomlog *log, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl, *q, *z;
	int r;

	while (p < end) {
		if (!*p) {
			q = skip_nul(p, end);
			log->nulrun += (uint64_t)(q - p);
			if (log->nulrun >= log->nul_max)
				return -ENODATA;
			log->pending = true;
			p = q;
			continue;
		}
		log->nulrun = 0;
		nl = memchr(p, '\n', (size_t)(end - p));
		q = nl ? nl : end;
		z = memchr(p, '\0', (size_t)(q - p));
		if (z) {
			q = z;
			nl = NULL;
		}
		if (nl && !log->pending && (size_t)(nl - p) <= log->line_max) {
			/* a whole line in the chunk: fed where it is */
			r = pd_oomlog_feed(log, p, (size_t)(nl - p));
		} else {
			r = line_add(log, p, (size_t)(q - p));
			if (r == 0 && nl)
				r = line_end(log);
		}
		if (r < 0)
			return r;
		p = nl ? nl + 1 : q;
	}
	return 0;
}

int pd_oomlog_feed_end(struct pd_oomlog *log)
{
	return log->pending ? line_end(log) : 0;
}

size_t pd_oomlog_cut_lines(const struct pd_oomlog *log)
{
	return log->ncut;
}

int pd_oomlog_parse(const char *buf, size_t len, struct pd_oomlog **ret_log)
{
	struct pd_oomlog *log;
	int r;

	r = pd_oomlog_new(&log);
	if (r < 0)
		return r;
	r = pd_oomlog_feed_text(log, buf, len);
	if (r == 0)
		r = pd_oomlog_feed_end(log);
	if (r < 0) {
		pd_oomlog_free(log);
		return r;
	}
	*ret_log = log;
	return 0;
}

/* ---- the ranking the report implies ------------------------------------ */

/* Kernel X.Y of RELEASE as X * 1000 + Y; 0 when unknown. */
static unsigned release_code(const char *release)
{
	const char *p = release;
	uint64_t major, minor;

	if (!get_u64(&p, &major) || *p != '.')
		return 0;
	p++;
	if (!get_u64(&p, &minor) || major > 100 || minor > 999)
		return 0;
	return (unsigned)(major * 1000 + minor);
}

/* The index of the top candidate with adj scaled by K pages a point. */
static size_t top_at(const struct pd_oomlog_incident *inc, const int64_t *pts,
		     uint64_t k, enum pd_oom_model model, bool *ret_any)
{
	int64_t best = PD_OOM_NEVER, b;
	size_t i, top = 0;

	*ret_any = false;
	for (i = 0; i < inc->ntasks; i++) {
		if (inc->tasks[i].adj == PD_OOM_SCORE_ADJ_MIN)
			continue;
		/* totalpages k * 1000 gives exactly k a point */
		b = pd_oom_badness(pts[i], inc->tasks[i].adj, k * 1000, model);
		/* "points < chosen_points" skips: a tie goes to the later */
		if (!*ret_any || b >= best) {
			best = b;
			top = i;
			*ret_any = true;
		}
	}
	return top;
}

int pd_oomlog_top(const struct pd_oomlog_incident *inc,
		  unsigned long page_size, size_t *ret_task)
{
	unsigned rel = release_code(inc->release);
	enum pd_oom_model model = rel && rel < 5009 ? PD_OOM_MODEL_4_19 :
				  PD_OOM_MODEL_5_9;
	uint64_t kmin, kmax, base, swap, swap_hi;
	bool same_adj = true, seen = false, any, known;
	size_t i, t1, t2;
	int64_t *pts;
	int adj0 = 0;

	if (!page_size)
		page_size = 4096;
	if (!inc->ntasks)
		return -ENODATA;
	pts = calloc(inc->ntasks, sizeof(*pts));
	if (!pts)
		return -ENOMEM;
	for (i = 0; i < inc->ntasks; i++) {
		const struct pd_oomlog_task *t = &inc->tasks[i];

		pts[i] = (int64_t)(t->rss + t->swapents +
				   (t->has_pgtables_bytes ?
				    t->pgtables_bytes / page_size :
				    t->pgtable_pages));
		/* before 4.19, CAP_SYS_ADMIN took 3% off */
		if (rel && rel < 4019 && t->uid == 0)
			pts[i] -= pts[i] / 100 * 3 + pts[i] % 100 * 3 / 100;
		if (t->adj == PD_OOM_SCORE_ADJ_MIN)
			continue;
		if (seen && t->adj != adj0)
			same_adj = false;
		adj0 = t->adj;
		seen = true;
	}
	/* The most swap the machine can have had: the report's "Total
	 * swap", else what the log or the machine's facts allow. */
	swap_hi = inc->has_swap_total ? inc->swap_total / page_size :
		  inc->has_swap_max ? inc->swap_max / page_size : UINT64_MAX;
	/* The scale: the memcg's limit and the swap it may add (the
	 * machine's swap, which a memcg report does not print, may be
	 * anything up to its swap limit), or the machine's RAM and swap. */
	if (inc->constraint == PD_OOMLOG_MEMCG || inc->has_limit) {
		base = inc->limit / page_size;
		swap = inc->has_swap_limit ? inc->swap_limit / page_size :
		       UINT64_MAX;
		if (swap_hi < swap)
			swap = swap_hi;
		known = inc->has_limit && swap != UINT64_MAX;
		kmin = (inc->has_swap_total ? base + swap : base) / 1000;
		kmax = known ? (base + swap) / 1000 : kmin;
	} else {
		known = inc->has_ram && swap_hi != UINT64_MAX;
		kmin = (inc->ram_pages + (inc->has_swap_total ? swap_hi : 0)) /
		       1000;
		kmax = known ? (inc->ram_pages + swap_hi) / 1000 : kmin;
	}
	/* One adj for all shifts every badness alike, unless the floor of
	 * 1 (before 5.9) cuts some of them. */
	if (same_adj && (model == PD_OOM_MODEL_5_9 || adj0 >= 0)) {
		known = true;
		kmin = kmax = 1;
	}
	t1 = top_at(inc, pts, kmin, model, &any);
	t2 = top_at(inc, pts, kmax, model, &any);
	free(pts);
	if (!any)
		return -ENODATA;
	/* Badness is linear in the scale: a row on top at both ends of
	 * the range is on top all along it. */
	if (!known || t1 != t2)
		return -ERANGE;
	*ret_task = t1;
	return 0;
}

/* ---- reading a log ----------------------------------------------------- */

#define READ_CHUNK ((size_t)64 * 1024)

/* /dev/kmsg is the character device 1:11 whatever its name. */
static bool is_kmsg(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == 1 &&
	       minor(st->st_rdev) == 11;
}

int pd_oomlog_read_fd(struct pd_oomlog *log, int fd)
{
	bool kmsg, file;
	struct stat st;
	int flags = 0, r = 0;
	off_t off = 0, d;
	ssize_t n;
	char *chunk;

	if (fstat(fd, &st) < 0)
		return -errno;
	kmsg = is_kmsg(&st);
	file = S_ISREG(st.st_mode);
	chunk = malloc(READ_CHUNK);
	if (!chunk)
		return -ENOMEM;
	/* a read of /dev/kmsg waits for the next record unless O_NONBLOCK:
	 * then EAGAIN says "no more" */
	if (kmsg) {
		flags = fcntl(fd, F_GETFL);
		if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
			r = -errno;
			goto out_free;
		}
	}
	if (file) {
		off = lseek(fd, 0, SEEK_CUR);
		file = off >= 0;
	}
	for (;;) {
		if (file) {
			/* ENXIO: a hole to the end; any other error: a file
			 * system without holes, read on */
			d = lseek(fd, off, SEEK_DATA);
			if (d < 0 && errno == ENXIO)
				break;
			if (d > off)
				off = d;
		}
		n = read(fd, chunk, READ_CHUNK);
		if (n < 0) {
			/* EPIPE: kmsg records lost to the ring's wrap */
			if (errno == EINTR || (kmsg && errno == EPIPE))
				continue;
			if (!(kmsg && errno == EAGAIN))
				r = -errno;
			break;
		}
		if (n == 0)
			break;
		off += n;
		r = pd_oomlog_feed_text(log, chunk, (size_t)n);
		if (r < 0)
			break;
	}
	if (r == 0)
		r = pd_oomlog_feed_end(log);
	if (kmsg && !(flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, flags);

out_free:
	free(chunk);
	return r;
}
