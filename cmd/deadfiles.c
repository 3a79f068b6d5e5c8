/* SPDX-License-Identifier: GPL-2.0-or-later */
/* deadfiles: which processes hold deleted-but-open files, and how much
 * space comes back when they let go. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cli.h"
#include "common.h"
#include "deadscan.h"
#include "names.h"
#include "users.h"

enum view { VIEW_FILE, VIEW_PROCESS, VIEW_MOUNT };

/* One row per deleted file. */
enum {
	FCOL_PIDS, FCOL_COMMANDS, FCOL_USERS, FCOL_FD, FCOL_HOLDERS,
	FCOL_ALLOC, FCOL_SIZE, FCOL_RAM, FCOL_MOUNT, FCOL_PATH,
	FCOL_FSTYPE, FCOL_DEV, FCOL_INODE, FCOL_MNT_ID, FCOL_TYPE,
	FCOL_STATE, FCOL_UIDS, FCOL_CONTAINERS, FCOL_PODS,
};

static const struct pd_column file_cols[] = {
	[FCOL_PIDS] = { "PIDS", PD_COL_STR, PD_COLF_DEFAULT, "pids of the holders, comma-separated" },
	[FCOL_COMMANDS] = { "COMMANDS", PD_COL_STR, PD_COLF_DEFAULT, "commands (comm) of the holders" },
	[FCOL_USERS] = { "USERS", PD_COL_STR, PD_COLF_DEFAULT, "user names of the holders" },
	[FCOL_FD] = { "FD", PD_COL_STR, PD_COLF_DEFAULT, "how each holder holds it: fds, mem, cwd, root, exe; ';' between holders" },
	[FCOL_HOLDERS] = { "HOLDERS", PD_COL_NUM, PD_COLF_DEFAULT, "number of processes holding it" },
	[FCOL_ALLOC] = { "ALLOC", PD_COL_SIZE, PD_COLF_DEFAULT, "allocated bytes (st_blocks*512): what df gets back" },
	[FCOL_SIZE] = { "SIZE", PD_COL_SIZE, PD_COLF_DEFAULT, "apparent size (st_size)" },
	[FCOL_RAM] = { "RAM", PD_COL_BOOL, PD_COLF_DEFAULT, "on tmpfs/ramfs: the space is memory" },
	[FCOL_MOUNT] = { "MOUNT", PD_COL_STR, PD_COLF_DEFAULT, "mount point of its file system" },
	[FCOL_PATH] = { "PATH", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "path it had, without \" (deleted)\"" },
	[FCOL_FSTYPE] = { "FSTYPE", PD_COL_STR, 0, "file system type" },
	[FCOL_DEV] = { "DEV", PD_COL_STR, 0, "device number MAJ:MIN" },
	[FCOL_INODE] = { "INODE", PD_COL_NUM, 0, "inode number" },
	[FCOL_MNT_ID] = { "MNT_ID", PD_COL_NUM, 0, "mount id (fdinfo mnt_id)" },
	[FCOL_TYPE] = { "TYPE", PD_COL_STR, 0, "file type: REG, DIR, FIFO, SOCK, CHR, BLK, LNK" },
	[FCOL_STATE] = { "STATE", PD_COL_STR, 0, "deleted, nfs-silly (NFS .nfsXXXX rename), timeout (size unknown)" },
	[FCOL_UIDS] = { "UIDS", PD_COL_STR, 0, "uids of the holders" },
	[FCOL_CONTAINERS] = { "CONTAINERS", PD_COL_STR, 0, "containers of the holders (runtime:name or short id), each once" },
	[FCOL_PODS] = { "PODS", PD_COL_STR, 0, "Kubernetes pods of the holders (namespace/name or uid), each once" },
};

/* One row per process (--by process). */
enum {
	PCOL_PID, PCOL_COMMAND, PCOL_USER, PCOL_FILES, PCOL_ALLOC,
	PCOL_FREEABLE, PCOL_UNIT, PCOL_CMDLINE, PCOL_PPID, PCOL_UID,
	PCOL_SIZE, PCOL_SOLE_FILES, PCOL_CGROUP, PCOL_CONTAINER, PCOL_POD,
};

