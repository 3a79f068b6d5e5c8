/* SPDX-License-Identifier: GPL-2.0-or-later */
/* maps: lines of /proc/PID/maps, a pure parser and an iterator over text,
 * and the file name of a mapping without the kernel's escaping. */
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

/*
 * The kernel writes a mapping's file name into maps and smaps with
 * seq_file_path(m, file, "\n") (fs/proc/task_mmu.c, show_map_vma()):
 * mangle_path() turns each '\n' into the four characters "\012" and
 * leaves every other byte, a backslash included, as it is. So "\012" in
 * that text is ambiguous: a newline, or a name holding those characters.
 *
 * pd_map_path_decode: PATH (LEN bytes) with every "\012" read as a
 * newline, written to OUT (room for LEN bytes; may be PATH itself).
 * Returns the decoded length.
 */
size_t pd_map_path_decode(const char *path, size_t len, char *out);

/*
 * The file name of mapping MAP (parsed from the maps or smaps text of the
 * process whose /proc directory is PIDFD) without the kernel's escaping:
 * a malloc'ed, NUL-terminated copy in *ret_path of *ret_len bytes, which
 * the caller frees; the " (deleted)" suffix stays. How it decides:
 *   - text without "\012" is the name as it is (nearly every mapping:
 *     no read at all);
 *   - else the link map_files/START-END, which the kernel writes with
 *     d_path(), unescaped, when it can be read (its text needs the same
 *     ptrace read access as maps; only following it needs
 *     CAP_SYS_ADMIN; a captured tree may lack it) and escaping it again
 *     gives the maps text back (the same mapping, not one that replaced
 *     it between the two reads);
 *   - else every "\012" is read as a newline: a newline in a file name
 *     is far likelier than a backslash followed by "012".
 * Returns 0 or -ENOMEM.
 */
int pd_map_path_read(int pidfd, const struct pd_map *map, char **ret_path,
		     size_t *ret_len);

#endif
