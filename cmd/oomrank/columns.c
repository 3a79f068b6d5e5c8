/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: the column tables of the ranking and of --log. */
#include <string.h>

#include "oomrank.h"

/* The machine-wide defaults; --cgroup swaps in its own (cgroup_defaults). */
static const struct pd_column cols[] = {
	[COL_RANK] = { "RANK", PD_COL_NUM, PD_COLF_DEFAULT, "order in which the killer picks it (1 first); empty: never" },
	[COL_PID] = { "PID", PD_COL_NUM, PD_COLF_DEFAULT, "process id" },
	[COL_USER] = { "USER", PD_COL_STR, PD_COLF_DEFAULT, "user name (real uid)" },
	[COL_OOM_SCORE_ADJ] = { "OOM_SCORE_ADJ", PD_COL_NUM, PD_COLF_DEFAULT, "oom_score_adj, -1000 to 1000: adds adj thousandths of TOTALPAGES" },
	[COL_BADNESS] = { "BADNESS", PD_COL_NUM, PD_COLF_DEFAULT, "oom_badness() in pages: memory + adj * (TOTALPAGES / 1000); may be negative" },
	[COL_SHARE] = { "SHARE", PD_COL_NUM, PD_COLF_DEFAULT, "BADNESS in thousandths of TOTALPAGES, the unit of oom_score_adj" },
	[COL_MARGIN] = { "MARGIN", PD_COL_NUM, 0, "pages of BADNESS it leads the next candidate by" },
	[COL_SCORE] = { "SCORE", PD_COL_NUM, PD_COLF_DEFAULT, "our oom_score, recomputed on the kernel's scale (machine-wide); the table adds the kernel's where it differs" },
	[COL_OOM_SCORE] = { "OOM_SCORE", PD_COL_NUM, 0, "the kernel's /proc/PID/oom_score as read" },
	[COL_ANON] = { "ANON", PD_COL_SIZE, PD_COLF_DEFAULT, "anonymous memory (RssAnon)" },
	[COL_FILE] = { "FILE", PD_COL_SIZE, PD_COLF_DEFAULT, "mapped file pages (RssFile)" },
	[COL_SHMEM] = { "SHMEM", PD_COL_SIZE, PD_COLF_DEFAULT, "mapped shared memory (RssShmem), counted in full in each process" },
	[COL_SWAP] = { "SWAP", PD_COL_SIZE, PD_COLF_DEFAULT, "swapped out (VmSwap)" },
	[COL_PAGETABLES] = { "PAGETABLES", PD_COL_SIZE, 0, "page tables (VmPTE)" },
	[COL_BADNESS_BYTES] = { "BADNESS_BYTES", PD_COL_SSIZE, 0, "BADNESS in bytes" },
	[COL_ELIGIBLE] = { "ELIGIBLE", PD_COL_BOOL, 0, "the killer may pick it" },
	[COL_REASON] = { "REASON", PD_COL_STR, 0, "why it is never picked: init, kthread, no-mm, adj-min (rows with -a or -p)" },
	[COL_PPID] = { "PPID", PD_COL_NUM, 0, "parent process id" },
	[COL_UID] = { "UID", PD_COL_NUM, 0, "real user id" },
	[COL_LIMIT] = { "LIMIT", PD_COL_SIZE, 0, "memory limit of the ranking (memory.max, memory.limit_in_bytes)" },
	[COL_SWAP_LIMIT] = { "SWAP_LIMIT", PD_COL_SIZE, 0, "swap limit of the ranking (memory.swap.max; v1: memsw minus memory)" },
	[COL_USAGE] = { "USAGE", PD_COL_SIZE, 0, "memory use of OOM_MEMCG (memory.current, memory.usage_in_bytes)" },
	[COL_IN_USE] = { "IN_USE", PD_COL_SIZE, 0, "what the OOM is about to run out of: the working set (usage less inactive file pages) and swap in use of LIMIT_MEMCG; the machine: RAM not available + swap used" },
	[COL_USE] = { "USE", PD_COL_NUM, 0, "IN_USE in thousandths of what the ranking may hold before its OOM (TOTALPAGES): 1000 is the OOM" },
	[COL_TOTALPAGES] = { "TOTALPAGES", PD_COL_NUM, 0, "pages the ranking is scaled to: RAM + swap, or the cgroup's limit + swap" },
	[COL_OOMS] = { "OOMS", PD_COL_NUM, 0, "OOMs of OOM_MEMCG so far (memory.events oom)" },
	[COL_OOM_KILLS] = { "OOM_KILLS", PD_COL_NUM, 0, "processes killed by them (oom_kill)" },
	[COL_GROUP_KILL] = { "GROUP_KILL", PD_COL_BOOL, 0, "memory.oom.group: its whole cgroup (KILL_GROUP) dies with it" },
	[COL_COMMAND] = { "COMMAND", PD_COL_STR, PD_COLF_DEFAULT, "command (comm)" },
	[COL_OOM_MEMCG] = { "OOM_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the memory cgroup whose OOM this ranking is; empty: the machine" },
	[COL_LIMIT_MEMCG] = { "LIMIT_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the cgroup whose limit applies (OOM_MEMCG or an ancestor)" },
	[COL_TASK_MEMCG] = { "TASK_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the memory cgroup it is in" },
	[COL_KILL_GROUP] = { "KILL_GROUP", PD_COL_STR, PD_COLF_WIDE, "the cgroup memory.oom.group kills whole with it" },
	[COL_CGROUP] = { "CGROUP", PD_COL_STR, PD_COLF_WIDE, "cgroup path (/proc/PID/cgroup)" },
	[COL_UNIT] = { "UNIT", PD_COL_STR, 0, "systemd unit from the cgroup path" },
	[COL_CONTAINER] = { "CONTAINER", PD_COL_STR, 0, "container: runtime:name (or short id)" },
	[COL_POD] = { "POD", PD_COL_STR, 0, "Kubernetes pod: namespace/name (or uid)" },
	[COL_CMDLINE] = { "CMDLINE", PD_COL_STR, PD_COLF_WIDE, "full command line" },
};

