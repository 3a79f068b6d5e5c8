/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfind: the column tables of the object, process and summary views. */
#include "memfind.h"

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
	[OCOL_FLAGS] = { "FLAGS", PD_COL_STR, PD_COLF_DEFAULT, "exec, fileless, many-fds, orphan, orphan? (unsure: a process could not be read), dest, locked, covered" },
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
	[OCOL_CONTAINERS] = { "CONTAINERS", PD_COL_STR, 0, "containers of the holders (runtime:name or short id), each once" },
	[OCOL_PODS] = { "PODS", PD_COL_STR, 0, "Kubernetes pods of the holders (namespace/name or uid), each once" },
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
	[PCOL_CONTAINER] = { "CONTAINER", PD_COL_STR, 0, "container: runtime:name (or short id)" },
	[PCOL_POD] = { "POD", PD_COL_STR, 0, "Kubernetes pod: namespace/name (or uid)" },
};

static const struct pd_column sum_cols[] = {
	[SCOL_PART] = { "PART", PD_COL_STR, PD_COLF_DEFAULT, "what the line counts" },
	[SCOL_BYTES] = { "BYTES", PD_COL_SSIZE, PD_COLF_DEFAULT, "bytes (the remainder may be negative)" },
	[SCOL_COUNT] = { "COUNT", PD_COL_NUM, PD_COLF_DEFAULT, "objects or superblocks behind it" },
	[SCOL_IN_SHMEM] = { "IN_SHMEM", PD_COL_BOOL, PD_COLF_DEFAULT, "part of the explained Shmem" },
	[SCOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "where the number comes from" },
};

/* The report of the view asked for, its columns chosen; exits on failure.
 * Freed with pd_report_free(). */
struct pd_report *memfind_report_new(struct opts *o)
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
	struct pd_report *rep = NULL;

	pd_check_alloc(&o->c, pd_report_new("memfind", views[o->view].cols,
					    views[o->view].n, &rep));
	pd_common_columns(&o->c, rep, views[o->view].env);
	return rep;
}

bool memfind_names_wanted(const struct opts *o, const struct pd_report *rep)
{
	if (o->view == VIEW_OBJECT)
		return pd_report_is_selected(rep, OCOL_CONTAINERS) ||
		       pd_report_is_selected(rep, OCOL_PODS);
	if (o->view == VIEW_PROCESS)
		return pd_report_is_selected(rep, PCOL_CONTAINER) ||
		       pd_report_is_selected(rep, PCOL_POD);
	return false;
}
