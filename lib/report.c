/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report: the column model and the three output formats (table, TSV, JSON). */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include <libsmartcols.h>

enum cell_kind {
	CELL_UNSET,
	CELL_STR,
	CELL_U64,
	CELL_S64,
	CELL_BOOL,
};

struct pd_cell {
	enum cell_kind kind;
	char *str;
	size_t len; /* of str, which may hold NUL bytes */
	char *note; /* the table's remark after the value, or NULL */
	uint64_t u64;
	int64_t s64;
	bool b;
};

struct pd_row {
	size_t seq; /* insertion order: the sort's tie breaker */
	size_t ncols;
	struct pd_cell cells[];
};

/*
 * Every column index array (selection, defaults) is allocated with room for
 * at least ncols entries, so pd_report_select_all() never allocates.
 */
struct pd_report {
	char *name;
	const struct pd_column *cols;
	size_t ncols;
	size_t *sel;
	size_t nsel;
	size_t *defs;
	size_t ndefs;
	struct pd_row **rows;
	size_t nrows;
	size_t rows_cap;
	struct pd_row *total;
};

static const char hexdigits[] = "0123456789abcdef";

/* ---- escaping ---------------------------------------------------------- */

/*
 * Length (2..4) of the strictly valid UTF-8 sequence of a non-ASCII lead
 * byte at P, or 0: overlong forms, surrogates, code points past U+10FFFF and
 * truncated sequences are all invalid.
 */
static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;

	/* The second byte's range is what rules out the bad code points. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	return n;
}

size_t pd_utf8_seq_len(const char *p, size_t left)
{
	return utf8_seq_len((const unsigned char *)p, left);
}

static char *put_hex(char *q, unsigned char c)
{
	*q++ = '\\';
	*q++ = 'x';
	*q++ = hexdigits[c >> 4];
	*q++ = hexdigits[c & 0xf];
	return q;
}

/* The letter of C's two-character escape in PAIRS ("\tt\nn..."), or 0. */
static char short_escape(unsigned char c, const char *pairs)
{
	for (; *pairs; pairs += 2) {
		if ((unsigned char)*pairs == c)
			return pairs[1];
	}
	return 0;
}

/* Room for LEN input bytes that may each grow to PER bytes, plus the NUL. */
static char *alloc_escaped(size_t len, size_t per)
{
	if (len > (SIZE_MAX - 1) / per) {
		errno = ENOMEM;
		return NULL;
	}
	return malloc(len * per + 1);
}

/*
 * Is the valid UTF-8 sequence P of N bytes a C1 control (U+0080..U+009F:
 * a terminal takes U+009B as CSI) or a bidi control that reorders what a
 * terminal shows (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069)? Those are escaped as the C0 controls are.
 */
static bool is_c1_or_bidi(const unsigned char *p, size_t n)
{
	if (n == 2)
		return (p[0] == 0xc2 && p[1] <= 0x9f) ||
		       (p[0] == 0xd8 && p[1] == 0x9c);
	if (n != 3 || p[0] != 0xe2)
		return false;
	if (p[1] == 0x80)
		return p[2] == 0x8e || p[2] == 0x8f ||
		       (p[2] >= 0xaa && p[2] <= 0xae);
	return p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9;
}

/* The TSV escape; KEEP_BACKSLASH leaves '\' alone (for text whose names
 * are escaped already: only what is still unsafe changes). */
static char *escape_tsv(const char *s, size_t len, bool keep_backslash)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out, *q;
	size_t i = 0, n, k;
	char e;

	out = alloc_escaped(len, 4);
	if (!out)
		return NULL;
	q = out;
	while (i < len) {
		unsigned char c = p[i];

		e = short_escape(c, keep_backslash ? "\tt\nn\rr" :
						     "\\\\\tt\nn\rr");
		if (e) {
			*q++ = '\\';
			*q++ = e;
		} else if (c < 0x20 || c == 0x7f) {
			q = put_hex(q, c);
		} else if (c < 0x80) {
			*q++ = c;
		} else {
			n = utf8_seq_len(p + i, len - i);
			if (n && is_c1_or_bidi(p + i, n)) {
				for (k = 0; k < n; k++)
					q = put_hex(q, p[i + k]);
				i += n;
				continue;
			}
			if (n) {
				memcpy(q, p + i, n);
				q += n;
				i += n;
				continue;
			}
			/* This byte only: the next may start a good one. */
			q = put_hex(q, c);
		}
		i++;
	}
	*q = '\0';
	return out;
}

