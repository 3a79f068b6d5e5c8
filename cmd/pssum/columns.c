/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pssum: the column tables of the three views and the -g keys. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numa.h"
#include "pssum.h"

/* One row per process or group (-g). */
const struct pd_column pssum_cols[] = {
	[COL_PID] = { "PID", PD_COL_NUM, 0, "process id" },
	[COL_PPID] = { "PPID", PD_COL_NUM, 0, "parent process id" },
	[COL_USER] = { "USER", PD_COL_STR, 0, "user name (real uid)" },
	[COL_UID] = { "UID", PD_COL_NUM, 0, "real user id" },
	[COL_COMMAND] = { "COMMAND", PD_COL_STR, 0, "command (comm)" },
	[COL_UNIT] = { "UNIT", PD_COL_STR, 0, "systemd unit from the cgroup path" },
	[COL_PROCS] = { "PROCS", PD_COL_NUM, 0, "processes in the group" },
	[COL_RSS] = { "RSS", PD_COL_SIZE, 0, "resident set: every page mapped, shared ones in full" },
	[COL_PSS] = { "PSS", PD_COL_SIZE, 0, "proportional set: shared pages split among their users" },
	[COL_USS] = { "USS", PD_COL_SIZE, 0, "unique set (Private_Clean+Private_Dirty): what it alone maps" },
	[COL_PRIVATE_DIRTY] = { "PRIVATE_DIRTY", PD_COL_SIZE, 0, "private dirty pages" },
	[COL_SHARED] = { "SHARED", PD_COL_SIZE, 0, "pages shared with others (Shared_Clean+Shared_Dirty)" },
	[COL_SWAP] = { "SWAP", PD_COL_SIZE, 0, "swapped out" },
	[COL_SWAP_PSS] = { "SWAP_PSS", PD_COL_SIZE, 0, "swapped out, shared swap split among its users" },
	[COL_PSS_ANON] = { "PSS_ANON", PD_COL_SIZE, 0, "anonymous part of PSS (5.8+)" },
	[COL_PSS_FILE] = { "PSS_FILE", PD_COL_SIZE, 0, "file-backed part of PSS (5.8+)" },
	[COL_PSS_SHMEM] = { "PSS_SHMEM", PD_COL_SIZE, 0, "shmem/tmpfs part of PSS (5.8+)" },
	[COL_ANON_HUGE] = { "ANON_HUGE", PD_COL_SIZE, 0, "anonymous transparent huge pages (AnonHugePages)" },
	[COL_HUGETLB] = { "HUGETLB", PD_COL_SIZE, 0, "hugetlbfs pages mapped (status HugetlbPages), not in RSS" },
	[COL_PAGETABLES] = { "PAGETABLES", PD_COL_SIZE, 0, "page tables (status VmPTE), not in RSS" },
	[COL_PSS_DIFF] = { "PSS_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "PSS growth since the --diff file" },
	[COL_RSS_DIFF] = { "RSS_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "RSS growth since the --diff file" },
	[COL_USS_DIFF] = { "USS_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "USS growth since the --diff file" },
	[COL_SWAP_DIFF] = { "SWAP_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "SWAP growth since the --diff file" },
	[COL_RATE] = { "RATE", PD_COL_SSIZE, PD_COLF_PLUS, "PSS growth per hour since the --diff file was written (its mtime)" },
	[COL_CONTAINER] = { "CONTAINER", PD_COL_STR, 0, "container: runtime:name (or short id)" },
	[COL_POD] = { "POD", PD_COL_STR, 0, "Kubernetes pod: namespace/name (or uid)" },
	[COL_EXE] = { "EXE", PD_COL_STR, PD_COLF_WIDE, "executable (exe link, \" (deleted)\" kept)" },
	[COL_CGROUP] = { "CGROUP", PD_COL_STR, PD_COLF_WIDE, "cgroup path" },
	[COL_CMDLINE] = { "CMDLINE", PD_COL_STR, PD_COLF_WIDE, "full command line" },
};

/* One row per mapping name (-m). */
static const struct pd_column map_cols[MCOL_NCOLS] = {
	[MCOL_PROCS] = { "PROCS", PD_COL_NUM, PD_COLF_DEFAULT, "processes mapping it" },
	[MCOL_RSS] = { "RSS", PD_COL_SIZE, PD_COLF_DEFAULT, "resident, summed over the processes" },
	[MCOL_PSS] = { "PSS", PD_COL_SIZE, PD_COLF_DEFAULT, "proportional set, summed" },
	[MCOL_USS] = { "USS", PD_COL_SIZE, PD_COLF_DEFAULT, "private to one process, summed" },
	[MCOL_SWAP] = { "SWAP", PD_COL_SIZE, PD_COLF_DEFAULT, "swapped out, summed" },
	[MCOL_SWAP_PSS] = { "SWAP_PSS", PD_COL_SIZE, 0, "proportional swap, summed" },
	[MCOL_MAPPING] = { "MAPPING", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "path, or [heap], [stack], [vdso], [anon]..." },
};

/* One line per quantity (-s). */
static const struct pd_column sum_cols[] = {
	[SCOL_ITEM] = { "ITEM", PD_COL_STR, PD_COLF_DEFAULT, "pss sums and /proc/meminfo fields" },
	[SCOL_SIZE] = { "SIZE", PD_COL_SIZE, PD_COLF_DEFAULT, "bytes" },
	[SCOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "what it is, and how it relates to pss" },
};

const struct pssum_key pssum_keys[] = {
	{ "pid", NULL, PD_PSS_KEY_PID, COL_PID },
	{ "ppid", NULL, PD_PSS_KEY_PPID, COL_PPID },
	{ "command", "comm", PD_PSS_KEY_COMMAND, COL_COMMAND },
	{ "exe", NULL, PD_PSS_KEY_EXE, COL_EXE },
	{ "user", NULL, PD_PSS_KEY_USER, COL_USER },
	{ "cgroup", NULL, PD_PSS_KEY_CGROUP, COL_CGROUP },
	{ "unit", NULL, PD_PSS_KEY_UNIT, COL_UNIT },
	{ "container", NULL, PD_PSS_KEY_CONTAINER, COL_CONTAINER },
	{ "pod", NULL, PD_PSS_KEY_POD, COL_POD },
};

static const struct {
	const struct pd_column *cols;
	size_t n;
	const char *env;
} views[] = {
	[VIEW_GROUP] = { pssum_cols, NCOLS, "PSSUM_COLUMNS" },
	[VIEW_MAPPING] = { map_cols, sizeof(map_cols) / sizeof(map_cols[0]), "PSSUM_MAPPING_COLUMNS" },
	[VIEW_SUMMARY] = { sum_cols, sizeof(sum_cols) / sizeof(sum_cols[0]), "PSSUM_SUMMARY_COLUMNS" },
};

bool pssum_has_key(const struct opts *o, enum pd_pss_key key)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		if (pssum_keys[o->key[i]].key == key)
			return true;
	return false;
}

/* The node columns' names, ", N0,N1" after the sizes of the defaults. */
static void node_list(const struct opts *o, char *list, size_t size)
{
	size_t i;

	for (i = 0; i < o->nnodes; i++) {
		strncat(list, o->cols[pssum_node_col(o, i)].name,
			size - strlen(list) - 1);
		strncat(list, ",", size - strlen(list) - 1);
	}
}

/* The default columns of the group view: narrow keys, sizes, wide keys;
 * with --numa the sizes are RSS and the nodes. */
static void group_defaults(struct opts *o, struct pd_report *rep)
{
	size_t size = 256 + 16 * o->nnodes, i, wide;
	char *list = pd_xcalloc(size, 1);

	for (wide = 0; wide < 2; wide++) {
		for (i = 0; i < o->nkeys; i++) {
			size_t col = pssum_keys[o->key[i]].col;

			if (!!(pssum_cols[col].flags & PD_COLF_WIDE) == wide) {
				strcat(list, pssum_cols[col].name);
				strcat(list, ",");
			}
		}
		if (wide)
			break;
		/* a pid alone names nothing: its command beside it */
		if (o->diff && pssum_has_key(o, PD_PSS_KEY_PID) &&
		    !pssum_has_key(o, PD_PSS_KEY_COMMAND))
			strcat(list, "COMMAND,");
		if (o->diff)
			strcat(list, "PSS,PSS_DIFF,RSS_DIFF,");
		else if (o->numa)
			strcat(list, pssum_has_key(o, PD_PSS_KEY_PID) ?
			       "RSS," : "PROCS,RSS,");
		else if (pssum_has_key(o, PD_PSS_KEY_PID))
			strcat(list, "RSS,PSS,USS,SWAP,");
		else
			strcat(list, "PROCS,RSS,PSS,USS,SWAP,");
		if (o->numa)
			node_list(o, list, size);
	}
	if (!o->diff && pssum_has_key(o, PD_PSS_KEY_PID))
		strcat(list, "CMDLINE,");
	list[strlen(list) - 1] = '\0';
	pd_check_alloc(&o->c, pd_report_set_defaults(rep, list, NULL));
	free(list);
}

/* -m --numa: the mapping stays last, after the nodes. */
static void map_defaults(struct opts *o, struct pd_report *rep)
{
	size_t size = 64 + 16 * o->nnodes;
	char *list = pd_xcalloc(size, 1);

	strcpy(list, "PROCS,RSS,");
	node_list(o, list, size);
	strcat(list, "MAPPING");
	pd_check_alloc(&o->c, pd_report_set_defaults(rep, list, NULL));
	free(list);
}

size_t pssum_node_col(const struct opts *o, size_t i)
{
	return (o->view == VIEW_MAPPING ? MCOL_NCOLS : NCOLS) + i;
}

/*
 * --numa: the node ids of the sys root, and the view's columns with one
 * "N<id>" per node. A node list that cannot be read leaves no node
 * column and its error in o->nodes_err: --help and -H still work.
 */
static void numa_columns(struct opts *o, const struct pd_column *cols,
			 size_t n)
{
	size_t i;
	int fd;

	fd = open(o->sys_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		o->nodes_err = -errno;
	else
		o->nodes_err = pd_numa_nodes_read(fd, &o->node_ids,
						  &o->nnodes);
	if (fd >= 0)
		close(fd);
	if (o->nodes_err == -ENOMEM)
		pd_check_alloc(&o->c, o->nodes_err);
	if (o->nodes_err < 0) {
		o->node_ids = NULL;
		o->nnodes = 0;
	}
	o->cols = pd_xcalloc(n + o->nnodes, sizeof(*o->cols));
	memcpy(o->cols, cols, n * sizeof(*cols));
	/* "N12": the names live as long as the columns */
	o->node_names = pd_xcalloc(o->nnodes ? o->nnodes : 1, 16);
	for (i = 0; i < o->nnodes; i++) {
		snprintf(o->node_names + 16 * i, 16, "N%u", o->node_ids[i]);
		o->cols[n + i] = (struct pd_column){
			o->node_names + 16 * i, PD_COL_SIZE, 0,
			"bytes mapped on this node (numa_maps: pages as RSS "
			"counts them, not PSS)"
		};
	}
}

void pssum_columns_free(struct opts *o)
{
	free(o->cols);
	free(o->node_names);
	free(o->node_ids);
}

/* The report of the view of O into RET_REP, its columns chosen as the
 * defaults and the environment say; exits on failure. */
void pssum_report_new(struct opts *o, struct pd_report **ret_rep)
{
	const struct pd_column *cols = views[o->view].cols;
	size_t n = views[o->view].n;

	if (o->numa) {
		numa_columns(o, cols, n);
		cols = o->cols;
		n += o->nnodes;
	}
	pd_check_alloc(&o->c, pd_report_new("pssum", cols, n, ret_rep));
	if (o->view == VIEW_GROUP)
		group_defaults(o, *ret_rep);
	else if (o->view == VIEW_MAPPING && o->numa)
		map_defaults(o, *ret_rep);
	pd_common_columns(&o->c, *ret_rep, o->diff ? "PSSUM_DIFF_COLUMNS" :
			  views[o->view].env);
}
