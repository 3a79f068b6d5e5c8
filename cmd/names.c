/* SPDX-License-Identifier: GPL-2.0-or-later */
/* names: the CONTAINER and POD columns of the tools, and --state-root. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

struct pd_names {
	const struct pd_common *c;
	struct pd_cgname_ctx *ctx;
	struct pd_cgname_ctx *path_only;	/* made on first use */
};

static struct pd_cgname_ctx *new_ctx(const struct pd_common *c,
				     const char *root, unsigned flags)
{
	struct pd_cgname_ctx *ctx;
	int r;

	r = pd_cgname_new(root, flags, &ctx);
	if (r == -ENOMEM)
		pd_check_alloc(c, r);
	if (r < 0)
		pd_die(c, "--state-root: %s: %s", root ? root : "/",
		       strerror(-r));
	return ctx;
}

struct pd_names *pd_names_new(const struct pd_common *c)
{
	struct pd_names *n = pd_xcalloc(1, sizeof(*n));

	n->c = c;
	if (c->state_root)
		n->ctx = new_ctx(c, c->state_root, 0);
	else if (c->proc_root)
		n->ctx = new_ctx(c, NULL, PD_CGNAME_PATH_ONLY);
	else
		n->ctx = new_ctx(c, NULL, 0);
	return n;
}

void pd_names_check_root(const struct pd_common *c)
{
	if (c->state_root)
		pd_cgname_free(new_ctx(c, c->state_root, PD_CGNAME_PATH_ONLY));
}

void pd_names_free(struct pd_names *n)
{
	if (!n)
		return;
	pd_cgname_free(n->ctx);
	pd_cgname_free(n->path_only);
	free(n);
}

struct pd_cgname_ctx *pd_names_ctx(struct pd_names *n)
{
	return n->ctx;
}

void pd_names_lookup(struct pd_names *n, const char *cgroup, bool path_only,
		     struct pd_cgname *ret_name)
{
	struct pd_cgname_ctx *ctx = n->ctx;

	if (!cgroup) {
		memset(ret_name, 0, sizeof(*ret_name));
		return;
	}
	if (path_only) {
		if (!n->path_only)
			n->path_only = new_ctx(n->c, NULL,
					       PD_CGNAME_PATH_ONLY);
		ctx = n->path_only;
	}
	pd_check_alloc(n->c, pd_cgname_lookup(ctx, cgroup, ret_name));
}

void pd_names_set(const struct pd_common *c, struct pd_row *row,
		  size_t ctr_col, size_t pod_col, const struct pd_cgname *name)
{
	char buf[PD_CGNAME_TEXT_SIZE];
	const char *t;

	if (ctr_col != SIZE_MAX) {
		t = pd_cgname_container_text(name, buf, sizeof(buf));
		if (t)
			pd_check_alloc(c, pd_row_set_str(row, ctr_col, t));
	}
	if (pod_col != SIZE_MAX) {
		t = pd_cgname_pod_text(name, buf, sizeof(buf));
		if (t)
			pd_check_alloc(c, pd_row_set_str(row, pod_col, t));
	}
}

/* Add S to the comma list SB (its first len bytes) unless it is one of
 * its items already. */
static void add_once(struct pd_strbuf *sb, const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < sb->len) {
		size_t len = 0;

		while (i + len < sb->len && sb->s[i + len] != ',')
			len++;
		if (len == n && !memcmp(sb->s + i, s, n))
			return;
		i += len + 1;
	}
	pd_strbuf_add(sb, ",", s);
}

void pd_names_list_add(struct pd_strbuf *ctrs, struct pd_strbuf *pods,
		       const struct pd_cgname *name)
{
	char buf[PD_CGNAME_TEXT_SIZE];
	const char *t;

	if (ctrs) {
		t = pd_cgname_container_text(name, buf, sizeof(buf));
		if (t)
			add_once(ctrs, t);
	}
	if (pods) {
		t = pd_cgname_pod_text(name, buf, sizeof(buf));
		if (t)
			add_once(pods, t);
	}
}

void pd_names_warn_denied(const struct pd_common *c, unsigned denied)
{
	if (denied)
		pd_warn(c, "%u container runtime file%s could not be read "
			"(permission denied): some containers are named by "
			"their id alone; run as root for their names",
			denied, denied == 1 ? "" : "s");
}

void pd_names_warn(const struct pd_common *c, const struct pd_names *n)
{
	struct pd_cgname_stats st;

	if (!n)
		return;
	pd_cgname_get_stats(n->ctx, &st);
	pd_names_warn_denied(c, st.denied);
}
