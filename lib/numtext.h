/* SPDX-License-Identifier: GPL-2.0-or-later */
/* numtext: numbers as the kernel prints them: a scanner and one-value files. */
#ifndef PD_NUMTEXT_H
#define PD_NUMTEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Scan the unsigned decimal at P (no sign, no blank), stopping at END or
 * at the first byte that is not a digit. Returns the number of digits
 * read (0: no number at P) and stores the value in *ret_value; -ERANGE
 * when it does not fit 64 bits.
 */
int pd_numtext_u64(const char *p, const char *end, uint64_t *ret_value);

/*
 * Parse the text of a file that holds one unsigned number, as sysfs
 * prints them ("1\n", "8000000\n"): BASE 10 or 16 (hex digits without
 * "0x", as block_size_bytes; a leading "0x" is accepted too), then at
 * most one newline. Returns 0, -EINVAL for any other text (a blank,
 * a sign, a second value, nothing), -ERANGE past 64 bits.
 */
int pd_numtext_parse(const char *buf, size_t len, int base,
		     uint64_t *ret_value);

/*
 * Read the one-number file NAME under DIRFD and parse it as above. Returns
 * 0, -EINVAL, -ERANGE, or -errno of the open or read (-ENOENT: no such
 * file, -EACCES: a 0200 file such as "demote" of hugepages).
 */
int pd_numtext_read_at(int dirfd, const char *name, int base,
		       uint64_t *ret_value);

#endif