char *pd_escape_tsv(const char *s, size_t len)
{
	return escape_tsv(s, len, false);
}

/* The code point of the valid 2- or 3-byte UTF-8 sequence P of N bytes. */
static unsigned utf8_decode(const unsigned char *p, size_t n)
{
	if (n == 2)
		return (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	return (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 |
	       (p[2] & 0x3f);
}

char *pd_escape_json_utf8(const char *s, size_t len, bool *ret_was_valid)
{
	const unsigned char *p = (const unsigned char *)s;
	bool valid = true;
	char *out, *q;
	size_t i = 0, n;
	char e;

	out = alloc_escaped(len, 6);
	if (!out)
		return NULL;
	q = out;
	while (i < len) {
		unsigned char c = p[i];

		e = short_escape(c, "\"\"\\\\\nn\tt\rr\bb\ff");
		if (e) {
			*q++ = '\\';
			*q++ = e;
		} else if (c < 0x20 || c == 0x7f) {
			/* JSON allows a raw DEL; terminals prefer it not. */
			memcpy(q, "\\u00", 4);
			q[4] = hexdigits[c >> 4];
			q[5] = hexdigits[c & 0xf];
			q += 6;
		} else if (c < 0x80) {
			*q++ = c;
		} else {
			n = utf8_seq_len(p + i, len - i);
			if (n && is_c1_or_bidi(p + i, n)) {
				/* at most 3 bytes in, 6 out */
				q += sprintf(q, "\\u%04x",
					     utf8_decode(p + i, n));
				i += n;
				continue;
			}
			if (n) {
				memcpy(q, p + i, n);
				q += n;
				i += n;
				continue;
			}
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			valid = false;
		}
		i++;
	}
	*q = '\0';
	if (ret_was_valid)
		*ret_was_valid = valid;
	return out;
}

void pd_size_to_human(uint64_t bytes, char *buf, size_t bufsz)
{
	static const char units[] = "KMGTPE";
	uint64_t whole, rem, div;
	unsigned shift = 10, tenth, u = 0;

	if (bytes < 1024) {
		snprintf(buf, bufsz, "%" PRIu64 "B", bytes);
		return;
	}
	while (u < sizeof(units) - 2 && (bytes >> shift) >= 1024) {
		shift += 10;
		u++;
	}
	/* Integer arithmetic: rem * 10 + div / 2 stays below 2^64 for 2^60. */
	div = UINT64_C(1) << shift;
	whole = bytes >> shift;
	rem = bytes & (div - 1);
	tenth = (unsigned)((rem * 10 + div / 2) / div);
	if (tenth == 10) {
		whole++;
		tenth = 0;
	}
	/* 1023.96K rounds to 1024.0K, which reads 1M. */
	if (whole == 1024 && u < sizeof(units) - 2) {
		whole = 1;
		u++;
	}
	if (tenth)
		snprintf(buf, bufsz, "%" PRIu64 ".%u%c", whole, tenth,
			 units[u]);
	else
		snprintf(buf, bufsz, "%" PRIu64 "%c", whole, units[u]);
}

/* ---- the report and its rows ------------------------------------------- */

/* An index array with room for N entries and never fewer than ncols. */
static size_t *alloc_index(const struct pd_report *rep, size_t n)
{
	return calloc(n > rep->ncols ? n : rep->ncols + 1, sizeof(size_t));
}

int pd_report_new(const char *name, const struct pd_column *cols, size_t ncols,
		  struct pd_report **ret_rep)
{
	struct pd_report *rep;
	size_t i;

	rep = calloc(1, sizeof(*rep));
	if (!rep)
		return -ENOMEM;
	rep->cols = cols;
	rep->ncols = ncols;
	rep->name = strdup(name);
	if (!rep->name)
		goto out_free;
	rep->sel = alloc_index(rep, ncols);
	if (!rep->sel)
		goto out_free;
	rep->defs = alloc_index(rep, ncols);
	if (!rep->defs)
		goto out_free;
	for (i = 0; i < ncols; i++) {
		if (cols[i].flags & PD_COLF_DEFAULT)
			rep->defs[rep->ndefs++] = i;
	}
	memcpy(rep->sel, rep->defs, rep->ndefs * sizeof(size_t));
	rep->nsel = rep->ndefs;
	*ret_rep = rep;
	return 0;

out_free:
	pd_report_free(rep);
	return -ENOMEM;
}

static void cell_clear(struct pd_cell *ce)
{
	if (ce->kind == CELL_STR)
		free(ce->str);
	free(ce->note);
	ce->note = NULL;
	ce->kind = CELL_UNSET;
}

static void row_free(struct pd_row *row)
{
	size_t i;

	if (!row)
		return;
	for (i = 0; i < row->ncols; i++)
		cell_clear(&row->cells[i]);
	free(row);
}

void pd_report_free(struct pd_report *rep)
{
	size_t i;

	if (!rep)
		return;
	for (i = 0; i < rep->nrows; i++)
		row_free(rep->rows[i]);
	row_free(rep->total);
	free(rep->rows);
	free(rep->defs);
	free(rep->sel);
	free(rep->name);
	free(rep);
}

static int find_column(const struct pd_report *rep, const char *name,
		       size_t len)
{
	size_t i;

	for (i = 0; i < rep->ncols; i++) {
		if (strlen(rep->cols[i].name) == len &&
		    strncasecmp(rep->cols[i].name, name, len) == 0)
			return (int)i;
	}
	return -ENOENT;
}

int pd_report_column_index(const struct pd_report *rep, const char *name)
{
	return find_column(rep, name, strlen(name));
}

/*
 * Parse a comma-separated LIST into a new index array; with ALLOW_PLUS a
 * leading '+' starts the array with the current defaults. The caller owns
 * *RET_IDX. On -EINVAL *RET_BAD (if RET_BAD) gets a copy of the bad item.
 */
static int parse_list(const struct pd_report *rep, const char *list,
		      bool allow_plus, size_t **ret_idx, size_t *ret_n,
		      char **ret_bad)
{
	size_t *idx, n = 0, cap = 1;
	const char *p, *end;
	char *bad;
	int col;

	if (!list)
		list = "";
	if (allow_plus && list[0] == '+') {
		n = rep->ndefs;
		list++;
	}
	for (p = list; *p; p++) {
		if (*p == ',')
			cap++;
	}
	idx = alloc_index(rep, n + cap);
	if (!idx)
		return -ENOMEM;
	memcpy(idx, rep->defs, n * sizeof(*idx));

	p = list;
	for (;;) {
		end = p + strcspn(p, ",");
		col = find_column(rep, p, (size_t)(end - p));
		if (col < 0)
			goto out_bad;
		idx[n++] = (size_t)col;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*ret_idx = idx;
	*ret_n = n;
	return 0;

out_bad:
	free(idx);
	if (!ret_bad)
		return -EINVAL;
	bad = strndup(p, (size_t)(end - p));
	if (!bad)
		return -ENOMEM;
	*ret_bad = bad;
	return -EINVAL;
}

/* The environment's defaults also become the selection until -o says more. */
int pd_report_set_defaults(struct pd_report *rep, const char *list,
			   char **ret_bad)
{
	size_t *defs, *sel, n;
	int r;

	r = parse_list(rep, list, false, &defs, &n, ret_bad);
	if (r < 0)
		return r;
	sel = alloc_index(rep, n);
	if (!sel) {
		free(defs);
		return -ENOMEM;
	}
	memcpy(sel, defs, n * sizeof(*sel));
	free(rep->defs);
	rep->defs = defs;
	rep->ndefs = n;
	free(rep->sel);
	rep->sel = sel;
	rep->nsel = n;
	return 0;
}

int pd_report_select(struct pd_report *rep, const char *list, char **ret_bad)
{
	size_t *sel, n;
	int r;

	r = parse_list(rep, list, true, &sel, &n, ret_bad);
	if (r < 0)
		return r;
	free(rep->sel);
	rep->sel = sel;
	rep->nsel = n;
	return 0;
}

void pd_report_select_all(struct pd_report *rep)
{
	size_t i;

	for (i = 0; i < rep->ncols; i++)
		rep->sel[i] = i;
	rep->nsel = rep->ncols;
}

int pd_report_first_column(const struct pd_report *rep)
{
	return rep->nsel ? (int)rep->sel[0] : -ENOENT;
}

bool pd_report_is_selected(const struct pd_report *rep, size_t col)
{
	size_t i;

	for (i = 0; i < rep->nsel; i++) {
		if (rep->sel[i] == col)
			return true;
	}
	return false;
}

static struct pd_row *row_new(size_t ncols)
{
	struct pd_row *row;

	row = calloc(1, sizeof(*row) + ncols * sizeof(row->cells[0]));
	if (!row)
		return NULL;
	row->ncols = ncols;
	return row;
}

int pd_report_add_row(struct pd_report *rep, struct pd_row **ret_row)
{
	struct pd_row **rows, *row;
	size_t cap;

	if (rep->nrows == rep->rows_cap) {
		cap = rep->rows_cap ? rep->rows_cap * 2 : 64;
		rows = reallocarray(rep->rows, cap, sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		rep->rows = rows;
		rep->rows_cap = cap;
	}
	row = row_new(rep->ncols);
	if (!row)
		return -ENOMEM;
	row->seq = rep->nrows;
	rep->rows[rep->nrows++] = row;
	*ret_row = row;
	return 0;
}

int pd_report_total_row(struct pd_report *rep, struct pd_row **ret_row)
{
	if (!rep->total) {
		rep->total = row_new(rep->ncols);
		if (!rep->total)
			return -ENOMEM;
	}
	*ret_row = rep->total;
	return 0;
}

/* Cell COL emptied and tagged KIND, or NULL if the row has no such column. */
static struct pd_cell *cell_reset(struct pd_row *row, size_t col,
				  enum cell_kind kind)
{
	if (col >= row->ncols)
		return NULL;
	cell_clear(&row->cells[col]);
	row->cells[col].kind = kind;
	return &row->cells[col];
}

/* A NULL string leaves the cell unknown. */
int pd_row_set_strn(struct pd_row *row, size_t col, const char *s, size_t len)
{
	struct pd_cell *ce;
	char *copy = NULL;

	if (col >= row->ncols)
		return -EINVAL;
	if (s) {
		copy = malloc(len + 1);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	ce = cell_reset(row, col, s ? CELL_STR : CELL_UNSET);
	ce->str = copy;
	ce->len = len;
	return 0;
}

int pd_row_set_str(struct pd_row *row, size_t col, const char *s)
{
	return pd_row_set_strn(row, col, s, s ? strlen(s) : 0);
}

void pd_row_set_u64(struct pd_row *row, size_t col, uint64_t v)
{
	struct pd_cell *ce = cell_reset(row, col, CELL_U64);

	if (ce)
		ce->u64 = v;
}

void pd_row_set_s64(struct pd_row *row, size_t col, int64_t v)
{
	struct pd_cell *ce = cell_reset(row, col, CELL_S64);

	if (ce)
		ce->s64 = v;
}

int pd_row_set_note(struct pd_row *row, size_t col, const char *note)
{
	char *copy;

	if (col >= row->ncols)
		return -EINVAL;
	copy = strdup(note);
	if (!copy)
		return -ENOMEM;
	free(row->cells[col].note);
	row->cells[col].note = copy;
	return 0;
}

void pd_row_set_bool(struct pd_row *row, size_t col, bool v)
{
	struct pd_cell *ce = cell_reset(row, col, CELL_BOOL);

	if (ce)
		ce->b = v;
}

/* ---- sorting ----------------------------------------------------------- */

struct sort_key {
	size_t col;
	int dir; /* 1 ascending, -1 descending */
};

static int cell_cmp(const struct pd_cell *a, const struct pd_cell *b)
{
	size_t n;
	int r;

	/* A column may mix signed and unsigned cells: compare values. */
	if (a->kind == CELL_S64 && b->kind == CELL_U64)
		return a->s64 < 0 || (uint64_t)a->s64 < b->u64 ? -1 :
		       (uint64_t)a->s64 > b->u64;
	if (a->kind == CELL_U64 && b->kind == CELL_S64)
		return -cell_cmp(b, a);
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case CELL_STR:
		n = a->len < b->len ? a->len : b->len;
		r = memcmp(a->str, b->str, n);
		if (r)
			return r;
		return (a->len > b->len) - (a->len < b->len);
	case CELL_U64:
		return (a->u64 > b->u64) - (a->u64 < b->u64);
	case CELL_S64:
		return (a->s64 > b->s64) - (a->s64 < b->s64);
	case CELL_BOOL:
		return (int)a->b - (int)b->b;
	case CELL_UNSET:
		break;
	}
	return 0;
}

/*
 * qsort_r() is not stable, so ties fall back to the insertion sequence;
 * its context argument spares us a global for the key.
 */
static int row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct pd_row *a = *(struct pd_row *const *)pa;
	const struct pd_row *b = *(struct pd_row *const *)pb;
	const struct sort_key *key = arg;
	const struct pd_cell *ca = &a->cells[key->col];
	const struct pd_cell *cb = &b->cells[key->col];
	bool ua = ca->kind == CELL_UNSET, ub = cb->kind == CELL_UNSET;
	int r;

	/* Unknowns go last whatever the direction. */
	if (ua || ub)
		r = (int)ua - (int)ub;
	else
		r = key->dir * cell_cmp(ca, cb);
	if (r)
		return r;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

int pd_report_sort(struct pd_report *rep, const char *spec)
{
	struct sort_key key;
	enum pd_coltype type;
	int col;

	if (spec[0] == '+' || spec[0] == '-') {
		key.dir = spec[0] == '+' ? 1 : -1;
		spec++;
	} else {
		key.dir = 0;
	}
	col = pd_report_column_index(rep, spec);
	if (col < 0)
		return -EINVAL;
	key.col = (size_t)col;
	if (key.dir == 0) {
		type = rep->cols[col].type;
		key.dir = type == PD_COL_STR || type == PD_COL_BOOL ? 1 : -1;
	}
	if (rep->nrows > 1)
		qsort_r(rep->rows, rep->nrows, sizeof(*rep->rows), row_cmp,
			&key);
	return 0;
}

/* ---- output ------------------------------------------------------------ */

/*
 * A failed write leaves the stream's error flag set; glibc keeps the unsent
 * buffer, so the final fflush() fails again and reports the real errno.
 */
static int stream_status(FILE *out)
{
	if (fflush(out) == EOF)
		return errno > 0 ? -errno : -EIO;
	if (ferror(out))
		return -EIO;
	return 0;
}

/* Hundredths V as a decimal with two places: "9.38", "-0.05". */
static void centi_text(bool neg, uint64_t v, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s%" PRIu64 ".%02u", neg ? "-" : "", v / 100,
		 (unsigned)(v % 100));
}

/* Plain text of a number or boolean cell of column C, as TSV writes it. */
static void plain_text(const struct pd_column *c, const struct pd_cell *ce,
		       char *buf, size_t bufsz)
{
	if (c->type == PD_COL_CENTI && ce->kind == CELL_U64)
		centi_text(false, ce->u64, buf, bufsz);
	else if (c->type == PD_COL_CENTI && ce->kind == CELL_S64)
		centi_text(ce->s64 < 0, ce->s64 < 0 ? -(uint64_t)ce->s64 :
			   (uint64_t)ce->s64, buf, bufsz);
	else if (ce->kind == CELL_U64)
		snprintf(buf, bufsz, "%" PRIu64, ce->u64);
	else if (ce->kind == CELL_S64)
		snprintf(buf, bufsz, "%" PRId64, ce->s64);
	else if (ce->kind == CELL_BOOL)
		snprintf(buf, bufsz, "%d", ce->b ? 1 : 0);
	else
		buf[0] = '\0';
}

/*
 * The TSV form made safe for this terminal: a multibyte character the
 * locale cannot decode or print goes out as \xHH bytes too. This is also
 * what makes the table's noencoding mode safe: libsmartcols 2.38 loops
 * forever measuring text that mbrtowc() rejects.
 */
char *pd_escape_text(const char *s, size_t len, unsigned flags)
{
	char *tsv, *out, *q;
	size_t tlen, i, n, k;
	mbstate_t st;
	wchar_t wc;

	tsv = escape_tsv(s, len, flags & PD_ESCAPE_KEEP_BACKSLASH);
	if (!tsv)
		return NULL;
	tlen = strlen(tsv);
	out = alloc_escaped(tlen, 4);
	if (!out)
		goto out_free_tsv;
	q = out;
	for (i = 0; i < tlen; i += n) {
		if ((unsigned char)tsv[i] < 0x80) {
			*q++ = tsv[i];
			n = 1;
			continue;
		}
		n = utf8_seq_len((const unsigned char *)tsv + i, tlen - i);
		if (n == 0)
			n = 1;
		memset(&st, 0, sizeof(st));
		if (mbrtowc(&wc, tsv + i, n, &st) == n &&
		    iswprint((wint_t)wc)) {
			memcpy(q, tsv + i, n);
			q += n;
			continue;
		}
		for (k = 0; k < n; k++)
			q = put_hex(q, (unsigned char)tsv[i + k]);
	}
	*q = '\0';

out_free_tsv:
	free(tsv);
	return out;
}

/* A growth keeps its sign in the table, -b or not: "+1.5M", "-4096", "0". */
static void signed_text(int64_t v, bool human, bool plus, char *buf,
			size_t bufsz)
{
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	char num[32];

	if (human)
		pd_size_to_human(mag, num, sizeof(num));
	else
		snprintf(num, sizeof(num), "%" PRIu64, mag);
	snprintf(buf, bufsz, "%s%s", v < 0 ? "-" : v > 0 && plus ? "+" : "",
		 num);
}

/* The malloc'ed text of a cell's value in the table, or NULL on ENOMEM. */
static char *value_text(const struct pd_column *c, const struct pd_cell *ce,
			const struct pd_print_opts *opts)
{
	bool human = !opts->bytes &&
		     (c->type == PD_COL_SIZE || c->type == PD_COL_SSIZE);
	char buf[40];

	switch (ce->kind) {
	case CELL_STR:
		return pd_escape_text(ce->str, ce->len, 0);
	case CELL_U64:
		if (human)
			pd_size_to_human(ce->u64, buf, sizeof(buf));
		else
			plain_text(c, ce, buf, sizeof(buf));
		return strdup(buf);
	case CELL_S64:
		if (c->type == PD_COL_CENTI) {
			plain_text(c, ce, buf, sizeof(buf));
			return strdup(buf);
		}
		signed_text(ce->s64, human, c->flags & PD_COLF_PLUS, buf,
			    sizeof(buf));
		return strdup(buf);
	case CELL_BOOL:
		return strdup(ce->b ? "yes" : "no");
	case CELL_UNSET:
		break;
	}
	return strdup("-");
}

/* The malloc'ed text of one table cell, its note after it, or NULL on
 * ENOMEM. */
static char *table_text(const struct pd_column *c, const struct pd_cell *ce,
			const struct pd_print_opts *opts)
{
	char *text = value_text(c, ce, opts), *note, *both = NULL;

	if (!text || !ce->note)
		return text;
	note = pd_escape_text(ce->note, strlen(ce->note), 0);
	if (note && asprintf(&both, "%s (%s)", text, note) < 0)
		both = NULL;
	free(note);
	free(text);
	return both;
}

/*
 * In the total line an unset cell is not an unknown value but one that
 * does not add up, so it stays blank; the first one says "total".
 */
static int table_add_line(const struct pd_report *rep,
			  struct libscols_table *tb, const struct pd_row *row,
			  bool is_total, const struct pd_print_opts *opts)
{
	struct libscols_line *ln;
	const struct pd_cell *ce;
	const char *fixed;
	char *text;
	size_t j;
	int r;

	ln = scols_table_new_line(tb, NULL);
	if (!ln)
		return -ENOMEM;
	for (j = 0; j < rep->nsel; j++) {
		ce = &row->cells[rep->sel[j]];
		if (is_total && ce->kind == CELL_UNSET) {
			fixed = j == 0 ? "total" : "";
			r = scols_line_set_data(ln, j, fixed);
		} else {
			text = table_text(&rep->cols[rep->sel[j]], ce, opts);
			if (!text)
				return -ENOMEM;
			r = scols_line_set_data(ln, j, text);
			free(text);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static bool stream_is_term(FILE *out)
{
	int fd = fileno(out);

	return fd >= 0 && isatty(fd);
}

/* Rows to print: all, or the first opts->limit (-N) of the sorted ones. */
static size_t rows_shown(const struct pd_report *rep,
			 const struct pd_print_opts *opts)
{
	return opts->limit && opts->limit < rep->nrows ? opts->limit :
							rep->nrows;
}

static int print_table(const struct pd_report *rep, FILE *out,
		       const struct pd_print_opts *opts)
{
	struct libscols_table *tb;
	const struct pd_column *c;
	size_t i;
	int flags, force, status, r = -ENOMEM;

	tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	scols_table_enable_noheadings(tb, opts->noheadings);
	/*
	 * Our cells are already escaped. libsmartcols' own encoding would turn
	 * the backslash of every \xHH into \x5c, and its safechars escape
	 * hatch miscounts the width of each safe character (2.38).
	 */
	scols_table_enable_noencoding(tb, 1);
	/* It would otherwise ask isatty() of stdout, not of OUT. */
	force = stream_is_term(out) ? SCOLS_TERMFORCE_ALWAYS
				    : SCOLS_TERMFORCE_NEVER;
	scols_table_set_termforce(tb, force);
	scols_table_set_stream(tb, out);

	for (i = 0; i < rep->nsel; i++) {
		c = &rep->cols[rep->sel[i]];
		flags = 0;
		if (c->type != PD_COL_STR && c->type != PD_COL_BOOL)
			flags |= SCOLS_FL_RIGHT;
		if (c->flags & PD_COLF_WIDE)
			flags |= SCOLS_FL_NOEXTREMES;
		if (!scols_table_new_column(tb, c->name, 0, flags))
			goto out_unref;
	}
	for (i = 0; i < rows_shown(rep, opts); i++) {
		r = table_add_line(rep, tb, rep->rows[i], false, opts);
		if (r < 0)
			goto out_unref;
	}
	if (rep->total) {
		r = table_add_line(rep, tb, rep->total, true, opts);
		if (r < 0)
			goto out_unref;
	}

	r = scols_print_table(tb);
	/* A write error says more than libsmartcols' own return code. */
	status = stream_status(out);
	if (status < 0)
		r = status;

out_unref:
	scols_unref_table(tb);
	return r;
}

static int tsv_put_cell(FILE *out, const struct pd_column *c,
			const struct pd_cell *ce)
{
	char buf[32], *esc;

	if (ce->kind != CELL_STR) {
		plain_text(c, ce, buf, sizeof(buf));
		fputs(buf, out);
		return 0;
	}
	esc = pd_escape_tsv(ce->str, ce->len);
	if (!esc)
		return -ENOMEM;
	fputs(esc, out);
	free(esc);
	return 0;
}

static int print_tsv(const struct pd_report *rep, FILE *out,
		     const struct pd_print_opts *opts)
{
	size_t i, j;
	int r;

	if (!opts->noheadings) {
		for (j = 0; j < rep->nsel; j++) {
			if (j)
				fputc('\t', out);
			fputs(rep->cols[rep->sel[j]].name, out);
		}
		fputc('\n', out);
	}
	for (i = 0; i < rows_shown(rep, opts); i++) {
		for (j = 0; j < rep->nsel; j++) {
			if (j)
				fputc('\t', out);
			r = tsv_put_cell(out, &rep->cols[rep->sel[j]],
					 &rep->rows[i]->cells[rep->sel[j]]);
			if (r < 0)
				return r;
		}
		fputc('\n', out);
	}
	return stream_status(out);
}

static int json_put_string(FILE *out, const char *s, size_t len,
			   bool *ret_was_valid)
{
	char *esc;

	esc = pd_escape_json_utf8(s, len, ret_was_valid);
	if (!esc)
		return -ENOMEM;
	fputc('"', out);
	fputs(esc, out);
	fputc('"', out);
	free(esc);
	return 0;
}

/* Column names are [A-Z0-9_]: lower-casing them is all a key needs. */
static void json_put_key(FILE *out, const char *name, const char *suffix)
{
	fputc('"', out);
	for (; *name; name++)
		fputc(tolower((unsigned char)*name), out);
	fprintf(out, "%s\": ", suffix);
}

static int json_put_cell(FILE *out, const struct pd_column *c,
			 const struct pd_cell *ce)
{
	char buf[32], *raw;
	bool valid;
	int r;

	json_put_key(out, c->name, "");
	if (c->type == PD_COL_CENTI &&
	    (ce->kind == CELL_U64 || ce->kind == CELL_S64)) {
		plain_text(c, ce, buf, sizeof(buf));
		fputs(buf, out);
		return 0;
	}
	switch (ce->kind) {
	case CELL_UNSET:
		fputs("null", out);
		return 0;
	case CELL_U64:
		fprintf(out, "%" PRIu64, ce->u64);
		return 0;
	case CELL_S64:
		fprintf(out, "%" PRId64, ce->s64);
		return 0;
	case CELL_BOOL:
		fputs(ce->b ? "true" : "false", out);
		return 0;
	case CELL_STR:
		break;
	}
	r = json_put_string(out, ce->str, ce->len, &valid);
	if (r < 0 || valid)
		return r;
	/* The exact bytes, for those who need them (a path to open). */
	raw = pd_escape_tsv(ce->str, ce->len);
	if (!raw)
		return -ENOMEM;
	fputs(", ", out);
	json_put_key(out, c->name, "_raw");
	r = json_put_string(out, raw, strlen(raw), NULL);
	free(raw);
	return r;
}

static int print_json(const struct pd_report *rep, FILE *out,
		      const struct pd_print_opts *opts)
{
	size_t i, j;
	int r;

	fputc('{', out);
	r = json_put_string(out, rep->name, strlen(rep->name), NULL);
	if (r < 0)
		return r;
	fputs(": [", out);
	for (i = 0; i < rows_shown(rep, opts); i++) {
		fputs(i ? ",\n  {" : "\n  {", out);
		for (j = 0; j < rep->nsel; j++) {
			if (j)
				fputs(", ", out);
			r = json_put_cell(out, &rep->cols[rep->sel[j]],
					  &rep->rows[i]->cells[rep->sel[j]]);
			if (r < 0)
				return r;
		}
		fputc('}', out);
	}
	fputs(rep->nrows ? "\n]}\n" : "]}\n", out);
	return stream_status(out);
}

int pd_report_print(struct pd_report *rep, FILE *out,
		    const struct pd_print_opts *opts)
{
	static const struct pd_print_opts defaults = {.format = PD_FMT_TABLE};

	if (!opts)
		opts = &defaults;
	if (opts->format == PD_FMT_JSON)
		return print_json(rep, out, opts);
	/* Silent when a filter finds nothing, so cron mails nothing. */
	if (rep->nrows == 0 || rep->nsel == 0)
		return 0;
	if (opts->format == PD_FMT_TSV)
		return print_tsv(rep, out, opts);
	return print_table(rep, out, opts);
}

/* ---- -H ---------------------------------------------------------------- */

enum { INFO_NAME, INFO_TYPE, INFO_DESCRIPTION };

static const struct pd_column info_cols[] = {
	[INFO_NAME] = {"NAME", PD_COL_STR, PD_COLF_DEFAULT,
		       "column name, as --output takes it"},
	[INFO_TYPE] = {"TYPE", PD_COL_STR, PD_COLF_DEFAULT,
		       "string, number, size or boolean"},
	[INFO_DESCRIPTION] = {"DESCRIPTION", PD_COL_STR,
			      PD_COLF_DEFAULT | PD_COLF_WIDE,
			      "what the column shows"},
};

/* A signed size is still bytes: -H keeps to the four documented types. */
static const char *type_name(enum pd_coltype type)
{
	switch (type) {
	case PD_COL_STR:
		break;
	case PD_COL_NUM:
	case PD_COL_CENTI:
		return "number";
	case PD_COL_SIZE:
	case PD_COL_SSIZE:
		return "size";
	case PD_COL_BOOL:
		return "boolean";
	}
	return "string";
}

int pd_report_print_columns(const struct pd_report *rep, FILE *out,
			    const struct pd_print_opts *opts)
{
	struct pd_report *info;
	struct pd_row *row;
	size_t i;
	int r;

	r = pd_report_new("columns", info_cols,
			  sizeof(info_cols) / sizeof(info_cols[0]), &info);
	if (r < 0)
		return r;
	for (i = 0; i < rep->ncols; i++) {
		r = pd_report_add_row(info, &row);
		if (r < 0)
			goto out_free_info;
		r = pd_row_set_str(row, INFO_NAME, rep->cols[i].name);
		if (r < 0)
			goto out_free_info;
		r = pd_row_set_str(row, INFO_TYPE,
				   type_name(rep->cols[i].type));
		if (r < 0)
			goto out_free_info;
		r = pd_row_set_str(row, INFO_DESCRIPTION, rep->cols[i].help);
		if (r < 0)
			goto out_free_info;
	}
	r = pd_report_print(info, out, opts);

out_free_info:
	pd_report_free(info);
	return r;
}
