/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomlog: OOM kill reports read back from kernel log text (dmesg, journal,
 * syslog, /dev/kmsg), one incident each, with the victim checked against
 * the dumped task table. */
#ifndef PD_OOMLOG_H
#define PD_OOMLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum pd_oomlog_constraint {
	PD_OOMLOG_UNKNOWN,	/* no oom-kill: line (before 4.19, or cut) */
	PD_OOMLOG_GLOBAL,	/* CONSTRAINT_NONE */
	PD_OOMLOG_CPUSET,
	PD_OOMLOG_MEMPOLICY,
	PD_OOMLOG_MEMCG,
};

/* One row of the dumped task table; counts in pages as the kernel prints
 * them. */
struct pd_oomlog_task {
	pid_t pid, tgid;
	uid_t uid;
	uint64_t total_vm, rss;
	bool has_rss_parts;		/* rss_anon/rss_file/rss_shmem (6.8+) */
	uint64_t rss_anon, rss_file, rss_shmem;
	bool has_pgtables_bytes;	/* pgtables_bytes (4.15+), else */
	uint64_t pgtables_bytes;
	uint64_t pgtable_pages;		/* nr_ptes + nr_pmds, in pages */
	uint64_t swapents;
	int adj;
	char comm[64];
};

/* One "Killed process" line; sizes in bytes. */
struct pd_oomlog_kill {
	pid_t pid;
	char comm[64];
	bool has_uid;			/* UID:, pgtables:, oom_score_adj: (5.4+) */
	uid_t uid;
	uint64_t total_vm, anon, file;
	bool has_shmem;			/* shmem-rss: (4.9+) */
	uint64_t shmem;
	bool has_pgtables;
	uint64_t pgtables;
	bool has_adj;
	int adj;
	bool reaped;			/* "oom_reaper: reaped process" seen */
};

struct pd_oomlog_incident {
	char stamp[64];			/* time stamp of its first line as
					 * printed; "" when the line had none */
	bool has_uptime;
	uint64_t uptime_us;		/* [seconds.micro] or kmsg's stamp */
	bool has_time;
	int64_t time_us;		/* when, in Unix microseconds: the
					 * line's wall-clock stamp, else the
					 * boot time + its uptime (see
					 * pd_oomlog_set_clock()) */
	size_t line;			/* its first line, 1-based */

	bool has_header;		/* "invoked oom-killer" (rate-limited) */
	char invoker[64];		/* comm of the task that hit the OOM */
	bool has_invoker_pid;
	pid_t invoker_pid;		/* the dump_stack "CPU: ... PID:" line */
	char gfp[96];			/* "0xcc0(GFP_KERNEL)" */
	int order;
	int invoker_adj;
	char release[64];		/* kernel release of the CPU: line */

	enum pd_oomlog_constraint constraint;
	char *oom_memcg;		/* the cgroup at its limit, or NULL */
	char *task_memcg;		/* the victim's */
	bool has_limit;
	uint64_t limit, usage;		/* "memory: usage X, limit Y", bytes */
	bool has_swap_limit;
	uint64_t swap_limit;		/* v2 "swap:" limit, or v1 memory+swap
					 * minus memory, bytes */
	bool has_ram;
	uint64_t ram_pages;		/* "N pages RAM" (show_mem) */
	bool has_swap_total;
	uint64_t swap_total;		/* "Total swap = NkB", bytes */
	bool has_swap_max;
	uint64_t swap_max;		/* the most swap the machine can have
					 * had then, bytes: what was turned on
					 * since the log's boot line, or the
					 * machine's (pd_oomlog_set_swap()) */

	struct pd_oomlog_task *tasks;	/* in dump order: the kernel's scan */
	size_t ntasks;
	bool has_chosen;
	pid_t chosen;			/* "Kill process N ... sacrifice child"
					 * (before 4.19): the pick, whose child
					 * may die in its place */
	struct pd_oomlog_kill *kills;	/* the victim first, then the kills
					 * that followed (memory.oom.group) */
	size_t nkills;
};

struct pd_oomlog;

/* Returns 0 or -ENOMEM; free with pd_oomlog_free(). */
int pd_oomlog_new(struct pd_oomlog **ret_log);
void pd_oomlog_free(struct pd_oomlog *log);

/*
 * Place the reports in time, before the first line: NOW_US (0: unknown)
 * gives a year to stamps without one (syslog), and BOOT_US (0: unknown),
 * the wall-clock time the kernel's uptime stamps count from, a time to
 * reports stamped with an uptime only (dmesg, /dev/kmsg). An uptime that
 * would put a report more than a minute after NOW_US is another boot's:
 * no time.
 */
void pd_oomlog_set_clock(struct pd_oomlog *log, int64_t now_us,
			 int64_t boot_us);

/*
 * A fact of the machine, before the first line: every report fed is of
 * this boot of a machine that has SWAP_BYTES of swap now and turned none
 * off since (the live ring buffer). A report is then taken to have had at
 * most that much, unless the log shows swap being turned on.
 */
