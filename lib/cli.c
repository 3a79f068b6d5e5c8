/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli: strict parsing of option arguments (sizes, durations, lists). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Parse "INT[.FRAC]" at S into a whole part and a fraction in millionths.
 * Locale-independent on purpose (strtod would take "1,5" in de_DE).
 */
static int parse_decimal(const char **s, uint64_t *ret_whole,
			 uint64_t *ret_micro, bool *ret_frac)
{
	const char *p = *s;
	uint64_t whole = 0, micro = 0, scale = 100000;
	bool any = false;

	while (isdigit((unsigned char)*p)) {
		unsigned d = (unsigned)(*p - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return -ERANGE;
		whole = whole * 10 + d;
		any = true;
		p++;
	}
	*ret_frac = false;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		*ret_frac = true;
		while (isdigit((unsigned char)*p)) {
			micro += (uint64_t)(*p - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	if (!any)
		return -EINVAL;
	*s = p;
	*ret_whole = whole;
	*ret_micro = micro;
	return 0;
}

/* whole.micro * mult, rounded down; -ERANGE on overflow. */
static int scale_by(uint64_t whole, uint64_t micro, uint64_t mult,
		    uint64_t *ret)
{
	uint64_t a, b;

	if (mult && whole > UINT64_MAX / mult)
		return -ERANGE;
	a = whole * mult;
	/* micro < 1e6 and mult <= 2^60: split to stay in 64 bits */
	b = (mult / 1000000) * micro + (mult % 1000000) * micro / 1000000;
	if (a > UINT64_MAX - b)
		return -ERANGE;
	*ret = a + b;
	return 0;
}

int pd_parse_size(const char *s, uint64_t *ret_bytes)
{
	static const char units[] = "KMGTPE";
	uint64_t whole, micro, mult = 1;
	const char *p = s, *u;
	bool frac;
	int r;

	r = parse_decimal(&p, &whole, &micro, &frac);
	if (r < 0)
		return r;
	if (*p) {
		u = strchr(units, toupper((unsigned char)*p));
		if (!u)
			return -EINVAL;
		mult = 1ull << (10 * (u - units + 1));
		p++;
		if (!strcasecmp(p, "iB") || !strcasecmp(p, "B"))
			p += strlen(p);
		if (*p)
			return -EINVAL;
	} else if (frac) {
		return -EINVAL;	/* "1.5" bytes is not a size */
	}
	return scale_by(whole, micro, mult, ret_bytes);
}

int pd_parse_duration_ms(const char *s, unsigned *ret_ms)
{
	uint64_t whole, micro, mult, ms;
	const char *p = s;
	bool frac;
	int r;

	r = parse_decimal(&p, &whole, &micro, &frac);
	if (r < 0)
		return r;
	if (!*p || !strcmp(p, "s"))
		mult = 1000;
	else if (!strcmp(p, "ms"))
		mult = 1;
	else if (!strcmp(p, "m"))
		mult = 60000;
	else
		return -EINVAL;
	r = scale_by(whole, micro, mult, &ms);
	if (r < 0)
		return r;
	if (ms == 0 || ms > 86400000ull)
		return -ERANGE;
	*ret_ms = (unsigned)ms;
	return 0;
}

int pd_parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	unsigned long v;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (*e)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int pd_split_list(const char *list, char ***ret_items, size_t *ret_n)
{
	size_t n = 1, len = strlen(list), i;
	char **items, *copy, *p;

	for (i = 0; i < len; i++)
		if (list[i] == ',')
			n++;
	items = malloc(n * sizeof(*items) + len + 1);
	if (!items)
		return -ENOMEM;
	copy = (char *)(items + n);
	memcpy(copy, list, len + 1);
	for (i = 0, p = copy; i < n; i++) {
		char *c = strchr(p, ',');

		if (c)
			*c = '\0';
		if (!*p) {
			free(items);
			return -EINVAL;
		}
		items[i] = p;
		p = c ? c + 1 : p + strlen(p);
	}
	*ret_items = items;
	*ret_n = n;
	return 0;
}
