/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memblock: the memory blocks of sysfs: RAM the kernel has, online or not. */
#ifndef PD_MEMBLOCK_H
#define PD_MEMBLOCK_H

#include <stddef.h>
#include <stdint.h>

/*
 * /sys/devices/system/memory (CONFIG_MEMORY_HOTPLUG, or its sysfs part):
 * block_size_bytes in hex, and a memory<N> directory per block of RAM
 * the kernel found, with its state. Blocks the firmware left holes for
 * do not exist. Online blocks * block size is the RAM the kernel manages
 * or keeps; MemTotal is that minus what boot took (the kernel image, the
 * struct page array, memblock reservations, crashkernel) and minus holes
 * inside blocks: the ledger's "kept by firmware and kernel" part.
 */

enum pd_memblock_state {
	PD_MEMBLOCK_ONLINE,
	PD_MEMBLOCK_OFFLINE,
	PD_MEMBLOCK_GOING_OFFLINE,	/* a transition, seen mid-offline */
};

/*
 * Parse a block's "state" ("online\n", "offline\n", "going-offline\n").
 * Returns the state, or -EINVAL.
 */
int pd_memblock_state_parse(const char *buf, size_t len);

struct pd_memblocks;

/*
 * Read devices/system/memory under SYSFD (a directory fd of the sysfs
 * root): the block size, each block's state (from "state", or where that
 * is missing from "online": 1 online, 0 offline), and each block's node
 * from the devices/system/node/node<M>/memory<N> links. Returns 0 or
 * -errno: -ENOENT without the memory sysfs. A block that cannot be read
 * (it went away) counts as other. Free with pd_memblocks_free().
 */
int pd_memblocks_read(int sysfd, struct pd_memblocks **ret_mb);

void pd_memblocks_free(struct pd_memblocks *mb);

/* The block size in bytes. */
uint64_t pd_memblocks_block_size(const struct pd_memblocks *mb);

/* The number of blocks in STATE; and of those whose state is unknown. */
size_t pd_memblocks_count(const struct pd_memblocks *mb,
			  enum pd_memblock_state state);
size_t pd_memblocks_other(const struct pd_memblocks *mb);

/* Bytes of the online blocks. */
uint64_t pd_memblocks_online_bytes(const struct pd_memblocks *mb);

/*
 * Per node: 1 + the highest node a block is linked to (0 when no block
 * is: no NUMA sysfs), and the online bytes of NODE's blocks.
 */
unsigned pd_memblocks_nr_nodes(const struct pd_memblocks *mb);
uint64_t pd_memblocks_node_online_bytes(const struct pd_memblocks *mb,
					unsigned node);

#endif