static const struct pd_column proc_cols[] = {
	[PCOL_PID] = { "PID", PD_COL_NUM, PD_COLF_DEFAULT, "process id" },
	[PCOL_COMMAND] = { "COMMAND", PD_COL_STR, PD_COLF_DEFAULT, "command (comm)" },
	[PCOL_USER] = { "USER", PD_COL_STR, PD_COLF_DEFAULT, "user name" },
	[PCOL_FILES] = { "FILES", PD_COL_NUM, PD_COLF_DEFAULT, "deleted files it holds" },
	[PCOL_ALLOC] = { "ALLOC", PD_COL_SIZE, PD_COLF_DEFAULT, "allocated bytes of those files" },
	[PCOL_FREEABLE] = { "FREEABLE", PD_COL_SIZE, PD_COLF_DEFAULT, "bytes freed if this process alone exits (files only it holds)" },
	[PCOL_UNIT] = { "UNIT", PD_COL_STR, PD_COLF_DEFAULT, "systemd unit from the cgroup path" },
	[PCOL_CMDLINE] = { "CMDLINE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "full command line" },
	[PCOL_PPID] = { "PPID", PD_COL_NUM, 0, "parent process id" },
	[PCOL_UID] = { "UID", PD_COL_NUM, 0, "user id" },
	[PCOL_SIZE] = { "SIZE", PD_COL_SIZE, 0, "apparent size of those files" },
	[PCOL_SOLE_FILES] = { "SOLE_FILES", PD_COL_NUM, 0, "files no other process holds" },
	[PCOL_CGROUP] = { "CGROUP", PD_COL_STR, 0, "cgroup path" },
	[PCOL_CONTAINER] = { "CONTAINER", PD_COL_STR, 0, "container: runtime:name (or short id)" },
	[PCOL_POD] = { "POD", PD_COL_STR, 0, "Kubernetes pod: namespace/name (or uid)" },
};

/* One row per file system (--by mount). */
enum {
	MCOL_FSTYPE, MCOL_FILES, MCOL_ALLOC, MCOL_SIZE, MCOL_HOLDERS,
	MCOL_RAM, MCOL_MOUNT, MCOL_DEV,
};

static const struct pd_column mount_cols[] = {
	[MCOL_FSTYPE] = { "FSTYPE", PD_COL_STR, PD_COLF_DEFAULT, "file system type" },
	[MCOL_FILES] = { "FILES", PD_COL_NUM, PD_COLF_DEFAULT, "deleted files still held" },
	[MCOL_ALLOC] = { "ALLOC", PD_COL_SIZE, PD_COLF_DEFAULT, "allocated bytes they pin: the df-minus-du share" },
	[MCOL_SIZE] = { "SIZE", PD_COL_SIZE, PD_COLF_DEFAULT, "their apparent size" },
	[MCOL_HOLDERS] = { "HOLDERS", PD_COL_NUM, PD_COLF_DEFAULT, "processes holding them" },
	[MCOL_RAM] = { "RAM", PD_COL_BOOL, PD_COLF_DEFAULT, "tmpfs/ramfs: the space is memory" },
	[MCOL_MOUNT] = { "MOUNT", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "mount point" },
	[MCOL_DEV] = { "DEV", PD_COL_STR, 0, "device number MAJ:MIN" },
};

enum {
	OPT_BY = PD_OPT_TOOL,
	OPT_COMMAND,
	OPT_MIN_SIZE,
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
	const char *mount;
	uint64_t min_size;
	unsigned timeout_ms;
};

static void usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " deadfiles [options]\n"
	      "\n"
	      "List deleted files that processes still hold open, mapped, or as\n"
	      "their cwd, root or exe, and the space each one pins.\n"
	      "\n"
	      "Options:\n"
	      "     --by <view>         file (default), process or mount\n"
	      " -p, --pid <list>        only files held by these pids\n"
	      " -u, --user <list>       only files held by these users (names or uids)\n"
	      "     --command <list>    only files held by these commands (comm; a\n"
	      "                           longer name: its exe or argv[0])\n"
	      " -m, --mount <path>      only files on the file system holding <path>\n"
	      "     --min-size <size>   only files allocating at least <size> (100M, 1.5G)\n"
	      "     --timeout <time>    deadline for a stat on NFS/FUSE (default 3s)\n"
	      PD_NAMES_USAGE
	      "\n"
	      "-w and -c compare the bytes the selected deleted files allocate (ALLOC\n"
	      "summed); over a threshold the whole report is printed.\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, OPT_BY },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "command", required_argument, NULL, OPT_COMMAND },
		{ "mount", required_argument, NULL, 'm' },
		{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		PD_NAMES_LONGOPT,
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "p:u:m:" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_BY:
			if (!strcmp(optarg, "file"))
				o->view = VIEW_FILE;
			else if (!strcmp(optarg, "process"))
				o->view = VIEW_PROCESS;
			else if (!strcmp(optarg, "mount"))
				o->view = VIEW_MOUNT;
			else
				pd_usage_error(&o->c, "--by: unknown view '%s' (file, process, mount)", optarg);
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
		case 'm':
			o->mount = optarg;
			break;
		case OPT_MIN_SIZE:
			if (pd_parse_size(optarg, &o->min_size) < 0)
				pd_usage_error(&o->c, "--min-size: invalid size '%s'", optarg);
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
}

static const char *type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "REG";
	case S_IFDIR: return "DIR";
	case S_IFIFO: return "FIFO";
	case S_IFSOCK: return "SOCK";
	case S_IFCHR: return "CHR";
	case S_IFBLK: return "BLK";
	case S_IFLNK: return "LNK";
	}
	return "?";
}

