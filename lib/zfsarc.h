/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zfsarc: OpenZFS's /proc/spl/kstat/zfs/arcstats: the ARC's size and parts. */
#ifndef PD_ZFSARC_H
#define PD_ZFSARC_H

#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/*
 * The named values of a kstat file as the SPL prints it: a header line
 * ("13 1 0x01 123 33456 7402060102 66478716886640"), the line "name type
 * data", then a row per value "NAME TYPE VALUE" (TYPE: 1 int32, 2 uint32,
 * 3 int64, 4 uint64, 5 long, 6 ulong; other types, strings, are skipped).
 * For arcstats every size is in bytes: size (the ARC now), c (its
 * target), c_min, c_max, and the parts that make size.
 */
struct pd_zfsarc;

/*
 * Parse BUF (LEN bytes). Rows of another shape or type are skipped; the
 * first of two equal names wins. Returns 0, -EINVAL when the second line
 * is not "name type data", -ENOMEM. Free with pd_zfsarc_free().
 */
int pd_zfsarc_parse(const char *buf, size_t len, struct pd_zfsarc **ret_arc);

/*
 * Read "spl/kstat/zfs/arcstats" of the proc root PFS. Returns 0 or
 * -errno: -ENOENT when the zfs module is not loaded.
 */
int pd_zfsarc_read(struct pd_procfs *pfs, struct pd_zfsarc **ret_arc);

void pd_zfsarc_free(struct pd_zfsarc *arc);

/*
 * The value of NAME. Returns 0, -ENOENT (no such row: rows come and go
 * between OpenZFS versions), -ERANGE for a negative value (signed rows
 * such as memory_available_bytes; use pd_zfsarc_get_signed()).
 */
int pd_zfsarc_get(const struct pd_zfsarc *arc, const char *name,
		  uint64_t *ret_value);

/* The value of NAME as signed. 0, -ENOENT, -ERANGE (above INT64_MAX). */
int pd_zfsarc_get_signed(const struct pd_zfsarc *arc, const char *name,
			 int64_t *ret_value);

/* The rows in file order. */
size_t pd_zfsarc_count(const struct pd_zfsarc *arc);
const char *pd_zfsarc_name(const struct pd_zfsarc *arc, size_t i);

/*
 * The sum of the parts the ARC's "size" is made of (arc_space_consume()
 * adds each to it): data_size + metadata_size + hdr_size + l2_hdr_size
 * + dbuf_size + dnode_size + bonus_size (0.7 and later; before them the
 * one other_size) + abd_chunk_waste_size (2.0+), each where present.
 * Returns 0, -ENOENT when none of them is, -ERANGE past 64 bits.
 */
int pd_zfsarc_parts(const struct pd_zfsarc *arc, uint64_t *ret_sum);

#endif
