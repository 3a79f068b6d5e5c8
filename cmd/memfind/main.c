/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfind: every memory-backed file object (memfd, SysV and POSIX shm,
 * tmpfs files, shared anonymous memory, secretmem, dma-buf), who holds it,
 * and where the Shmem of /proc/meminfo went. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "common.h"
#include "memscan.h"
#include "users.h"

enum view { VIEW_OBJECT, VIEW_PROCESS, VIEW_SUMMARY };

/* One row per object. */
enum {
	OCOL_KIND, OCOL_SIZE, OCOL_ALLOC, OCOL_RSS, OCOL_PSS, OCOL_SWAP,
	OCOL_HOLDERS, OCOL_PIDS, OCOL_COMMANDS, OCOL_FD, OCOL_SEALS,
	OCOL_FLAGS, OCOL_PATH, OCOL_USERS, OCOL_UIDS, OCOL_MOUNT, OCOL_DEV,
	OCOL_INODE, OCOL_KEY, OCOL_SHMID, OCOL_OWNER, OCOL_PERMS, OCOL_NATTCH,
	OCOL_CPID, OCOL_LPID, OCOL_EXPORTER,
};

static const struct pd_column obj_cols[] = {
	[OCOL_KIND] = { "KIND", PD_COL_STR, PD_COLF_DEFAULT, "memfd, hugetlb, secretmem, sysv, posix, tmpfs, deleted-tmpfs, shared-anon, dmabuf" },
	[OCOL_SIZE] = { "SIZE", PD_COL_SIZE, PD_COLF_DEFAULT, "logical size (st_size; SysV segment size; dma-buf size)" },
	[OCOL_ALLOC] = { "ALLOC", PD_COL_SIZE, PD_COLF_DEFAULT, "memory it holds: st_blocks*512 (resident + swapped); SysV rss+swap" },
	[OCOL_RSS] = { "RSS", PD_COL_SIZE, PD_COLF_DEFAULT, "resident bytes mapped: SysV the kernel's count, else the most one holder maps" },
	[OCOL_PSS] = { "PSS", PD_COL_SIZE, PD_COLF_DEFAULT, "proportional set size summed over the holders' mappings" },
	[OCOL_SWAP] = { "SWAP", PD_COL_SIZE, 0, "swapped bytes: SysV the kernel's count, else the most one holder maps" },
	[OCOL_HOLDERS] = { "HOLDERS", PD_COL_NUM, PD_COLF_DEFAULT, "number of processes holding it" },
	[OCOL_PIDS] = { "PIDS", PD_COL_STR, PD_COLF_DEFAULT, "pids of the holders, comma-separated" },
	[OCOL_COMMANDS] = { "COMMANDS", PD_COL_STR, PD_COLF_DEFAULT, "commands (comm) of the holders" },
	[OCOL_FD] = { "FD", PD_COL_STR, PD_COLF_DEFAULT, "how each holder holds it: fds, mem, exe; ';' between holders" },
	[OCOL_SEALS] = { "SEALS", PD_COL_STR, PD_COLF_DEFAULT, "memfd seals: seal, shrink, grow, write, future-write, exec" },
	[OCOL_FLAGS] = { "FLAGS", PD_COL_STR, PD_COLF_DEFAULT, "exec, fileless, many-fds, orphan, dest, locked" },
	[OCOL_PATH] = { "PATH", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "name: link or maps text without \" (deleted)\", or tmpfs path" },
	[OCOL_USERS] = { "USERS", PD_COL_STR, 0, "user names of the holders" },
	[OCOL_UIDS] = { "UIDS", PD_COL_STR, 0, "uids of the holders" },
	[OCOL_MOUNT] = { "MOUNT", PD_COL_STR, 0, "tmpfs mount point (empty for the kernel's internal mounts)" },
	[OCOL_DEV] = { "DEV", PD_COL_STR, 0, "device number MAJ:MIN" },
	[OCOL_INODE] = { "INODE", PD_COL_NUM, 0, "inode number (SysV: the shmid)" },
	[OCOL_KEY] = { "KEY", PD_COL_STR, 0, "SysV key as ipcs -m shows it (0x%08x)" },
	[OCOL_SHMID] = { "SHMID", PD_COL_NUM, 0, "SysV shmid" },
	[OCOL_OWNER] = { "OWNER", PD_COL_STR, 0, "SysV owner (uid's name)" },
	[OCOL_PERMS] = { "PERMS", PD_COL_STR, 0, "SysV permission bits in octal, as ipcs -m" },
	[OCOL_NATTCH] = { "NATTCH", PD_COL_NUM, 0, "SysV attach count" },
	[OCOL_CPID] = { "CPID", PD_COL_NUM, 0, "SysV creator pid" },
	[OCOL_LPID] = { "LPID", PD_COL_NUM, 0, "SysV last shmat/shmdt pid" },
	[OCOL_EXPORTER] = { "EXPORTER", PD_COL_STR, 0, "dma-buf exporter (fdinfo exp_name)" },
};

