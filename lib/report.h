/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report: the column model and the three output formats (table, TSV, JSON). */
#ifndef PD_REPORT_H
#define PD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Value type of a column; decides alignment, formatting and sort order. */
enum pd_coltype {
	PD_COL_STR,	/* text, escaped in every format */
	PD_COL_NUM,	/* unsigned count or id, right-aligned */
	PD_COL_SIZE,	/* bytes; human units in the table unless -b */
	PD_COL_BOOL,	/* 0/1 in TSV, true/false in JSON, yes/no in table */
	PD_COL_SSIZE,	/* signed bytes: "1.5M"/"-4K" in the table ("+1.5M"
			 * with PD_COLF_PLUS), "-4096" in TSV and JSON;
			 * sorts largest first */
	PD_COL_CENTI,	/* a decimal with two places, set in hundredths
			 * (pd_row_set_u64 or _s64): 938 is "9.38" in every
			 * format (a JSON number); percentages, rates */
};

enum pd_colflag {
	PD_COLF_DEFAULT = 1 << 0,	/* in the default column list */
	PD_COLF_WIDE = 1 << 1,		/* long text (paths, command lines): kept last-ish, not truncated */
	PD_COLF_PLUS = 1 << 2,		/* signed values show "+" when positive (growth) */
};

/* One entry of a tool's static column table (as lslocks' infos[]). */
struct pd_column {
	const char *name;	/* upper case, [A-Z0-9_] */
	enum pd_coltype type;
	unsigned flags;		/* enum pd_colflag */
	const char *help;	/* one line for -H and --help */
};

enum pd_format {
	PD_FMT_TABLE,
	PD_FMT_TSV,
	PD_FMT_JSON,
};

struct pd_report;
struct pd_row;

/*
 * Make a report for tool NAME (the JSON top-level key) over COLS (NCOLS
 * entries, which must outlive the report). The selected columns start as the
 * ones flagged PD_COLF_DEFAULT. Returns 0 or -ENOMEM; free with
 * pd_report_free().
 */
int pd_report_new(const char *name, const struct pd_column *cols, size_t ncols,
		  struct pd_report **ret_rep);
void pd_report_free(struct pd_report *rep);

/* Set the default list from a comma-separated LIST (used for
 * <TOOL>_COLUMNS); same syntax and errors as pd_report_select(). The
 * selection becomes the new defaults too, until -o says more. */
int pd_report_set_defaults(struct pd_report *rep, const char *list,
			   char **ret_bad);

/*
 * Select the printed columns from LIST as -o takes it: comma-separated,
 * case-insensitive, a leading '+' appends to the defaults. Returns 0,
 * -EINVAL for an unknown name (ret_bad, if not NULL, then points at a
 * malloc'ed copy of the bad name, which the caller frees), -ENOMEM.
 */
int pd_report_select(struct pd_report *rep, const char *list, char **ret_bad);
/* Select every column (--output-all). */
void pd_report_select_all(struct pd_report *rep);

/* Index of column NAME (case-insensitive) in the tool's table, or -ENOENT. */
int pd_report_column_index(const struct pd_report *rep, const char *name);
/* Is column COL (tool table index) among the selected ones? Tools use it to
 * skip work nobody will see. */
bool pd_report_is_selected(const struct pd_report *rep, size_t col);
/* The table index of the first selected column (the one that says "total"
 * in the total line), or -ENOENT when none is selected. */
int pd_report_first_column(const struct pd_report *rep);

/*
 * Rows. A row holds one value per column of the tool's table (not only the
 * selected ones: sorting may use any). Unset cells, and strings set to
 * NULL, are "unknown": empty in TSV, null in JSON, "-" in the table.
 * Strings are copied.
 */
int pd_report_add_row(struct pd_report *rep, struct pd_row **ret_row);
int pd_row_set_str(struct pd_row *row, size_t col, const char *s);
int pd_row_set_strn(struct pd_row *row, size_t col, const char *s, size_t len);
void pd_row_set_u64(struct pd_row *row, size_t col, uint64_t v);
void pd_row_set_bool(struct pd_row *row, size_t col, bool v);
/* For PD_COL_SSIZE columns, and PD_COL_NUM ones whose values can be
 * negative (an oom_score_adj). */