/* The defaults of --cgroup, in table order (the table decides the order). */
static const size_t cgroup_defaults[] = {
	COL_RANK, COL_PID, COL_USER, COL_OOM_SCORE_ADJ, COL_BADNESS,
	COL_SHARE, COL_MARGIN, COL_ANON, COL_SWAP, COL_LIMIT, COL_USAGE,
	COL_USE, COL_OOM_KILLS, COL_GROUP_KILL, COL_COMMAND, COL_OOM_MEMCG,
};

/* --log: one row per OOM incident of a kernel log. */
const struct pd_column oomrank_log_cols[] = {
	[LCOL_STAMP] = { "STAMP", PD_COL_STR, PD_COLF_DEFAULT, "time stamp of the report's first line, as the log printed it" },
	[LCOL_UPTIME] = { "UPTIME", PD_COL_NUM, 0, "seconds since boot, when the log gives them (dmesg, /dev/kmsg)" },
	[LCOL_TIME] = { "TIME", PD_COL_NUM, 0, "when, in Unix seconds: the line's date, or the boot time + UPTIME" },
	[LCOL_LINE] = { "LINE", PD_COL_NUM, 0, "line of the log where the report starts" },
	[LCOL_INVOKER] = { "INVOKER", PD_COL_STR, PD_COLF_DEFAULT, "command that hit the OOM (\"invoked oom-killer\")" },
	[LCOL_INVOKER_PID] = { "INVOKER_PID", PD_COL_NUM, 0, "its pid (the CPU: line of the stack dump)" },
	[LCOL_GFP_MASK] = { "GFP_MASK", PD_COL_STR, 0, "allocation flags of the failed request" },
	[LCOL_ORDER] = { "ORDER", PD_COL_NUM, 0, "allocation order (2^order pages)" },
	[LCOL_CONSTRAINT] = { "CONSTRAINT", PD_COL_STR, PD_COLF_DEFAULT, "global, memcg, cpuset or mempolicy (4.19+ reports)" },
	[LCOL_VICTIM_PID] = { "VICTIM_PID", PD_COL_NUM, PD_COLF_DEFAULT, "pid of the killed process" },
	[LCOL_VICTIM] = { "VICTIM", PD_COL_STR, PD_COLF_DEFAULT, "its command (comm)" },
	[LCOL_VICTIM_UID] = { "VICTIM_UID", PD_COL_NUM, 0, "its uid (5.4+ reports)" },
	[LCOL_ANON] = { "ANON", PD_COL_SIZE, PD_COLF_DEFAULT, "its anon-rss when killed" },
	[LCOL_FILE] = { "FILE", PD_COL_SIZE, PD_COLF_DEFAULT, "its file-rss" },
	[LCOL_SHMEM] = { "SHMEM", PD_COL_SIZE, PD_COLF_DEFAULT, "its shmem-rss (4.9+)" },
	[LCOL_PAGETABLES] = { "PAGETABLES", PD_COL_SIZE, 0, "its page tables (5.4+)" },
	[LCOL_OOM_SCORE_ADJ] = { "OOM_SCORE_ADJ", PD_COL_NUM, PD_COLF_DEFAULT, "its oom_score_adj (5.4+, or from the task table)" },
	[LCOL_KILLS] = { "KILLS", PD_COL_NUM, PD_COLF_DEFAULT, "processes killed (memory.oom.group kills more than one)" },
	[LCOL_REAPED] = { "REAPED", PD_COL_BOOL, 0, "the OOM reaper freed its memory" },
	[LCOL_LIMIT] = { "LIMIT", PD_COL_SIZE, 0, "the memory cgroup's limit" },
	[LCOL_TASKS] = { "TASKS", PD_COL_NUM, 0, "rows of the dumped task table" },
	[LCOL_CHOSEN_PID] = { "CHOSEN_PID", PD_COL_NUM, 0, "before 4.19: the pick, whose child may die in its place" },
	[LCOL_TOP_PID] = { "TOP_PID", PD_COL_NUM, PD_COLF_DEFAULT, "top of the task table by recomputed badness" },
	[LCOL_TOP] = { "TOP", PD_COL_STR, 0, "its command" },
	[LCOL_WAS_TOP] = { "WAS_TOP", PD_COL_BOOL, PD_COLF_DEFAULT, "the victim was the top of the table; empty: the table is missing" },
	[LCOL_TASK_MEMCG] = { "TASK_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the victim's memory cgroup" },
	[LCOL_OOM_MEMCG] = { "OOM_MEMCG", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "the memory cgroup at its limit; empty for a global OOM" },
	[LCOL_CONTAINER] = { "CONTAINER", PD_COL_STR, 0, "the victim's container: runtime:name (or short id; the name only while it still runs)" },
	[LCOL_POD] = { "POD", PD_COL_STR, 0, "the victim's Kubernetes pod: namespace/name (or uid)" },
};

/* The ranking's columns into RET_COLS (NCOLS entries): the machine-wide
 * defaults, or with --cgroup those of cgroup_defaults; REASON too when
 * processes the killer never picks can be listed (-a, -p). The options
 * decide them, never the data: a script's TSV keeps its columns. */
void oomrank_columns(const struct opts *o, struct pd_column *ret_cols)
{
	size_t i;

	memcpy(ret_cols, cols, sizeof(cols));
	if (o->cgroups) {
		for (i = 0; i < NCOLS; i++)
			ret_cols[i].flags &= ~(unsigned)PD_COLF_DEFAULT;
		for (i = 0; i < sizeof(cgroup_defaults) / sizeof(cgroup_defaults[0]); i++)
			ret_cols[cgroup_defaults[i]].flags |= PD_COLF_DEFAULT;
	}
	if (o->all || o->npids)
		ret_cols[COL_REASON].flags |= PD_COLF_DEFAULT;
}