/* NAMES: for the container and pod columns, NULL when none is shown. */
static void file_rows(struct opts *o, struct pd_deadscan *ds,
		      struct pd_names *names, struct pd_report *rep)
{
	struct pd_strbuf pids = { 0 }, comms = { 0 }, users = { 0 }, fds = { 0 },
		      uids = { 0 }, ctrs = { 0 }, pods = { 0 };
	uint64_t alloc = 0, size = 0;
	size_t i, j, nfiles = 0, nprocs = 0;
	struct pd_row *row;
	char num[64];

	for (i = 0; i < pd_deadscan_nprocs(ds); i++)
		nprocs += pd_deadscan_proc(ds, i)->selected;
	for (i = 0; i < pd_deadscan_nfiles(ds); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(ds, i);

		if (!f->selected)
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		pids.len = comms.len = users.len = fds.len = uids.len = 0;
		ctrs.len = pods.len = 0;
		for (j = 0; j < f->nholders; j++) {
			const struct pd_holder *h = &f->holders[j];
			const struct pd_deadproc *p = pd_deadscan_proc(ds, h->proc);
			char how[256];

			snprintf(num, sizeof(num), "%d", (int)p->proc.pid);
			pd_strbuf_add(&pids, ",", num);
			pd_strbuf_add(&comms, ",", p->proc.comm);
			pd_strbuf_add(&users, ",", p->user ? p->user : "?");
			snprintf(num, sizeof(num), "%u", (unsigned)p->proc.status.uid);
			pd_strbuf_add(&uids, ",", num);
			pd_holder_format(h, how, sizeof(how));
			pd_strbuf_add(&fds, ";", how);
			if (names) {
				struct pd_cgname nm;

				pd_names_lookup(names, p->proc.cgroup, false, &nm);
				pd_names_list_add(&ctrs, &pods, &nm);
			}
		}
		if (ctrs.len)
			pd_row_set_str(row, FCOL_CONTAINERS, ctrs.s);
		if (pods.len)
			pd_row_set_str(row, FCOL_PODS, pods.s);
		pd_row_set_str(row, FCOL_PIDS, pids.s);
		pd_row_set_str(row, FCOL_COMMANDS, comms.s);
		pd_row_set_str(row, FCOL_USERS, users.s);
		pd_row_set_str(row, FCOL_UIDS, uids.s);
		pd_row_set_str(row, FCOL_FD, fds.s);
		pd_row_set_u64(row, FCOL_HOLDERS, f->nholders);
		if (f->sized) {
			pd_row_set_u64(row, FCOL_ALLOC, f->alloc);
			pd_row_set_u64(row, FCOL_SIZE, f->size);
			pd_row_set_str(row, FCOL_TYPE, type_name(f->mode));
			alloc += f->alloc;
			size += f->size;
		}
		pd_row_set_bool(row, FCOL_RAM, f->ram);
		if (f->mount)
			pd_row_set_str(row, FCOL_MOUNT, f->mount);
		if (f->fstype)
			pd_row_set_str(row, FCOL_FSTYPE, f->fstype);
		pd_row_set_strn(row, FCOL_PATH, f->path, f->path_len);
		pd_row_set_dev(row, FCOL_DEV, f->dev);
		if (f->ino)
			pd_row_set_u64(row, FCOL_INODE, (uint64_t)f->ino);
		if (f->mnt_id >= 0)
			pd_row_set_u64(row, FCOL_MNT_ID, (uint64_t)f->mnt_id);
		pd_row_set_str(row, FCOL_STATE, f->timed_out ? "timeout" :
			       f->nfs_silly ? "nfs-silly" : "deleted");
		nfiles++;
	}
	if (nfiles) {
		pd_check_alloc(&o->c, pd_report_total_row(rep, &row));
		pd_row_set_u64(row, FCOL_ALLOC, alloc);
		pd_row_set_u64(row, FCOL_SIZE, size);
		pd_row_set_u64(row, FCOL_HOLDERS, nprocs);
		/* PATH first (-o PATH,...) would hide the word "total" */
		snprintf(num, sizeof(num), "%s%zu file%s",
			 pd_report_first_column(rep) == FCOL_PATH ? "total: " : "",
			 nfiles, nfiles == 1 ? "" : "s");
		pd_row_set_str(row, FCOL_PATH, num);
	}
	free(pids.s);
	free(comms.s);
	free(users.s);
	free(uids.s);
	free(fds.s);
	free(ctrs.s);
	free(pods.s);
}

