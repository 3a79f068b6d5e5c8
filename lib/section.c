/* SPDX-License-Identifier: GPL-2.0-or-later */
/* section: a tool's table cut to its first rows, header and total kept;
 * its warnings said once. */
#include "section.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Start of each line; a last line without '\n' counts too. */
static size_t count_lines(const char *t, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		if (t[i] == '\n')
			n++;
	if (len && t[len - 1] != '\n')
		n++;
	return n;
}

/* Offset of line K (0-based); LEN when past the end. */
static size_t line_start(const char *t, size_t len, size_t k)
{
	size_t i = 0;

	while (k && i < len) {
		const char *nl = memchr(t + i, '\n', len - i);

		if (!nl)
			return len;
		i = (size_t)(nl - t) + 1;
		k--;
	}
	return i;
}

int pd_section_clip(const char *text, size_t len, size_t nrows, char **ret,
		    size_t *ret_hidden)
{
	size_t lines = count_lines(text, len);
	size_t total_at = len, data, hidden = 0, keep_end, out_len;
	char *out;

	if (lines >= 2) {
		size_t last = line_start(text, len, lines - 1);

		if (len - last >= 5 && memcmp(text + last, "total", 5) == 0)
			total_at = last;
	}
	/* Lines between the header and the total line (or the end). */
	data = lines ? lines - 1 - (total_at < len) : 0;
	if (data > nrows)
		hidden = data - nrows;
	keep_end = hidden ? line_start(text, len, 1 + nrows) : total_at;

	out_len = keep_end + (len - total_at);
	out = malloc(out_len + 1);
	if (!out)
		return -ENOMEM;
	memcpy(out, text, keep_end);
	memcpy(out + keep_end, text + total_at, len - total_at);
	out[out_len] = '\0';
	*ret = out;
	*ret_hidden = hidden;
	return 0;
}

/* ---- warnings said once ------------------------------------------------ */

/* A set of 64-bit hashes of causes, open addressing; 0 marks a free slot. */
struct pd_section_seen {
	uint64_t *slot;
	size_t n, cap;		/* cap: a power of two, or 0 */
};

int pd_section_seen_new(struct pd_section_seen **ret_seen)
{
	struct pd_section_seen *seen = calloc(1, sizeof(*seen));

	if (!seen)
		return -ENOMEM;
	*ret_seen = seen;
	return 0;
}

void pd_section_seen_free(struct pd_section_seen *seen)
{
	if (!seen)
		return;
	free(seen->slot);
	free(seen);
}

static bool seen_has(const struct pd_section_seen *seen, uint64_t h)
{
	size_t i;

	if (!seen->cap)
		return false;
	for (i = h & (seen->cap - 1); seen->slot[i];
	     i = (i + 1) & (seen->cap - 1))
		if (seen->slot[i] == h)
			return true;
	return false;
}

static int seen_add(struct pd_section_seen *seen, uint64_t h)
{
	size_t i;

	if (seen_has(seen, h))
		return 0;
	/* at most half full */
	if (2 * (seen->n + 1) > seen->cap) {
		struct pd_section_seen big = { 0 };

		big.cap = seen->cap ? seen->cap * 2 : 64;
		big.slot = calloc(big.cap, sizeof(*big.slot));
		if (!big.slot)
			return -ENOMEM;
		for (i = 0; i < seen->cap; i++)
			if (seen->slot[i])
				seen_add(&big, seen->slot[i]);
		free(seen->slot);
		*seen = big;
	}
	for (i = h & (seen->cap - 1); seen->slot[i];
	     i = (i + 1) & (seen->cap - 1))
		;
	seen->slot[i] = h;
	seen->n++;
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* C is one of SET (never NUL). */
static bool in_set(char c, const char *set)
{
	return c && strchr(set, c);
}

/* The end of a figure starting at T[I] ("117", "15.5M", "2GiB", "50%"),
 * or I when there is none there: digits, '.' and ',' in between, then a
 * unit, then the end of the word. */
static size_t figure_end(const char *t, size_t i, size_t end)
{
	size_t j = i;

	if (j >= end || !is_digit(t[j]))
		return i;
	while (j < end && (is_digit(t[j]) || t[j] == '.' || t[j] == ','))
		j++;
	if (t[j - 1] == '.' || t[j - 1] == ',')
		j--;
	if (j < end && in_set(t[j], "KMGTPE"))
		j++;
	if (j < end && t[j] == 'i')
		j++;
	if (j < end && (t[j] == 'B' || t[j] == '%'))
		j++;
	if (j < end && !in_set(t[j], " ),;:]"))
		return i;
	return j;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The end of the word T[I, J) without its plural (Porter's step 1a:
 * "processes" "process", "systems" "system", "entries" "entri"). */
static size_t stem_end(const char *t, size_t i, size_t j)
{
	size_t n = j - i;

	if (n >= 4 && !strncmp(t + j - 4, "sses", 4))
		return j - 2;
	if (n >= 3 && !strncmp(t + j - 3, "ies", 3))
		return j - 2;
	if (n >= 2 && !strncmp(t + j - 2, "ss", 2))
		return j;
	if (n >= 1 && t[j - 1] == 's')
		return j - 1;
	return j;
}

#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

/* FNV-1a of the cause of the line T[0, LEN); never 0. */
static uint64_t cause_hash(const char *t, size_t len)
{
	uint64_t h = FNV_OFFSET;
	size_t i = 0, j, k;

	while (i < len) {
		j = !i || in_set(t[i - 1], " ([") ? figure_end(t, i, len) : i;
		if (j > i) {
			h = (h ^ '#') * FNV_PRIME;
			i = j;
			continue;
		}
		if (is_alpha(t[i]) && (!i || !is_alpha(t[i - 1]))) {
			for (j = i; j < len && is_alpha(t[j]); j++)
				;
			for (k = stem_end(t, i, j); i < k; i++)
				h = (h ^ (unsigned char)t[i]) * FNV_PRIME;
			i = j;
			continue;
		}
		h = (h ^ (unsigned char)t[i]) * FNV_PRIME;
		i++;
	}
	return h ? h : 1;
}

int pd_section_seen_filter(struct pd_section_seen *seen, const char *text,
			   size_t len, char **ret)
{
	uint64_t *found;
	size_t nfound = 0, i = 0, olen = 0, n, k;
	char *out;
	int r = 0;

	out = malloc(len + 1);
	found = calloc(count_lines(text, len) + 1, sizeof(*found));
	if (!out || !found) {
		r = -ENOMEM;
		goto out_free;
	}
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		uint64_t h;

		n = nl ? (size_t)(nl - text - i) : len - i;
		h = cause_hash(text + i, n);
		if (!seen_has(seen, h)) {
			k = n + (nl != NULL);
			memcpy(out + olen, text + i, k);
			olen += k;
			found[nfound++] = h;
		}
		i += n + (nl != NULL);
	}
	/* only now: lines of this text never hide each other */
	for (k = 0; k < nfound && r == 0; k++)
		r = seen_add(seen, found[k]);
	if (r < 0)
		goto out_free;
	out[olen] = '\0';
	*ret = out;
	out = NULL;
out_free:
	free(found);
	free(out);
	return r;
}
