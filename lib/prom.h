/* SPDX-License-Identifier: GPL-2.0-or-later */
/* prom: the Prometheus text exposition format (0.0.4), built in memory,
 * and its atomic write for node_exporter's textfile collector. */
#ifndef PD_PROM_H
#define PD_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A sample has at most this many labels: labels are for bounded
 * dimensions (mount point, command group), never for identities. */
#define PD_PROM_LABELS_MAX 8

struct pd_prom_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]*, not "__..." */
	const char *value;	/* any bytes: written in their TSV spelling,
				 * or verbatim (pd_prom_label_verbatim()) */
};

enum pd_prom_type {
	PD_PROM_GAUGE,
	PD_PROM_COUNTER,
};

struct pd_prom;

/* An empty exposition. 0 or -ENOMEM; free with pd_prom_free(). */
int pd_prom_new(struct pd_prom **ret_p);
void pd_prom_free(struct pd_prom *p);

/*
 * Start family NAME ([a-zA-Z_:][a-zA-Z0-9_:]*): its HELP and TYPE lines.
 * The samples that follow belong to it, so each family's samples are
 * contiguous and its HELP and TYPE appear once. Returns 0, -EINVAL (a bad
 * name), -EEXIST (a family of that name was started before), -ENOMEM.
 */
int pd_prom_family(struct pd_prom *p, const char *name,
		   enum pd_prom_type type, const char *help);

/*
 * From now on, write the values of labels named NAME verbatim
 * (pd_prom_escape_label_verbatim()): for labels whose values must equal
 * another exporter's, so that series join. Returns 0, -EINVAL (a bad
 * name), -ENOMEM.
 */
int pd_prom_label_verbatim(struct pd_prom *p, const char *name);

/*
 * A sample of the current family with NLABELS labels (at most
 * PD_PROM_LABELS_MAX). The _u64 and _s64 forms write the exact integer
 * (a gauge may be negative: a df/du gap), the _f64
 * form the shortest round-trip decimal (NaN, +Inf, -Inf as Prometheus
 * spells them). Returns 0, -EINVAL (no family started, a bad or repeated
 * label name, too many labels), -ENOMEM.
 */
int pd_prom_sample_u64(struct pd_prom *p, const struct pd_prom_label *labels,
		       size_t nlabels, uint64_t v);
int pd_prom_sample_s64(struct pd_prom *p, const struct pd_prom_label *labels,
		       size_t nlabels, int64_t v);
int pd_prom_sample_f64(struct pd_prom *p, const struct pd_prom_label *labels,
		       size_t nlabels, double v);

/* The text so far (NUL-terminated) and its length; lives as long as P and
 * until the next call that adds to it. */
const char *pd_prom_text(const struct pd_prom *p, size_t *ret_len);

/* Is NAME a valid metric name? A valid label name? */
bool pd_prom_is_metric_name(const char *name);
bool pd_prom_is_label_name(const char *name);

/*
 * A label value as the text format wants it between its quotes: the TSV
 * spelling of S (pd_escape_tsv(): \\ \t \n \r, \xHH for other
 * controls, C1 and bidi controls and invalid UTF-8), with '\' and '"'
 * then escaped as "\\" and "\"". The value Prometheus reads back is thus
 * the TSV field of the same name: valid UTF-8, no control character, and
 * printf '%b' decodes it to the bytes. Returns a malloc'ed string the
 * caller frees, or NULL on ENOMEM.
 */
char *pd_prom_escape_label(const char *s, size_t len);

/*
 * A label value kept as it is: the text format's own escapes only ('\'
 * as "\\", '"' as "\""), so the value Prometheus reads back is S itself,
 * a TAB and a backslash included, as another exporter (node_exporter)
 * would write the same bytes. What no exporter of ours should put in a
 * file is still spelled as the TSV does (\xHH: control bytes other than
 * TAB, C1 and bidi controls, invalid UTF-8), so the file stays printable
 * valid UTF-8. Returns a malloc'ed string the caller frees, or NULL on
 * ENOMEM.
 */
char *pd_prom_escape_label_verbatim(const char *s, size_t len);

/*
 * Replace the file PATH with LEN bytes of BUF, atomically: a temporary file
 * in the same directory (mkstemp, ".NAME.XXXXXX": never matched by the
 * textfile collector's *.prom), mode 0644, written, fsync'ed, renamed over
 * PATH, and the directory fsync'ed. An existing PATH must be a regular
 * file: rename() would replace a device node (as root, /dev/null), a
 * FIFO or a symlink itself; those are refused with -EEXIST, a directory
 * with -EISDIR (checked before the temporary file is made and again
 * right before the rename). On failure the temporary file is removed and
 * PATH is untouched. Returns 0 or -errno.
 */
int pd_prom_write_file(const char *path, const char *buf, size_t len);

#endif