static void proc_rows(struct opts *o, struct pd_deadscan *ds,
		      struct pd_names *names, struct pd_report *rep)
{
	uint64_t alloc = 0, freeable = 0, size = 0;
	size_t i, n = 0, files = 0;
	struct pd_row *row;

	for (i = 0; i < pd_deadscan_nprocs(ds); i++) {
		const struct pd_deadproc *p = pd_deadscan_proc(ds, i);

		if (!p->selected)
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		pd_row_set_u64(row, PCOL_PID, (uint64_t)p->proc.pid);
		pd_row_set_u64(row, PCOL_PPID, (uint64_t)p->proc.ppid);
		pd_row_set_str(row, PCOL_COMMAND, p->proc.comm);
		if (p->user)
			pd_row_set_str(row, PCOL_USER, p->user);
		pd_row_set_u64(row, PCOL_UID, (uint64_t)p->proc.status.uid);
		pd_row_set_u64(row, PCOL_FILES, p->files);
		pd_row_set_u64(row, PCOL_ALLOC, p->alloc);
		pd_row_set_u64(row, PCOL_SIZE, p->size);
		pd_row_set_u64(row, PCOL_FREEABLE, p->sole_alloc);
		pd_row_set_u64(row, PCOL_SOLE_FILES, p->sole_files);
		if (p->proc.unit)
			pd_row_set_str(row, PCOL_UNIT, p->proc.unit);
		if (p->proc.cgroup)
			pd_row_set_str(row, PCOL_CGROUP, p->proc.cgroup);
		if (names) {
			struct pd_cgname nm;

			pd_names_lookup(names, p->proc.cgroup, false, &nm);
			pd_names_set(&o->c, row, PCOL_CONTAINER, PCOL_POD, &nm);
		}
		if (p->proc.cmdline)
			pd_row_set_str(row, PCOL_CMDLINE, p->proc.cmdline);
		freeable += p->sole_alloc;
		n++;
	}
	/* The total counts each file once, however many hold it. */
	for (i = 0; i < pd_deadscan_nfiles(ds); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(ds, i);

		if (f->selected) {
			files++;
			alloc += f->alloc;
			size += f->size;
		}
	}
	if (n) {
		pd_check_alloc(&o->c, pd_report_total_row(rep, &row));
		pd_row_set_u64(row, PCOL_FILES, files);
		pd_row_set_u64(row, PCOL_ALLOC, alloc);
		pd_row_set_u64(row, PCOL_SIZE, size);
		pd_row_set_u64(row, PCOL_FREEABLE, freeable);
	}
}

