/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zoneinfo: /proc/zoneinfo's page counts per zone, summed per NUMA node. */
#ifndef PD_ZONEINFO_H
#define PD_ZONEINFO_H

#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/*
 * The pages of one node's zones, mm/vmstat.c zoneinfo_show_print():
 * spanned (the zone's range, holes included), present (the physical
 * pages in it: holes and offline memory left out) and managed (what
 * the buddy allocator got: present less what boot reserved). present *
 * page size - MemTotal is the RAM the firmware and the kernel keep. A
 * kernel that initialises memory lazily (deferred_init) lags in managed
 * for a while; present does not.
 */
struct pd_zonenode {
	unsigned node;
	uint64_t spanned, present, managed;	/* pages */
	unsigned zones;				/* zones seen */
};

struct pd_zoneinfo;

/*
 * Parse BUF (LEN bytes): "Node N, zone NAME" lines start a zone, whose
 * "spanned N", "present N" and "managed N" lines (indented) add to node
 * N; every other line is skipped. Returns 0, -EINVAL when no zone has
 * all three counts, -ENOMEM. Free with pd_zoneinfo_free().
 */
int pd_zoneinfo_parse(const char *buf, size_t len, struct pd_zoneinfo **ret_zi);

/* Read and parse "zoneinfo" of the proc root PFS. 0 or -errno. */
int pd_zoneinfo_read(struct pd_procfs *pfs, struct pd_zoneinfo **ret_zi);

void pd_zoneinfo_free(struct pd_zoneinfo *zi);

/* The nodes, ascending by id; NULL past the last. */
size_t pd_zoneinfo_count(const struct pd_zoneinfo *zi);
const struct pd_zonenode *pd_zoneinfo_node(const struct pd_zoneinfo *zi,
					   size_t i);
/* Node ID's sums, or NULL when it has no zone. */
const struct pd_zonenode *pd_zoneinfo_find(const struct pd_zoneinfo *zi,
					   unsigned id);
/* The sums over every node. */
void pd_zoneinfo_total(const struct pd_zoneinfo *zi,
		       struct pd_zonenode *ret_total);

#endif
