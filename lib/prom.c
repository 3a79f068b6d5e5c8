/* SPDX-License-Identifier: GPL-2.0-or-later */
/* prom: the Prometheus text exposition format (0.0.4), built in memory,
 * and its atomic write for node_exporter's textfile collector. */
#include "prom.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

struct pd_prom {
	char *buf;
	size_t len, cap;
	char **families;	/* names started so far */
	size_t nfamilies;
	char **verbatim;	/* label names written verbatim */
	size_t nverbatim;
};

int pd_prom_new(struct pd_prom **ret_p)
{
	struct pd_prom *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	*ret_p = p;
	return 0;
}

void pd_prom_free(struct pd_prom *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nfamilies; i++)
		free(p->families[i]);
	free(p->families);
	for (i = 0; i < p->nverbatim; i++)
		free(p->verbatim[i]);
	free(p->verbatim);
	free(p->buf);
	free(p);
}

static int add(struct pd_prom *p, const char *s, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		size_t cap = (p->len + n + 1) * 2;
		char *b = realloc(p->buf, cap);

		if (!b)
			return -ENOMEM;
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
	return 0;
}

static int adds(struct pd_prom *p, const char *s)
{
	return add(p, s, strlen(s));
}

static bool name_ok(const char *s, bool colon)
{
	size_t i;

	if (!*s)
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     c == '_' || (colon && c == ':');

		if (!alpha && !(i && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

bool pd_prom_is_metric_name(const char *name)
{
	return name_ok(name, true);
}

bool pd_prom_is_label_name(const char *name)
{
	/* names starting with "__" are reserved for Prometheus itself */
	return name_ok(name, false) && strncmp(name, "__", 2) != 0;
}

/*
 * A label value is the name's TSV spelling (pd_escape_tsv: \\ \t \n \r,
 * and \xHH for other controls, C1 and bidi controls and invalid UTF-8),
 * then escaped per the text format ('\' as "\\", '"' as "\""). So the
 * value Prometheus stores is the TSV field of the same name: valid UTF-8,
 * printable, and printf '%b' decodes it back to the bytes.
 */
char *pd_prom_escape_label(const char *s, size_t len)
{
	char *tsv, *out, *o;
	size_t i;

	tsv = pd_escape_tsv(s, len);
	if (!tsv)
		return NULL;
	/* each byte of the TSV text at most doubles */
	out = malloc(strlen(tsv) * 2 + 1);
	if (!out)
		goto out_free_tsv;
	o = out;
	for (i = 0; tsv[i]; i++) {
		if (tsv[i] == '\\' || tsv[i] == '"')
			*o++ = '\\';
		*o++ = tsv[i];
	}
	*o = '\0';

out_free_tsv:
	free(tsv);
	return out;
}

char *pd_prom_escape_label_verbatim(const char *s, size_t len)
{
	char *out, *o;
	size_t i = 0;

	/* "\xHH" doubled is 5 bytes for each byte at most */
	out = malloc(len * 5 + 1);
	if (!out)
		return NULL;
	o = out;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : pd_utf8_seq_len(s + i, len - i);
		char *tsv, *t;

		if (c == '\\' || c == '"') {
			*o++ = '\\';
			*o++ = (char)c;
			i++;
			continue;
		}
		if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
			*o++ = (char)c;
			i++;
			continue;
		}
		/* one character (or one bad byte) as the TSV spells it: kept
		 * when that is itself, else its escape as text */
		if (!n)
			n = 1;
		tsv = pd_escape_tsv(s + i, n);
		if (!tsv) {
			free(out);
			return NULL;
		}
		for (t = tsv; *t; t++) {
			if (*t == '\\')
				*o++ = '\\';
			*o++ = *t;
		}
		free(tsv);
		i += n;
	}
	*o = '\0';
	return out;
}

/*
 * HELP text (ours, not a name): the TSV spelling again, of which the
 * format reads "\\" and "\n" as they are; every other escape ("\t",
 * "\xHH") gets its backslash doubled, so it reads as that text and no
 * control character is ever raw.
 */
static int add_help(struct pd_prom *p, const char *help)
{
	char *tsv, *esc, *o;
	size_t i;
	int r;

	tsv = pd_escape_tsv(help, strlen(help));
	if (!tsv)
		return -ENOMEM;
	esc = malloc(strlen(tsv) * 2 + 1);
	if (!esc) {
		free(tsv);
		return -ENOMEM;
	}
	o = esc;
	for (i = 0; tsv[i]; i++) {
		*o++ = tsv[i];
		if (tsv[i] != '\\')
			continue;
		i++;
		if (tsv[i] != '\\' && tsv[i] != 'n')
			*o++ = '\\';
		*o++ = tsv[i];
	}
	*o = '\0';
	r = adds(p, esc);
	free(esc);
	free(tsv);
	return r;
}

int pd_prom_family(struct pd_prom *p, const char *name,
		   enum pd_prom_type type, const char *help)
{
	char **fam, *copy;
	size_t i;
	int r;

	if (!pd_prom_is_metric_name(name))
		return -EINVAL;
	for (i = 0; i < p->nfamilies; i++)
		if (!strcmp(p->families[i], name))
			return -EEXIST;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	fam = realloc(p->families, (p->nfamilies + 1) * sizeof(*fam));
	if (!fam) {
		free(copy);
		return -ENOMEM;
	}
	p->families = fam;
	p->families[p->nfamilies++] = copy;
	r = adds(p, "# HELP ");
	if (!r)
		r = adds(p, name);
	if (!r)
		r = adds(p, " ");
	if (!r)
		r = add_help(p, help);
	if (!r)
		r = adds(p, "\n# TYPE ");
	if (!r)
		r = adds(p, name);
	if (!r)
		r = adds(p, type == PD_PROM_COUNTER ? " counter\n" : " gauge\n");
	return r;
}

int pd_prom_label_verbatim(struct pd_prom *p, const char *name)
{
	char **v, *copy;

	if (!pd_prom_is_label_name(name))
		return -EINVAL;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	v = realloc(p->verbatim, (p->nverbatim + 1) * sizeof(*v));
	if (!v) {
		free(copy);
		return -ENOMEM;
	}
	p->verbatim = v;
	p->verbatim[p->nverbatim++] = copy;
	return 0;
}

static bool is_verbatim(const struct pd_prom *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nverbatim; i++)
		if (!strcmp(p->verbatim[i], name))
			return true;
	return false;
}

