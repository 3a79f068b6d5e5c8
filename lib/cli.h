/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli: strict parsing of option arguments (sizes, durations, lists). */
#ifndef PD_CLI_H
#define PD_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * A size: a number (decimal fraction allowed with a suffix) and an optional
 * suffix K, M, G, T, P, E (powers of 1024), with an optional "iB" or "B"
 * ("100M", "1.5G", "4096", "4KiB", "2MB"), case-insensitive. Returns 0,
 * -EINVAL (malformed) or -ERANGE (overflow).
 */
int pd_parse_size(const char *s, uint64_t *ret_bytes);

/*
 * A duration in milliseconds: "3" and "3s" are seconds, "500ms", "1.5s",
 * "2m". Returns 0, -EINVAL, -ERANGE (zero or more than a day).
 */
int pd_parse_duration_ms(const char *s, unsigned *ret_ms);

/* A positive decimal integer up to MAX, nothing else. 0, -EINVAL, -ERANGE */
int pd_parse_uint(const char *s, unsigned long max, unsigned long *ret);

/*
 * Split a comma-separated LIST into its items (empty items are -EINVAL).
 * *ret_items is one malloc'ed block (array and strings): free() it once.
 */
int pd_split_list(const char *list, char ***ret_items, size_t *ret_n);

#endif