/* One row per process (--by process). */
enum {
	PCOL_PID, PCOL_COMMAND, PCOL_USER, PCOL_OBJECTS, PCOL_FDS,
	PCOL_ALLOC, PCOL_PSS, PCOL_FLAGS, PCOL_CMDLINE, PCOL_PPID, PCOL_UID,
	PCOL_SWAP,
};

static const struct pd_column proc_cols[] = {
	[PCOL_PID] = { "PID", PD_COL_NUM, PD_COLF_DEFAULT, "process id" },
	[PCOL_COMMAND] = { "COMMAND", PD_COL_STR, PD_COLF_DEFAULT, "command (comm)" },
	[PCOL_USER] = { "USER", PD_COL_STR, PD_COLF_DEFAULT, "user name" },
	[PCOL_OBJECTS] = { "OBJECTS", PD_COL_NUM, PD_COLF_DEFAULT, "memory objects it holds" },
	[PCOL_FDS] = { "FDS", PD_COL_NUM, PD_COLF_DEFAULT, "fds it holds on them" },
	[PCOL_ALLOC] = { "ALLOC", PD_COL_SIZE, PD_COLF_DEFAULT, "allocated bytes of those objects (shared ones counted in full)" },
	[PCOL_PSS] = { "PSS", PD_COL_SIZE, PD_COLF_DEFAULT, "its PSS of the ones it maps" },
	[PCOL_FLAGS] = { "FLAGS", PD_COL_STR, PD_COLF_DEFAULT, "fileless: its exe is a memfd" },
	[PCOL_CMDLINE] = { "CMDLINE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "full command line" },
	[PCOL_PPID] = { "PPID", PD_COL_NUM, 0, "parent process id" },
	[PCOL_UID] = { "UID", PD_COL_NUM, 0, "user id" },
	[PCOL_SWAP] = { "SWAP", PD_COL_SIZE, 0, "its swapped bytes of the ones it maps" },
};

/* -s: Shmem beside what was found. */
enum {
	SCOL_PART, SCOL_BYTES, SCOL_COUNT, SCOL_IN_SHMEM, SCOL_NOTE,
};

static const struct pd_column sum_cols[] = {
	[SCOL_PART] = { "PART", PD_COL_STR, PD_COLF_DEFAULT, "what the line counts" },
	[SCOL_BYTES] = { "BYTES", PD_COL_SSIZE, PD_COLF_DEFAULT, "bytes (the remainder may be negative)" },
	[SCOL_COUNT] = { "COUNT", PD_COL_NUM, PD_COLF_DEFAULT, "objects or superblocks behind it" },
	[SCOL_IN_SHMEM] = { "IN_SHMEM", PD_COL_BOOL, PD_COLF_DEFAULT, "part of the explained Shmem" },
	[SCOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "where the number comes from" },
};

enum {
	OPT_BY = PD_OPT_TOOL,
	OPT_COMMAND,
	OPT_MIN_SIZE,
	OPT_TYPE,
	OPT_ORPHANS,
	OPT_TIMEOUT,
};

struct opts {
	struct pd_common c;
	enum view view;
	pid_t *pids;
	size_t npids;
	uid_t *uids;
	size_t nuids;
	char **comms;
	size_t ncomms;
	unsigned kinds;
	bool has_min;
	uint64_t min_size;
	bool orphans;
	unsigned timeout_ms;
};

static void usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " memfind [options]\n"
	      "\n"
	      "List memory that lives in file-like objects (memfd, SysV and\n"
	      "POSIX shared memory, tmpfs files, shared anonymous memory,\n"
	      "secretmem, dma-buf), who holds it, and where Shmem went.\n"
	      "\n"
	      "Options:\n"
	      "     --type <list>       only these kinds: memfd, secretmem, hugetlb,\n"
	      "                         sysv, posix, tmpfs, deleted-tmpfs, shared-anon, dmabuf\n"
	      " -p, --pid <list>        only objects held by these pids\n"
	      " -u, --user <list>       only objects held by these users (names or uids)\n"
	      "     --command <list>    only objects held by these commands (comm)\n"
	      "     --min-size <size>   only objects holding at least <size> (1M, 1.5G)\n"
	      "     --orphans           only SysV segments and /dev/shm files nobody holds\n"
	      "     --by <view>         object (default) or process\n"
	      " -s, --summary           Shmem of /proc/meminfo beside what was found\n"
	      "     --timeout <time>    deadline for a stat (default 3s)\n"
	      "\n"
	      "-w and -c compare the bytes the selected objects hold (ALLOC summed;\n"
	      "secretmem: RSS); with -s the unexplained Shmem (the remainder, 0 if\n"
	      "none), in bytes or as a share of Shmem (5%). Over a threshold the\n"
	      "whole report is printed.\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

static void add_kinds(struct opts *o, const char *arg)
{
	char **items;
	size_t n, i;
	int r;

	r = pd_split_list(arg, &items, &n);
	if (r == -EINVAL)
		pd_usage_error(&o->c, "--type: invalid list '%s'", arg);
	pd_check_alloc(&o->c, r);
	for (i = 0; i < n; i++) {
		enum pd_memkind k;

		if (pd_memkind_parse(items[i], &k) < 0) {
			fprintf(stderr, "%s: --type: unknown kind '%s'\n",
				o->c.tool, items[i]);
			fprintf(stderr, "Try '%s --help' for more information.\n",
				o->c.tool);
			free(items);
			exit(PD_EXIT_TROUBLE);
		}
		o->kinds |= 1u << k;
	}
	free(items);
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "command", required_argument, NULL, OPT_COMMAND },
		{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
		{ "orphans", no_argument, NULL, OPT_ORPHANS },
		{ "by", required_argument, NULL, OPT_BY },
		{ "summary", no_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	bool by = false, summary = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "p:u:s" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_TYPE:
			add_kinds(o, optarg);
			break;
		case OPT_BY:
			if (!strcmp(optarg, "object"))
				o->view = VIEW_OBJECT;
			else if (!strcmp(optarg, "process"))
				o->view = VIEW_PROCESS;
			else
				pd_usage_error(&o->c, "--by: unknown view '%s' (object, process)", optarg);
			by = true;
			break;
		case 's':
			summary = true;
			break;
		case 'p':
			pd_common_add_pids(&o->c, optarg, &o->pids, &o->npids);
			break;
		case 'u':
			pd_common_add_users(&o->c, optarg, &o->uids, &o->nuids);
			break;
		case OPT_COMMAND:
			pd_common_set_comms(&o->c, optarg, &o->comms, &o->ncomms);
			break;
		case OPT_MIN_SIZE:
			if (pd_parse_size(optarg, &o->min_size) < 0)
				pd_usage_error(&o->c, "--min-size: invalid size '%s'", optarg);
			o->has_min = true;
			break;
		case OPT_ORPHANS:
			o->orphans = true;
			break;
		case OPT_TIMEOUT:
			if (pd_parse_duration_ms(optarg, &o->timeout_ms) < 0)
				pd_usage_error(&o->c, "--timeout: invalid duration '%s'", optarg);
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (optind < argc)
		pd_usage_error(&o->c, "unexpected argument: '%s'", argv[optind]);
	if (summary && by)
		pd_usage_error(&o->c, "--summary and --by are mutually exclusive");
	if (summary)
		o->view = VIEW_SUMMARY;
	if (summary && (o->npids || o->nuids || o->ncomms ||
					o->kinds || o->has_min || o->orphans))
		pd_usage_error(&o->c, "--summary counts everything: it takes no filter");
	/* pct_ok was set for -s, which comes after -w on some lines */
	if (!summary && ((o->c.has_warn &&
			  o->c.warn.unit == PD_THRESHOLD_PERCENT) ||
			 (o->c.has_crit &&
			  o->c.crit.unit == PD_THRESHOLD_PERCENT)))
		pd_usage_error(&o->c, "a percentage threshold judges the Shmem remainder: only with -s; give a size");
}

static void sysv_cells(struct pd_row *row, const struct pd_memobj *o,
		       struct pd_users *users)
{
	const struct pd_sysvshm *s = &o->sysv;
	const char *owner;
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%08x", (unsigned)s->key);
	pd_row_set_str(row, OCOL_KEY, buf);
	pd_row_set_u64(row, OCOL_SHMID, (uint64_t)s->shmid);
	owner = pd_users_name(users, s->uid);
	if (owner)
		pd_row_set_str(row, OCOL_OWNER, owner);
	snprintf(buf, sizeof(buf), "%o", s->perms & 0777);
	pd_row_set_str(row, OCOL_PERMS, buf);
	pd_row_set_u64(row, OCOL_NATTCH, s->nattch);
	pd_row_set_u64(row, OCOL_CPID, (uint64_t)s->cpid);
	pd_row_set_u64(row, OCOL_LPID, (uint64_t)s->lpid);
}

static void obj_rows(struct opts *o, struct pd_memscan *ms,
		     struct pd_report *rep, struct pd_users *users)
{
	struct pd_strbuf pids = { 0 }, comms = { 0 }, usrs = { 0 }, fds = { 0 },
		      uids = { 0 };
	uint64_t alloc = 0, size = 0, pss = 0;
	size_t i, j, n = 0;
	struct pd_row *row;
	char buf[256];

	for (i = 0; i < pd_memscan_nobjs(ms); i++) {
		const struct pd_memobj *ob = pd_memscan_obj(ms, i);

		if (!ob->selected)
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		pids.len = comms.len = usrs.len = fds.len = uids.len = 0;
		if (pids.s)
			pids.s[0] = comms.s[0] = usrs.s[0] = fds.s[0] =
				uids.s[0] = '\0';
		for (j = 0; j < ob->nholders; j++) {
			const struct pd_deadholder *h = &ob->holders[j];
			const struct pd_memproc *p = pd_memscan_proc(ms, h->proc);

			snprintf(buf, sizeof(buf), "%d", (int)p->pid);
			pd_strbuf_add(&pids, ",", buf);
			pd_strbuf_add(&comms, ",", p->comm);
			pd_strbuf_add(&usrs, ",", p->user ? p->user : "?");
			snprintf(buf, sizeof(buf), "%u", (unsigned)p->uid);
			pd_strbuf_add(&uids, ",", buf);
			pd_deadholder_format(h, buf, sizeof(buf));
			pd_strbuf_add(&fds, ";", buf);
		}
		pd_row_set_str(row, OCOL_KIND, pd_memkind_name(ob->kind));
		if (ob->sized) {
			pd_row_set_u64(row, OCOL_SIZE, ob->size);
			size += ob->size;
		}
		if (ob->has_alloc) {
			pd_row_set_u64(row, OCOL_ALLOC, ob->alloc);
			alloc += ob->alloc;
		}
		if (ob->mapped) {
			pd_row_set_u64(row, OCOL_RSS, ob->rss);
			pd_row_set_u64(row, OCOL_SWAP, ob->swap);
		}
		if (ob->mapped && (ob->nholders || !ob->has_sysv)) {
			pd_row_set_u64(row, OCOL_PSS, ob->pss);
			pss += ob->pss;
		}
		pd_row_set_u64(row, OCOL_HOLDERS, ob->nholders);
		pd_row_set_str(row, OCOL_PIDS, ob->nholders ? pids.s : "");
		pd_row_set_str(row, OCOL_COMMANDS, ob->nholders ? comms.s : "");
		pd_row_set_str(row, OCOL_USERS, ob->nholders ? usrs.s : "");
		pd_row_set_str(row, OCOL_UIDS, ob->nholders ? uids.s : "");
		pd_row_set_str(row, OCOL_FD, ob->nholders ? fds.s : "");
		if (ob->has_seals) {
			pd_memseals_format(ob->seals, buf, sizeof(buf));
			pd_row_set_str(row, OCOL_SEALS, buf);
		}
		pd_memflags_format(ob->flags, buf, sizeof(buf));
		pd_row_set_str(row, OCOL_FLAGS, buf);
		pd_row_set_strn(row, OCOL_PATH, ob->path, ob->path_len);
		if (ob->mount)
			pd_row_set_str(row, OCOL_MOUNT, ob->mount);
		if (ob->dev || ob->kind != PD_MEM_SYSV)
			pd_row_set_dev(row, OCOL_DEV, ob->dev);
		pd_row_set_u64(row, OCOL_INODE, (uint64_t)ob->ino);
		if (ob->has_sysv)
			sysv_cells(row, ob, users);
		if (ob->exporter)
			pd_row_set_str(row, OCOL_EXPORTER, ob->exporter);
		n++;
	}
	if (n) {
		pd_check_alloc(&o->c, pd_report_total_row(rep, &row));
		pd_row_set_u64(row, OCOL_SIZE, size);
		pd_row_set_u64(row, OCOL_ALLOC, alloc);
		pd_row_set_u64(row, OCOL_PSS, pss);
		snprintf(buf, sizeof(buf), "%s%zu object%s",
			 pd_report_first_column(rep) == OCOL_PATH ? "total: " : "",
			 n, n == 1 ? "" : "s");
		pd_row_set_str(row, OCOL_PATH, buf);
	}
	free(pids.s);
	free(comms.s);
	free(usrs.s);
	free(uids.s);
	free(fds.s);
}

static void proc_rows(struct opts *o, struct pd_memscan *ms,
		      struct pd_report *rep)
{
	uint64_t pss = 0;
	size_t i, n = 0;
	struct pd_row *row;

	for (i = 0; i < pd_memscan_nprocs(ms); i++) {
		const struct pd_memproc *p = pd_memscan_proc(ms, i);

		if (!p->selected)
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		pd_row_set_u64(row, PCOL_PID, (uint64_t)p->pid);
		pd_row_set_u64(row, PCOL_PPID, (uint64_t)p->ppid);
		pd_row_set_str(row, PCOL_COMMAND, p->comm);
		if (p->user)
			pd_row_set_str(row, PCOL_USER, p->user);
		pd_row_set_u64(row, PCOL_UID, (uint64_t)p->uid);
		pd_row_set_u64(row, PCOL_OBJECTS, p->objects);
		pd_row_set_u64(row, PCOL_FDS, p->fds);
		pd_row_set_u64(row, PCOL_ALLOC, p->alloc);
		pd_row_set_u64(row, PCOL_PSS, p->pss);
		pd_row_set_u64(row, PCOL_SWAP, p->swap);
		pd_row_set_str(row, PCOL_FLAGS, p->fileless ? "fileless" : "");
		if (p->cmdline)
			pd_row_set_str(row, PCOL_CMDLINE, p->cmdline);
		pss += p->pss;
		n++;
	}
	if (n) {
		pd_check_alloc(&o->c, pd_report_total_row(rep, &row));
		pd_row_set_u64(row, PCOL_PSS, pss);
	}
}

static void sum_row(struct opts *o, struct pd_report *rep, const char *part,
		    bool known, int64_t bytes, long count, int in_shmem,
		    const char *note)
{
	struct pd_row *row;

	pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
	pd_row_set_str(row, SCOL_PART, part);
	if (known)
		pd_row_set_s64(row, SCOL_BYTES, bytes);
	if (count >= 0)
		pd_row_set_u64(row, SCOL_COUNT, (uint64_t)count);
	if (in_shmem >= 0)
		pd_row_set_bool(row, SCOL_IN_SHMEM, in_shmem);
	pd_row_set_str(row, SCOL_NOTE, note);
}

static void summary_rows(struct opts *o, struct pd_memscan *ms,
			 struct pd_report *rep)
{
	size_t counts[PD_MEM_NKINDS] = { 0 }, i;
	struct pd_memsummary s;
	char note[256];

	pd_memscan_summary(ms, &s);
	for (i = 0; i < pd_memscan_nobjs(ms); i++)
		counts[pd_memscan_obj(ms, i)->kind]++;
	sum_row(o, rep, "Shmem", s.has_shmem, (int64_t)s.shmem, -1, -1,
		"/proc/meminfo Shmem: resident shmem pages (NR_SHMEM)");
	snprintf(note, sizeof(note), "used bytes of every tmpfs and devtmpfs superblock, once each%s",
		 s.tmpfs_unknown ? "; some without a count: their files' sum" : "");
	sum_row(o, rep, "tmpfs", true, (int64_t)s.tmpfs, s.tmpfs_sbs, 1, note);
	sum_row(o, rep, "deleted-tmpfs", true, (int64_t)s.deleted_tmpfs,
		(long)counts[PD_MEM_DELETED_TMPFS], 0,
		"unlinked tmpfs files still held: inside the tmpfs line already");
	sum_row(o, rep, "memfd", true, (int64_t)s.memfd,
		(long)counts[PD_MEM_MEMFD], 1, "memfd allocated bytes");
	sum_row(o, rep, "sysv", true, (int64_t)s.sysv_rss,
		(long)counts[PD_MEM_SYSV], 1,
		"SysV resident bytes (/proc/sysvipc/shm rss)");
	sum_row(o, rep, "sysv-swap", true, (int64_t)s.sysv_swap,
		(long)counts[PD_MEM_SYSV], 0,
		"SysV swapped bytes: swapped pages leave Shmem");
	sum_row(o, rep, "shared-anon", true, (int64_t)s.shared_anon,
		(long)counts[PD_MEM_SHARED_ANON], 1,
		"MAP_SHARED|MAP_ANONYMOUS allocated bytes");
	sum_row(o, rep, "explained", true, (int64_t)s.explained, -1, -1,
		"tmpfs + memfd + sysv + shared-anon");
	sum_row(o, rep, "remainder", s.has_shmem, s.remainder, -1, -1,
		"Shmem - explained: DRM/GPU buffers (GEM), fds in flight in "
		"unix sockets, objects of processes or namespaces not visible");
	sum_row(o, rep, "hugetlb", true, (int64_t)s.hugetlb,
		(long)counts[PD_MEM_HUGETLB], 0,
		"hugetlb memfds: in Hugetlb, not in Shmem");
	sum_row(o, rep, "secretmem", true, (int64_t)s.secretmem,
		(long)counts[PD_MEM_SECRETMEM], 0,
		"memfd_secret resident bytes mapped: in Mlocked, not in Shmem");
	sum_row(o, rep, "dmabuf", true, (int64_t)s.dmabuf,
		(long)counts[PD_MEM_DMABUF], 0,
		"dma-buf sizes: exporter memory, not in Shmem (unless shmem-backed)");
	if (s.unsized)
		pd_warn(&o->c, "%u objects have no known size (map_files/ needs CAP_SYS_ADMIN); the explained part is short of them",
			s.unsized);
}

/* What an object counts for in the headline figure and the metrics: its
 * ALLOC; secretmem keeps no block count, so what its holders map. */
static bool obj_bytes(const struct pd_memobj *ob, uint64_t *ret)
{
	if (ob->has_alloc) {
		*ret = ob->alloc;
		return true;
	}
	*ret = ob->kind == PD_MEM_SECRETMEM && ob->mapped ? ob->rss : 0;
	return ob->kind == PD_MEM_SECRETMEM;
}

/* Could an unreachable tmpfs hide objects the selection would list? */
static bool tmpfs_hidden(const struct opts *o, const struct pd_memscan *ms)
{
	const struct pd_memscan_gaps *g = pd_memscan_gaps(ms);
	const unsigned tmpfs_kinds = 1u << PD_MEM_POSIX | 1u << PD_MEM_TMPFS;

	if (!g->hidden_sbs && !g->unreadable_dirs)
		return false;
	/* files nobody holds pass only without a process filter */
	if (o->npids || o->nuids || o->ncomms)
		return false;
	return !o->kinds || (o->kinds & tmpfs_kinds);
}

/* The headline of the object and process views: the bytes the selected
 * objects (the rows of the object view) hold. */
static void health_objects(const struct opts *o, const struct pd_memscan *ms,
			   struct pd_health *h, struct pd_figure *f)
{
	size_t i, objs = 0, unknown = 0, len;
	char size[32];

	for (i = 0; i < pd_memscan_nobjs(ms); i++) {
		const struct pd_memobj *ob = pd_memscan_obj(ms, i);
		uint64_t b;

		if (!ob->selected)
			continue;
		objs++;
		if (obj_bytes(ob, &b))
			f->bytes += b;
		else
			unknown++;
	}
	f->partial = unknown > 0 || tmpfs_hidden(o, ms);
	h->perf = "object_bytes";
	pd_health_eval(&o->c, h);
	pd_health_size(f->bytes, size, sizeof(size));
	len = (size_t)snprintf(h->text, sizeof(h->text),
			       "%zu memory object%s hold%s %s%s", objs,
			       objs == 1 ? "" : "s", objs == 1 ? "s" : "",
			       f->partial ? "at least " : "", size);
	if (unknown && len < sizeof(h->text))
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					" (%zu of unknown size: run as root)",
					unknown);
	if (tmpfs_hidden(o, ms) && len < sizeof(h->text))
		snprintf(h->text + len, sizeof(h->text) - len,
			 " (a tmpfs could not be fully read)");
}

/* The headline of -s: the Shmem nobody explains (the remainder, 0 when
 * what was found covers it), in bytes and as a share of Shmem. */
static void health_summary(const struct opts *o, const struct pd_memscan *ms,
			   struct pd_health *h, struct pd_figure *f)
{
	struct pd_memsummary s;
	char size[32], shmem[32], pct[32];
	size_t i, unreached = 0;

	pd_memscan_summary(ms, &s);
	h->perf = "unexplained_bytes";
	h->perf_pct = "unexplained_share";
	if (!s.has_shmem) {
		/* no figure at all: UNKNOWN, and no performance data */
		h->nfigs = 0;
		h->unknown = true;
		pd_health_eval(&o->c, h);
		snprintf(h->text, sizeof(h->text),
			 "no Shmem in meminfo: nothing to explain");
		return;
	}
	f->bytes = s.remainder > 0 ? (uint64_t)s.remainder : 0;
	f->has_pct = true;
	f->pct = s.shmem ? (int64_t)((unsigned __int128)f->bytes * 100 *
				     PD_THRESHOLD_PCT_SCALE / s.shmem) : 0;
	for (i = 0; i < pd_memscan_nsbs(ms); i++) {
		const struct pd_memsb *sb = pd_memscan_sb(ms, i);

		unreached += !sb->has_used && !sb->walked;
	}
	pd_health_eval(&o->c, h);
	if ((s.unsized || unreached) && pd_common_has_threshold(&o->c)) {
		/* objects of unknown size, a tmpfs with neither a count nor
		 * a walk: the explained part is short of them, so the
		 * remainder is too high by an unknown amount; neither an
		 * alert nor silence would be proven */
		f->status = h->status = PD_STATUS_UNKNOWN;
		h->nwarn = h->ncrit = 0;
	}
	pd_health_size(f->bytes, size, sizeof(size));
	pd_health_size(s.shmem, shmem, sizeof(shmem));
	pd_threshold_format_pct(f->pct, pct, sizeof(pct));
	if (s.remainder < 0) {
		char over[32];

		pd_health_size((uint64_t)-s.remainder, over, sizeof(over));
		snprintf(h->text, sizeof(h->text), "Shmem %s all explained "
			 "(the objects found hold %s more)", shmem, over);
	} else {
		snprintf(h->text, sizeof(h->text), "%s of Shmem %s "
			 "unexplained (%s%%)", size, shmem, pct);
	}
	if (s.unsized)
		snprintf(h->text + strlen(h->text),
			 sizeof(h->text) - strlen(h->text),
			 " (%u object%s of unknown size: run as root)",
			 s.unsized, s.unsized == 1 ? "" : "s");
	if (unreached)
		snprintf(h->text + strlen(h->text),
			 sizeof(h->text) - strlen(h->text),
			 " (%zu tmpfs not reached: not in the explained part)",
			 unreached);
}

static void health(const struct opts *o, const struct pd_memscan *ms,
		   struct pd_health *h, struct pd_figure *f)
{
	memset(f, 0, sizeof(*f));
	h->figs = f;
	h->nfigs = 1;
	if (o->view == VIEW_SUMMARY)
		health_summary(o, ms, h, f);
	else
		health_objects(o, ms, h, f);
}

/* --prom-file: per kind (a bounded label) over the selected objects, the
 * Shmem reconciliation by part, orphans; never pids or paths. */
static void prom(const struct opts *o, const struct pd_memscan *ms)
{
	static const struct {
		const char *what, *help;
	} fam[] = {
		{ "objects", "memory objects listed, by kind" },
		{ "allocated_bytes", "bytes the listed objects hold (ALLOC: st_blocks*512, SysV rss+swap; secretmem: bytes mapped), by kind" },
		{ "resident_bytes", "resident bytes the listed objects have mapped (RSS), by kind" },
	};
	uint64_t v[3][PD_MEM_NKINDS] = { { 0 } }, orphans = 0, orphan_bytes = 0;
	const struct pd_memscan_gaps *g = pd_memscan_gaps(ms);
	const struct pd_scanstats *st = pd_memscan_stats(ms);
	struct pd_prom *p = pd_common_prom_new(&o->c);
	unsigned unknown = 0;
	struct pd_memsummary s;
	size_t i, k;

	if (!p)
		return;
	for (i = 0; i < pd_memscan_nobjs(ms); i++) {
		const struct pd_memobj *ob = pd_memscan_obj(ms, i);
		uint64_t b;

		if (!ob->selected)
			continue;
		v[0][ob->kind]++;
		if (!obj_bytes(ob, &b))
			unknown++;
		v[1][ob->kind] += b;
		if (ob->mapped)
			v[2][ob->kind] += ob->rss;
		if (ob->flags & PD_MEMF_ORPHAN) {
			orphans++;
			orphan_bytes += b;
		}
	}
	for (k = 0; k < sizeof(fam) / sizeof(fam[0]); k++) {
		pd_common_prom_family(&o->c, p, fam[k].what, PD_PROM_GAUGE,
				      fam[k].help);
		for (i = 0; i < PD_MEM_NKINDS; i++) {
			struct pd_prom_label l[] = {
				{ "kind", pd_memkind_name((enum pd_memkind)i) },
			};

			pd_common_prom_u64(&o->c, p, l, 1, v[k][i]);
		}
	}
	pd_common_prom_family(&o->c, p, "orphan_objects", PD_PROM_GAUGE,
			      "listed SysV segments and /dev/shm files that no "
			      "process holds");
	pd_common_prom_u64(&o->c, p, NULL, 0, orphans);
	pd_common_prom_family(&o->c, p, "orphan_bytes", PD_PROM_GAUGE,
			      "bytes those orphans hold");
	pd_common_prom_u64(&o->c, p, NULL, 0, orphan_bytes);

	pd_memscan_summary(ms, &s);
	if (s.has_shmem) {
		static const char *const parts[] = {
			"tmpfs", "memfd", "sysv", "shared-anon",
		};
		static const char *const outside[] = {
			"sysv-swap", "hugetlb", "secretmem", "dmabuf",
		};
		const uint64_t pv[] = { s.tmpfs, s.memfd, s.sysv_rss,
					s.shared_anon };
		const uint64_t ov[] = { s.sysv_swap, s.hugetlb, s.secretmem,
					s.dmabuf };

		pd_common_prom_family(&o->c, p, "shmem_bytes", PD_PROM_GAUGE,
				      "Shmem of /proc/meminfo");
		pd_common_prom_u64(&o->c, p, NULL, 0, s.shmem);
		pd_common_prom_family(&o->c, p, "shmem_explained_bytes",
				      PD_PROM_GAUGE, "the parts of Shmem "
				      "found, of every object (as -s): they "
				      "sum to the explained Shmem");
		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
			struct pd_prom_label l[] = { { "part", parts[i] } };

			pd_common_prom_u64(&o->c, p, l, 1, pv[i]);
		}
		pd_common_prom_family(&o->c, p, "shmem_unexplained_bytes",
				      PD_PROM_GAUGE, "Shmem minus the explained "
				      "parts, 0 when they cover it (the figure "
				      "-s judges)");
		pd_common_prom_u64(&o->c, p, NULL, 0,
				   s.remainder > 0 ? (uint64_t)s.remainder : 0);
		pd_common_prom_family(&o->c, p, "outside_shmem_bytes",
				      PD_PROM_GAUGE, "memory of these objects "
				      "that Shmem does not count, by part");
		for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
			struct pd_prom_label l[] = { { "part", outside[i] } };

			pd_common_prom_u64(&o->c, p, l, 1, ov[i]);
		}
	}
	pd_common_prom_family(&o->c, p, "unreadable_processes", PD_PROM_GAUGE,
			      "processes the scan could not read: the figures "
			      "are a lower bound when not 0");
	pd_common_prom_u64(&o->c, p, NULL, 0, st->denied + st->failed);
	pd_common_prom_family(&o->c, p, "unknown_size_objects", PD_PROM_GAUGE,
			      "listed objects whose size could not be had "
			      "(map_files/ needs CAP_SYS_ADMIN): not in "
			      "allocated_bytes");
	pd_common_prom_u64(&o->c, p, NULL, 0, unknown);
	pd_common_prom_family(&o->c, p, "unreachable_tmpfs", PD_PROM_GAUGE,
			      "tmpfs file systems that could not be reached: "
			      "their files are not listed");
	pd_common_prom_u64(&o->c, p, NULL, 0, g->hidden_sbs);
	pd_common_prom_write(&o->c, p);
}