static void mount_rows(struct opts *o, struct pd_deadscan *ds,
		       struct pd_report *rep)
{
	uint64_t alloc = 0, size = 0;
	size_t i, files = 0, nprocs = 0;
	struct pd_row *row;

	for (i = 0; i < pd_deadscan_nmounts(ds); i++) {
		const struct pd_deadmount *m = pd_deadscan_mount(ds, i);

		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		if (m->fstype)
			pd_row_set_str(row, MCOL_FSTYPE, m->fstype);
		pd_row_set_u64(row, MCOL_FILES, m->files);
		pd_row_set_u64(row, MCOL_ALLOC, m->alloc);
		pd_row_set_u64(row, MCOL_SIZE, m->size);
		pd_row_set_u64(row, MCOL_HOLDERS, m->procs);
		pd_row_set_bool(row, MCOL_RAM, m->ram);
		if (m->mount)
			pd_row_set_str(row, MCOL_MOUNT, m->mount);
		pd_row_set_dev(row, MCOL_DEV, m->dev);
		files += m->files;
		alloc += m->alloc;
		size += m->size;
	}
	for (i = 0; i < pd_deadscan_nprocs(ds); i++)
		nprocs += pd_deadscan_proc(ds, i)->selected;
	if (pd_deadscan_nmounts(ds)) {
		pd_check_alloc(&o->c, pd_report_total_row(rep, &row));
		pd_row_set_u64(row, MCOL_FILES, files);
		pd_row_set_u64(row, MCOL_ALLOC, alloc);
		pd_row_set_u64(row, MCOL_SIZE, size);
		pd_row_set_u64(row, MCOL_HOLDERS, nprocs);
	}
}

/* The headline: the bytes the selected files pin, and their count. */
static void health(const struct opts *o, const struct pd_deadscan *ds,
		   struct pd_health *h, struct pd_figure *f)
{
	size_t i, files = 0, unknown = 0;
	char size[32];

	memset(f, 0, sizeof(*f));
	for (i = 0; i < pd_deadscan_nfiles(ds); i++) {
		const struct pd_deadfile *df = pd_deadscan_file(ds, i);

		if (!df->selected)
			continue;
		files++;
		if (df->sized)
			f->bytes += df->alloc;
		else
			unknown++;
	}
	f->partial = unknown > 0;
	h->perf = "deleted_bytes";
	h->figs = f;
	h->nfigs = 1;
	pd_health_eval(&o->c, h);
	pd_health_size(f->bytes, size, sizeof(size));
	snprintf(h->text, sizeof(h->text), "%zu deleted file%s hold%s %s%s",
		 files, files == 1 ? "" : "s", files == 1 ? "s" : "",
		 unknown ? "at least " : "", size);
	if (unknown)
		snprintf(h->text + strlen(h->text),
			 sizeof(h->text) - strlen(h->text),
			 " (%zu of unknown size: a file system did not answer)",
			 unknown);
}

/* --prom-file: per file system, labelled by device, mount point and type
 * as node_exporter's filesystem collector labels it. */
static void prom(const struct opts *o, const struct pd_deadscan *ds,
		 struct pd_procfs *pfs)
{
	static const struct {
		const char *what, *help;
	} fam[] = {
		{ "deleted_bytes", "bytes allocated by deleted files that processes still hold (df minus du)" },
		{ "deleted_files", "deleted files that processes still hold" },
		{ "holding_processes", "processes holding deleted files" },
	};
	struct pd_prom *p = pd_common_prom_new(&o->c);
	const struct pd_scanstats *st = pd_deadscan_stats(ds);
	size_t k, i, n = pd_deadscan_nmounts(ds);
	struct pd_prom_label (*l)[3];
	struct pd_promfs *pf;