static int sample(struct pd_prom *p, const struct pd_prom_label *labels,
		  size_t nlabels, const char *value)
{
	size_t i, j;
	int r;

	if (!p->nfamilies || nlabels > PD_PROM_LABELS_MAX)
		return -EINVAL;
	for (i = 0; i < nlabels; i++) {
		if (!pd_prom_is_label_name(labels[i].name))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!strcmp(labels[i].name, labels[j].name))
				return -EINVAL;
	}
	r = adds(p, p->families[p->nfamilies - 1]);
	for (i = 0; i < nlabels && !r; i++) {
		const char *v = labels[i].value ? labels[i].value : "";
		char *esc = is_verbatim(p, labels[i].name) ?
			    pd_prom_escape_label_verbatim(v, strlen(v)) :
			    pd_prom_escape_label(v, strlen(v));

		if (!esc)
			return -ENOMEM;
		r = adds(p, i ? "," : "{");
		if (!r)
			r = adds(p, labels[i].name);
		if (!r)
			r = adds(p, "=\"");
		if (!r)
			r = adds(p, esc);
		if (!r)
			r = adds(p, "\"");
		free(esc);
	}
	if (!r && nlabels)
		r = adds(p, "}");
	if (!r)
		r = adds(p, " ");
	if (!r)
		r = adds(p, value);
	if (!r)
		r = adds(p, "\n");
	return r;
}

int pd_prom_sample_u64(struct pd_prom *p, const struct pd_prom_label *labels,
		       size_t nlabels, uint64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	return sample(p, labels, nlabels, num);
}

int pd_prom_sample_s64(struct pd_prom *p, const struct pd_prom_label *labels,
		       size_t nlabels, int64_t v)
{
	char num[32];

	snprintf(num, sizeof(num), "%" PRId64, v);
	return sample(p, labels, nlabels, num);
}

int pd_prom_sample_f64(struct pd_prom *p, const struct pd_prom_label *labels,
		       size_t nlabels, double v)
{
	char num[40];
	int prec;

	if (isnan(v))
		strcpy(num, "NaN");
	else if (isinf(v))
		strcpy(num, v > 0 ? "+Inf" : "-Inf");
	else
		/* the shortest decimal that reads back as V */
		for (prec = 1; prec <= 17; prec++) {
			snprintf(num, sizeof(num), "%.*g", prec, v);
			if (strtod(num, NULL) == v)
				break;
		}
	return sample(p, labels, nlabels, num);
}

const char *pd_prom_text(const struct pd_prom *p, size_t *ret_len)
{
	*ret_len = p->len;
	return p->buf ? p->buf : "";
}

/* fsync the directory DIR, so the rename survives a crash. */
static int sync_dir(const char *dir)
{
	int fd, r = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

/*
 * rename() replaces whatever PATH names: as root, --prom-file /dev/null
 * would make /dev/null a regular file, and a symlink would be replaced,
 * not followed. So an existing PATH must be a regular file: -EISDIR for
 * a directory, -EEXIST for anything else (a device, FIFO, socket,
 * symlink), 0 when it is one or is not there.
 */
static int check_target(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	return S_ISREG(st.st_mode) ? 0 : -EEXIST;
}

int pd_prom_write_file(const char *path, const char *buf, size_t len)
{
	const char *slash = strrchr(path, '/'), *base;
	char *tmp, *dir;
	size_t dlen, off = 0;
	int fd, r = 0;

	base = slash ? slash + 1 : path;
	if (!*base)
		return -EISDIR;
	/* before a temporary file is made beside it (in /dev, say) */
	r = check_target(path);
	if (r < 0)
		return r;
	dlen = slash ? (size_t)(slash - path) : 0;
	/* "dir/.base.XXXXXX": "/x" has the directory "/" */
	tmp = malloc(dlen + strlen(base) + 12);
	dir = malloc(dlen + 2);
	if (!tmp || !dir) {
		r = -ENOMEM;
		goto out_free;
	}
	if (slash) {
		memcpy(dir, path, dlen);
		strcpy(dir + dlen, dlen ? "" : "/");
	} else {
		strcpy(dir, ".");
	}
	sprintf(tmp, "%.*s%s.%s.XXXXXX", (int)dlen, path, slash ? "/" : "",
		base);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out_free;
	}
	if (fchmod(fd, 0644) < 0) {
		r = -errno;
		goto out_unlink;
	}
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = -errno;
			goto out_unlink;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0) {
		r = -errno;
		goto out_unlink;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		goto out_unlink;
	}
	fd = -1;
	/* again: the write and the fsync took a while */
	r = check_target(path);
	if (r < 0)
		goto out_unlink;
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto out_unlink;
	}
	r = sync_dir(dir);
	goto out_free;

out_unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out_free:
	free(tmp);
	free(dir);
	return r;
}
