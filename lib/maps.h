/* SPDX-License-Identifier: GPL-2.0-or-later */
/* maps: lines of /proc/PID/maps, a pure parser and an iterator over text. */
#ifndef PD_MAPS_H
#define PD_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pd_map_perm {
	PD_MAP_READ = 1 << 0,
	PD_MAP_WRITE = 1 << 1,
	PD_MAP_EXEC = 1 << 2,
	PD_MAP_SHARED = 1 << 3,	/* 's' rather than 'p' */
};

struct pd_map {
	uint64_t start, end, offset;
	unsigned perms;		/* enum pd_map_perm */
	unsigned dev_major, dev_minor;
	uint64_t inode;
	const char *path;	/* points into the parsed text; may be empty */
	size_t path_len;	/* the path runs to the end of the line */
};

/*
 * Parse one maps line LINE of LEN bytes (no newline). The path is the
 * rest of the line after the inode and its padding, kept byte for byte
 * (it may hold spaces). Returns 0 or -EINVAL.
 */
int pd_map_parse(const char *line, size_t len, struct pd_map *ret_map);

/*
 * Iterate over maps text: *cursor starts at the text and advances; END is
 * one past its last byte. Malformed lines are skipped. Returns 0 (an item,
 * whose path points into the text), 1 (end).
 */
int pd_map_next(const char **cursor, const char *end, struct pd_map *ret_map);

/* "start-end" of MAP as named in map_files/ (lower-case hex, no 0x). */
void pd_map_files_name(const struct pd_map *map, char *buf, size_t bufsz);

#endif