	if (!p)
		return;
	pf = pd_common_promfs_new(&o->c, p, pfs);
	l = pd_xcalloc(n, sizeof(*l));
	for (i = 0; i < n; i++) {
		const struct pd_deadmount *m = pd_deadscan_mount(ds, i);

		pd_common_prom_fs(&o->c, pf, m->dev, m->mount, m->source,
				  m->fstype, l[i]);
	}
	for (k = 0; k < sizeof(fam) / sizeof(fam[0]); k++) {
		pd_common_prom_family(&o->c, p, fam[k].what, PD_PROM_GAUGE,
				      fam[k].help);
		for (i = 0; i < n; i++) {
			const struct pd_deadmount *m = pd_deadscan_mount(ds, i);
			uint64_t v = k == 0 ? m->alloc : k == 1 ? m->files :
				     m->procs;

			pd_common_prom_u64(&o->c, p, l[i], 3, v);
		}
	}
	for (i = 0; i < n; i++)
		pd_promfs_labels_release(l[i]);
	free(l);
	pd_promfs_free(pf);
	pd_common_prom_family(&o->c, p, "unreadable_processes", PD_PROM_GAUGE,
			      "processes the scan could not read: the figures "
			      "are a lower bound when not 0");
	pd_common_prom_u64(&o->c, p, NULL, 0, st->denied + st->failed);
	pd_common_prom_family(&o->c, p, "unknown_size_files", PD_PROM_GAUGE,
			      "deleted files on file systems that did not "
			      "answer in time: not in deleted_bytes");
	pd_common_prom_u64(&o->c, p, NULL, 0,
			   pd_deadscan_gaps(ds)->timed_out_files);
	pd_common_prom_write(&o->c, p);
}

static void warn_gaps(const struct opts *o, const struct pd_deadscan *ds)
{
	const struct pd_deadscan_gaps *g = pd_deadscan_gaps(ds);
	size_t i;

	pd_warn_partial(&o->c, pd_deadscan_partial(ds));
	for (i = 0; i < pd_deadscan_ntimeouts(ds); i++)
		pd_warn(&o->c, "%s did not answer within %u ms; its deleted "
			"files are listed with unknown size",
			pd_deadscan_timeout(ds, i), o->timeout_ms);
	if (g->unverified_maps)
		pd_warn(&o->c, "%u files held only by a memory mapping could "
			"not be checked (map_files/ needs CAP_SYS_ADMIN); run "
			"as root for a complete view", g->unverified_maps);
}