void pd_oomlog_set_swap(struct pd_oomlog *log, uint64_t swap_bytes);

/*
 * Feed one line of log text (LEN bytes, no newline needed), in any of the
 * forms of pd_logline_parse(): dmesg with each of its stamps, journalctl
 * -k -o with each of its formats, syslog files, /dev/kmsg records. Lines
 * that belong to no OOM report are ignored; the lines of one whose
 * prefix is none of these are counted (pd_oomlog_unread()). Returns 0 or
 * -ENOMEM.
 */
int pd_oomlog_feed(struct pd_oomlog *log, const char *line, size_t len);

/*
 * Lines of OOM reports ("invoked oom-killer", "Killed process", "oom-kill:")
 * behind a prefix that is no known line form, so not read: their number,
 * and the first one's line number and text (cut; NULL when none).
 */
size_t pd_oomlog_unread(const struct pd_oomlog *log, size_t *ret_line,
			const char **ret_text);

/* The longest line kept: the rest of a longer line is cut off (and
 * counted). No line of an OOM report comes near it. */
#define PD_OOMLOG_LINE_MAX ((size_t)64 * 1024)
/* NUL bytes in a row that end a text as "not a log" (a stream of
 * /dev/zero); a regular file's holes are skipped unread and never count. */
#define PD_OOMLOG_NUL_MAX ((uint64_t)1 << 30)

/* Set the two limits of pd_oomlog_feed_text() (tests and fuzzers use small
 * ones), before its first chunk; 0 keeps the one in force. */
void pd_oomlog_set_limits(struct pd_oomlog *log, size_t line_max,
			  uint64_t nul_max);

/*
 * Feed log text in chunks of any size (BUF, LEN bytes), cut anywhere: it
 * is split into lines at '\n', each fed as by pd_oomlog_feed(). NUL bytes
 * are skipped without being kept (a log rotated by copytruncate starts
 * with a run of them); a line longer than the line limit is cut there,
 * its rest dropped, and counted (pd_oomlog_cut_lines()). Call
 * pd_oomlog_feed_end() after the last chunk. Returns 0, -ENOMEM, or
 * -ENODATA when the NUL limit of NUL bytes came in a row.
 */
int pd_oomlog_feed_text(struct pd_oomlog *log, const char *buf, size_t len);

/* The end of the text fed by pd_oomlog_feed_text(): its last line, if it
 * had no newline, is fed. Returns 0 or -ENOMEM. */
int pd_oomlog_feed_end(struct pd_oomlog *log);

/* How many lines pd_oomlog_feed_text() cut at the line limit. */
size_t pd_oomlog_cut_lines(const struct pd_oomlog *log);

/* Parse a whole text (BUF, LEN bytes) as pd_oomlog_feed_text() and
 * pd_oomlog_feed_end() do. Returns 0, -ENOMEM or -ENODATA; free *ret_log
 * with pd_oomlog_free(). */
int pd_oomlog_parse(const char *buf, size_t len, struct pd_oomlog **ret_log);

size_t pd_oomlog_count(const struct pd_oomlog *log);
const struct pd_oomlog_incident *pd_oomlog_incident(const struct pd_oomlog *log,
						    size_t i);

/*
 * The task the killer should have picked from INC's table: the highest
 * oom_badness() recomputed from each row (rss + swapents + page tables in
 * PAGE_SIZE pages + adj scaled by totalpages, adj -1000 never), a tie
 * going to the later row, as select_bad_process() scans in the order
 * dump_tasks() prints. totalpages comes from the report: the memcg limit
 * plus what swap may add (no more than the limits of the report and
 * has_swap_max allow), or RAM + swap; when it is not known exactly,
 * every value it can take must give the same answer. Kernels before 4.19
 * (by the CPU: line) get their 3% bonus for root (uid 0 stands in for
 * CAP_SYS_ADMIN) and the floor of 1. Returns 0 with the row's index,
 * -ENODATA when the table is missing or holds no candidate, -ERANGE when
 * the answer depends on a totalpages the report does not give.
 */
int pd_oomlog_top(const struct pd_oomlog_incident *inc,
		  unsigned long page_size, size_t *ret_task);

/*
 * Read log text from FD (the caller's, left open) to its end, as
 * pd_oomlog_feed_text() and pd_oomlog_feed_end(). The kernel's ring
 * buffer, /dev/kmsg (the character device 1:11 whatever its name, a
 * symlink or standard input), is read record by record without waiting
 * for new ones: FD is made non-blocking for the read and restored after;
 * records lost to the ring's wrap are skipped. A regular file's holes
 * are skipped unread. Returns 0, -ENOMEM, -ENODATA (a run of NUL bytes:
 * not a log) or -errno of a read.
 */
int pd_oomlog_read_fd(struct pd_oomlog *log, int fd);

#endif
