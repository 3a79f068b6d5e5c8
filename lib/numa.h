/* SPDX-License-Identifier: GPL-2.0-or-later */
/* numa: the NUMA nodes of sysfs: node list, per-node meminfo and counters. */
#ifndef PD_NUMA_H
#define PD_NUMA_H

#include <stddef.h>

#include "keyed.h"
#include "meminfo.h"

/*
 * SYSFD below is a directory fd of the sysfs root ("/sys", or a fixture
 * tree that has devices/system/node/ in it); the caller owns it.
 */

/* Node ids above this are refused: MAX_NUMNODES is at most 1 << 10. */
#define PD_NUMA_NODES_MAX 4096

/*
 * Parse a node list as sysfs prints it (bitmap "%*pbl": "0-3,8,10-11\n";
 * "\n" alone for none). *ret_nodes gets the ids ascending, each once,
 * malloc'ed (the caller frees it; NULL when *ret_n is 0). Returns 0,
 * -EINVAL for another text or an id past PD_NUMA_NODES_MAX, -ENOMEM.
 */
int pd_numa_nodelist_parse(const char *buf, size_t len, unsigned **ret_nodes,
			   size_t *ret_n);

/*
 * The online nodes: devices/system/node/online, or where that file is
 * missing, the devices/system/node/node<N> directories. Returns 0 (as
 * the parser), -ENOENT when there is no node directory at all (a kernel
 * without CONFIG_NUMA), or -errno.
 */
int pd_numa_nodes_read(int sysfd, unsigned **ret_nodes, size_t *ret_n);

/*
 * Parse a node's meminfo (drivers/base/node.c node_read_meminfo(): "Node
 * 0 MemTotal:       24683772 kB"): the "Node N " prefix is taken off
 * and the rest parsed by pd_meminfo_parse(), so the same keys, units and
 * presence rules hold; a node has keys /proc/meminfo has not (MemUsed,
 * FilePages) and lacks others (MemAvailable, Buffers, Cached, swap,
 * Committed_AS, vmalloc, Percpu). Lines without the prefix are skipped.
 * *ret_node is N. Returns 0, -EINVAL when lines name two nodes or no
 * line can be parsed, -ENOMEM. Free with pd_meminfo_free().
 */
int pd_numa_meminfo_parse(const char *buf, size_t len, unsigned *ret_node,
			  struct pd_meminfo **ret_mi);

/*
 * Read devices/system/node/node<NODE>/meminfo. Returns 0, -EINVAL also
 * when its lines name another node, or -errno (-ENOENT: no such node).
 */
int pd_numa_meminfo_read(int sysfd, unsigned node, struct pd_meminfo **ret_mi);

/*
 * Read node<NODE>/numastat (numa_hit numa_miss numa_foreign
 * interleave_hit local_node other_node, in pages) or node<NODE>/vmstat
 * (the node's part of /proc/vmstat) as a keyed table. 0 or -errno.
 */
int pd_numa_numastat_read(int sysfd, unsigned node, struct pd_keyed **ret_k);
int pd_numa_vmstat_read(int sysfd, unsigned node, struct pd_keyed **ret_k);

#endif