int main(int argc, char **argv)
{
	static const struct {
		const struct pd_column *cols;
		size_t n;
		const char *env;
	} views[] = {
		[VIEW_FILE] = { file_cols, sizeof(file_cols) / sizeof(file_cols[0]), "DEADFILES_COLUMNS" },
		[VIEW_PROCESS] = { proc_cols, sizeof(proc_cols) / sizeof(proc_cols[0]), "DEADFILES_PROCESS_COLUMNS" },
		[VIEW_MOUNT] = { mount_cols, sizeof(mount_cols) / sizeof(mount_cols[0]), "DEADFILES_MOUNT_COLUMNS" },
	};
	struct pd_deadscan_opts dopts = { 0 };
	struct pd_deadfilter flt = { 0 };
	struct pd_deadscan *ds = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_report *rep = NULL;
	struct pd_names *names = NULL;
	bool want_names;
	struct opts o = { .timeout_ms = PD_STATQ_DEFAULT_MS };
	static const pid_t no_pid = 0;
	struct pd_health h = { 0 };
	struct pd_figure fig;
	bool nothing = false;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "deadfiles");
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	parse_args(&o, argc, argv);

	pd_check_alloc(&o.c, pd_report_new("deadfiles", views[o.view].cols,
					   views[o.view].n, &rep));
	pd_common_columns(&o.c, rep, views[o.view].env);
	if (o.c.help) {
		usage(&o, rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, rep))
		goto out;
	pd_names_check_root(&o.c);

	pfs = pd_common_procfs(&o.c);
	pd_common_census(&o.c, pfs, &(const struct pd_procfilter){
		.pids = o.pids, .npids = o.npids,
		.uids = o.uids, .nuids = o.nuids,
		.comms = (const char *const *)o.comms, .ncomms = o.ncomms,
	});
	dopts.timeout_ms = o.timeout_ms;
	/* only the process view shows the command line and the cgroup */
	dopts.identity = PD_PROC_STAT | PD_PROC_STATUS;
	if (o.view == VIEW_PROCESS)
		dopts.identity |= PD_PROC_CMDLINE | PD_PROC_CGROUP;
	/* ... and the file view the holders' cgroups for their names */
	want_names = (o.view == VIEW_FILE &&
		      (pd_report_is_selected(rep, FCOL_CONTAINERS) ||
		       pd_report_is_selected(rep, FCOL_PODS))) ||
		     (o.view == VIEW_PROCESS &&
		      (pd_report_is_selected(rep, PCOL_CONTAINER) ||
		       pd_report_is_selected(rep, PCOL_POD)));
	if (want_names)
		dopts.identity |= PD_PROC_CGROUP;
	pd_check_alloc(&o.c, pd_deadscan_new(pfs, &dopts, &ds));
	/* -m's path before the scan: one that is not there fails at once (a
	 * captured tree places it among the files found: -ENODEV, after) */
	if (o.mount) {
		r = pd_deadscan_mount_dev(ds, o.mount, &flt.dev);
		if (r < 0 && r != -ENODEV)
			pd_die(&o.c, "%s: %s", o.mount, strerror(-r));
		flt.has_dev = r == 0;
	}
	r = pd_deadscan_run(ds);
	if (r < 0) {
		pd_common_fatal(&o.c, pfs, r);
		pd_die_scan(&o.c, pd_deadscan_partial(ds), r);
	}

	flt.procs = (struct pd_procfilter){ o.pids, o.npids, o.uids, o.nuids,
					    (const char *const *)o.comms,
					    o.ncomms };
	flt.min_alloc = o.min_size;
	if (o.mount && !flt.has_dev) {
		r = pd_deadscan_mount_dev(ds, o.mount, &flt.dev);
		if (r == -ENODEV)
			nothing = true;
		pd_common_fatal(&o.c, pfs, r);
		if (r < 0 && r != -ENODEV)
			pd_die(&o.c, "%s: %s", o.mount, strerror(-r));
		flt.has_dev = true;
	}
	if (nothing) {
		/* -m found no such file system: pid 0 holds nothing, so the
		 * selection, the figure and the metrics are all empty. */
		flt.procs.pids = &no_pid;
		flt.procs.npids = 1;
	}
	pd_check_alloc(&o.c, pd_deadscan_select(ds, &flt));
	h.partial = *pd_deadscan_partial(ds);
	health(&o, ds, &h, &fig);
	warn_gaps(&o, ds);
	prom(&o, ds, pfs);
	if (o.c.check)
		pd_health_check_exit(&o.c, &h);
	if (pd_health_report_wanted(&o.c, &h)) {
		if (want_names)
			names = pd_names_new(&o.c);
		if (o.view == VIEW_FILE)
			file_rows(&o, ds, names, rep);
		else if (o.view == VIEW_PROCESS)
			proc_rows(&o, ds, names, rep);
		else
			mount_rows(&o, ds, rep);
		pd_names_warn(&o.c, names);
		pd_common_print(&o.c, rep, "ALLOC");
	}
	rc = pd_health_exit_code(&o.c, &h);

out:
	pd_names_free(names);
	pd_deadscan_free(ds);
	pd_procfs_free(pfs);
	pd_report_free(rep);
	free(o.pids);
	free(o.uids);
	free(o.comms);
	return rc;
}
