/* SPDX-License-Identifier: GPL-2.0-or-later */
/* promfs: the labels node_exporter's filesystem collector gives a mount
 * (device, mountpoint, fstype), so that our per-file-system metrics join
 * its node_filesystem_* series in PromQL. */
#include "promfs.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"

struct pd_promfs {
	struct pd_procfs *pfs;
	struct pd_mounts *mounts;
	const struct pd_mnttab *init;	/* pid 1's, owned by mounts */
	bool looked;
};

char *pd_promfs_mangle(const char *s, const char *set)
{
	size_t len = strlen(s), i;
	char *out = malloc(len * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c && strchr(set, c))
			o += sprintf(o, "\\%03o", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	return out;
}

/* node_exporter's parseFilesystemLabels(): "\040" and "\011" of the
 * mount point field back to a blank and a TAB, nothing else. */
static void unmangle_blanks(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if (!strncmp(r, "\\040", 4) || !strncmp(r, "\\011", 4)) {
			*w++ = r[3] == '0' ? ' ' : '\t';
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

void pd_promfs_labels_release(struct pd_prom_label labels[3])
{
	size_t i;

	for (i = 0; i < 3; i++) {
		free((char *)labels[i].value);
		labels[i].value = NULL;
	}
}

int pd_promfs_spell(const char *source, const char *target,
		    const char *fstype, struct pd_prom_label ret_labels[3])
{
	struct pd_prom_label l[3] = {
		{ "device", NULL },
		{ "mountpoint", NULL },
		{ "fstype", NULL },
	};

	l[0].value = pd_promfs_mangle(source ? source : "",
				      PD_PROMFS_SOURCE_SET);
	l[1].value = pd_promfs_mangle(target ? target : "",
				      PD_PROMFS_PATH_SET);
	l[2].value = pd_promfs_mangle(fstype ? fstype : "",
				      PD_PROMFS_PATH_SET);
	if (!l[0].value || !l[1].value || !l[2].value) {
		pd_promfs_labels_release(l);
		return -ENOMEM;
	}
	unmangle_blanks((char *)l[1].value);
	memcpy(ret_labels, l, sizeof(l));
	return 0;
}

int pd_promfs_new(struct pd_procfs *pfs, struct pd_promfs **ret_pf)
{
	struct pd_promfs *pf = calloc(1, sizeof(*pf));
	int r;

	if (!pf)
		return -ENOMEM;
	pf->pfs = pfs;
	r = pd_mounts_new(pfs, &pf->mounts);
	if (r < 0) {
		free(pf);
		return r;
	}
	*ret_pf = pf;
	return 0;
}

void pd_promfs_free(struct pd_promfs *pf)
{
	if (!pf)
		return;
	pd_mounts_free(pf->mounts);
	free(pf);
}

/* The mount of pid 1 that node_exporter lists for DEV on TARGET. */
static bool find_init_mount(struct pd_promfs *pf, dev_t dev,
			    const char *target, struct pd_mount *ret)
{
	bool first = false, on_target = false;
	struct pd_mount m, by_dev, by_target;
	size_t i, n;

	if (!pf->looked) {
		pf->init = pd_mounts_init(pf->mounts, pf->pfs);
		pf->looked = true;
	}
	if (!pf->init)
		return false;
	n = pd_mnttab_count(pf->init);
	for (i = 0; i < n; i++) {
		bool here;

		if (pd_mnttab_get(pf->init, i, &m) < 0)
			continue;
		here = target && m.target && !strcmp(m.target, target);
		if (m.dev == dev && here) {
			*ret = m;
			return true;
		}
		if (m.dev == dev && !first) {
			by_dev = m;
			first = true;
		}
		if (here && !on_target) {
			by_target = m;
			on_target = true;
		}
	}
	/* btrfs subvolumes: files have another st_dev than mountinfo's */
	if (first || on_target) {
		*ret = first ? by_dev : by_target;
		return true;
	}
	return false;
}

int pd_promfs_labels(struct pd_promfs *pf, dev_t dev, const char *target,
		     const char *source, const char *fstype,
		     struct pd_prom_label ret_labels[3])
{
	struct pd_mount m;

	if (find_init_mount(pf, dev, target, &m))
		return pd_promfs_spell(m.source, m.target, m.fstype,
				       ret_labels);
	return pd_promfs_spell(source, target, fstype, ret_labels);
}