void pd_row_set_s64(struct pd_row *row, size_t col, int64_t v);
/*
 * A remark the human table prints after cell COL's value, in parentheses:
 * "788 (kernel 789)". TSV and JSON leave it out, sorting ignores it. Set it
 * after the value: setting the value clears it. Returns 0, -EINVAL (no
 * such column) or -ENOMEM.
 */
int pd_row_set_note(struct pd_row *row, size_t col, const char *note);

/*
 * The total line of the human table (never printed in TSV or JSON). Its
 * first selected column shows "total" unless a value is set for it.
 */
int pd_report_total_row(struct pd_report *rep, struct pd_row **ret_row);

/*
 * Sort rows by SPEC "[+|-]COL": '+' ascending, '-' descending; without a
 * prefix sizes and numbers go largest first, text and booleans A-Z. Unknown
 * values sort last either way; ties keep insertion order (stable).
 * Returns 0, -EINVAL for an unknown column name.
 */
int pd_report_sort(struct pd_report *rep, const char *spec);

struct pd_print_opts {
	enum pd_format format;
	bool noheadings;	/* -n */
	bool bytes;		/* -b: plain byte counts in the table */
	size_t limit;		/* -N: print only the first LIMIT rows (after
				 * sorting; the total row is untouched); 0: all */
};

/*
 * Print the selected columns of every row to OUT. With no rows the table and
 * TSV print nothing at all and JSON prints {"<name>": []}. Returns 0 or a
 * negative errno from the stream (-EPIPE included; the caller decides).
 */
int pd_report_print(struct pd_report *rep, FILE *out,
		    const struct pd_print_opts *opts);

/* Print the column list for -H: NAME, TYPE, DESCRIPTION, in FORMAT. */
int pd_report_print_columns(const struct pd_report *rep, FILE *out,
			    const struct pd_print_opts *opts);

/*
 * Escaping helpers, exposed for tests, fuzzers and other writers.
 * pd_escape_tsv: the TSV rules of the conventions (\\ \t \n \r; other C0,
 * DEL, C1 controls U+0080..U+009F, the bidi controls U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069 and invalid UTF-8 bytes as \xHH,
 * each byte of a character on its own, so printf '%b' decodes it).
 * pd_escape_json_utf8: a JSON string body (no quotes): C0, DEL, C1 and
 * bidi controls as \uXXXX, invalid UTF-8 replaced by U+FFFD;
 * ret_was_valid tells whether the input was valid UTF-8 with no change
 * needed beyond JSON escaping. All return a malloc'ed NUL-terminated
 * string the caller frees, or NULL on ENOMEM.
 */
char *pd_escape_tsv(const char *s, size_t len);
char *pd_escape_json_utf8(const char *s, size_t len, bool *ret_was_valid);

enum pd_escape_flag {
	/* '\' stays as it is: for text whose system strings are escaped
	 * already (only what is still unsafe changes) */
	PD_ESCAPE_KEEP_BACKSLASH = 1 << 0,
};

/*
 * Text for a terminal, as the human table shows a cell: the TSV escape,
 * and every character this locale (LC_CTYPE) cannot decode or print as
 * \xHH bytes too. For messages on stderr and free text (--explain).
 * FLAGS: enum pd_escape_flag.
 */
char *pd_escape_text(const char *s, size_t len, unsigned flags);

/* Length (2..4) of the strictly valid UTF-8 sequence starting with the
 * non-ASCII byte at P (LEFT bytes available), or 0 when it is not one:
 * overlong forms, surrogates, past U+10FFFF, truncated. */
size_t pd_utf8_seq_len(const char *p, size_t left);

/* Human size as df -h/lsblk: "0B", "512B", "4K", "1.5G" (1024 powers, one
 * decimal dropped when .0). Writes at most BUFSZ bytes into BUF. */
void pd_size_to_human(uint64_t bytes, char *buf, size_t bufsz);

#endif