static void warn_gaps(const struct opts *o, const struct pd_memscan *ms)
{
	const struct pd_memscan_gaps *g = pd_memscan_gaps(ms);

	pd_warn_scanstats(&o->c, pd_memscan_stats(ms));
	if (g->unverified_maps)
		pd_warn(&o->c, "%u objects held only by a memory mapping could "
			"not be stat'ed (map_files/ needs CAP_SYS_ADMIN); their "
			"size is unknown; run as root for a complete view",
			g->unverified_maps);
	if (g->hidden_sbs)
		pd_warn(&o->c, "%u tmpfs file systems could not be reached "
			"(covered by another mount, or denied); their files are "
			"not listed", g->hidden_sbs);
	if (g->unreadable_dirs)
		pd_warn(&o->c, "%u tmpfs directories could not be read",
			g->unreadable_dirs);
	if (g->no_sysvipc)
		pd_warn(&o->c, "cannot read sysvipc/shm: SysV segments are "
			"found only where mapped");
	if (g->bad_sysv_lines)
		pd_warn(&o->c, "%u lines of sysvipc/shm could not be parsed",
			g->bad_sysv_lines);
}

int main(int argc, char **argv)
{
	static const struct {
		const struct pd_column *cols;
		size_t n;
		const char *env;
	} views[] = {
		[VIEW_OBJECT] = { obj_cols, sizeof(obj_cols) / sizeof(obj_cols[0]), "MEMFIND_COLUMNS" },
		[VIEW_PROCESS] = { proc_cols, sizeof(proc_cols) / sizeof(proc_cols[0]), "MEMFIND_PROCESS_COLUMNS" },
		[VIEW_SUMMARY] = { sum_cols, sizeof(sum_cols) / sizeof(sum_cols[0]), "MEMFIND_SUMMARY_COLUMNS" },
	};
	struct pd_memscan_opts mopts = { 0 };
	struct pd_memfilter flt = { 0 };
	struct pd_memscan *ms = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_report *rep = NULL;
	struct pd_users *users = NULL;
	struct opts o = { .timeout_ms = 3000 };
	struct pd_health h = { 0 };
	struct pd_figure fig;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "memfind");
	/* -s has a percentage: the remainder's share of Shmem (checked
	 * against the view once the options are parsed) */
	o.c.pct_ok = true;
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	parse_args(&o, argc, argv);

	pd_check_alloc(&o.c, pd_report_new("memfind", views[o.view].cols,
					   views[o.view].n, &rep));
	pd_common_columns(&o.c, rep, views[o.view].env);
	if (o.c.help) {
		usage(&o, rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, rep))
		goto out;

	pfs = pd_common_procfs(&o.c);
	pd_check_alloc(&o.c, pd_users_new(&users));
	mopts.timeout_ms = o.timeout_ms;
	pd_check_alloc(&o.c, pd_memscan_new(pfs, &mopts, &ms));
	r = pd_memscan_run(ms);
	if (r < 0)
		pd_die(&o.c, "cannot scan %s: %s", pd_procfs_root(pfs),
		       strerror(-r));

	flt.pids = o.pids;
	flt.npids = o.npids;
	flt.uids = o.uids;
	flt.nuids = o.nuids;
	flt.comms = (const char *const *)o.comms;
	flt.ncomms = o.ncomms;
	flt.kinds = o.kinds;
	flt.kinds_given = o.kinds != 0;
	flt.has_min = o.has_min;
	flt.min_size = o.min_size;
	flt.orphans = o.orphans;
	pd_check_alloc(&o.c, pd_memscan_select(ms, &flt));
	health(&o, ms, &h, &fig);
	warn_gaps(&o, ms);
	prom(&o, ms);
	if (o.c.check)
		pd_health_check_exit(&o.c, &h);
	if (pd_health_report_wanted(&o.c, &h)) {
		if (o.view == VIEW_OBJECT)
			obj_rows(&o, ms, rep, users);
		else if (o.view == VIEW_PROCESS)
			proc_rows(&o, ms, rep);
		else
			summary_rows(&o, ms, rep);
		/* the summary keeps its own order: Shmem, parts, remainder */
		pd_common_print(&o.c, rep,
				o.view == VIEW_SUMMARY ? NULL : "ALLOC");
	}
	rc = pd_health_exit_code(&o.c, &h);

out:
	pd_memscan_free(ms);
	pd_users_free(users);
	pd_procfs_free(pfs);
	pd_report_free(rep);
	free(o.pids);
	free(o.uids);
	free(o.comms);
	return rc;
}
