/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mounts: the only libmount user; mount tables per mount namespace. */
#include "mounts.h"

#include <ctype.h>
#include <errno.h>
#include <libmount.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "array.h"
#include "procfs.h"

struct pd_mnttab {
	struct libmnt_table *tb;
	struct libmnt_fs **fs;	/* mountinfo order, for indexed access */
	size_t n;
	/* the mounts a lookup can wait on (remote, FUSE, autofs): few, so
	 * that a question per mount is no walk of every mount */
	const char **hazards;	/* their targets */
	size_t nhazards;
};

static const char *const remote_types[] = {
	"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "9p", "afs",
	"ceph", "glusterfs", "lustre", "gfs2", "ocfs2", "davfs", "coda",
	"orangefs", "pvfs2", "virtiofs", "beegfs", "gpfs", "sshfs",
};

static const char *const pseudo_types[] = {
	"proc", "sysfs", "cgroup", "cgroup2", "devpts", "securityfs",
	"debugfs", "tracefs", "pstore", "bpf", "configfs", "fusectl",
	"mqueue", "hugetlbfs", "autofs", "binfmt_misc", "efivarfs",
	"selinuxfs", "rpc_pipefs", "nsfs", "devtmpfs", "nfsd",
};

static bool in_list(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

bool pd_fstype_is_remote(const char *fstype)
{
	if (!fstype)
		return true;
	/* Any FUSE daemon can stop answering, local or not. */
	if (!strncmp(fstype, "fuse", 4))
		return true;
	return in_list(fstype, remote_types,
		       sizeof(remote_types) / sizeof(remote_types[0]));
}

bool pd_fstype_is_ram(const char *fstype)
{
	return fstype && (!strcmp(fstype, "tmpfs") || !strcmp(fstype, "ramfs"));
}

bool pd_fstype_is_pseudo(const char *fstype)
{
	return fstype && in_list(fstype, pseudo_types,
				 sizeof(pseudo_types) / sizeof(pseudo_types[0]));
}

/*
 * The name libmount gets for our in-memory stream. It is not only a label:
 * the mountinfo parser realpath()s it to guess a thread id from it, so a
 * relative name ("mountinfo") is looked up in the cwd, which hangs a tool
 * started in a directory of a stopped FUSE or NFS mount. "/" is absolute
 * and resolves without a single system call: a parser does no I/O.
 */
#define MNTTAB_LABEL "/"

/*
 * The offset of the first line that starts as a mountinfo line does
 * ("ID PARENT "). libmount guesses the format of the whole text from its
 * first line: a broken one would make it read every line as fstab, with
 * no root, devno or id.
 */
static size_t first_mountinfo_line(const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t i = off, digits = 0;

		while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		for (; i < len && isdigit((unsigned char)buf[i]); i++)
			digits++;
		if (digits && i < len && (buf[i] == ' ' || buf[i] == '\t')) {
			while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
				i++;
			if (i < len && isdigit((unsigned char)buf[i]))
				return off;
		}
		if (!nl)
			break;
		off = (size_t)(nl - buf) + 1;
	}
	return len;
}

/* Can a lookup through a mount of type FSTYPE wait on a server? An
 * automount point mounts (NFS, say) on the first lookup. */
static bool may_hang(const char *fstype)
{
	return pd_fstype_is_remote(fstype) || !strcmp(fstype, "autofs");
}

int pd_mnttab_parse(const char *buf, size_t len, struct pd_mnttab **ret_tab)
{
	struct libmnt_iter *itr = NULL;
	struct libmnt_fs *fs;
	struct pd_mnttab *t;
	FILE *f = NULL;
	size_t cap = 0, hcap = 0, skip;
	int r;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->tb = mnt_new_table();
	if (!t->tb) {
		r = -ENOMEM;
		goto out_fail;
	}
	skip = first_mountinfo_line(buf, len);
	buf += skip;
	len -= skip;
	if (len) {
		/* fmemopen refuses a zero-length buffer */
		f = fmemopen((void *)buf, len, "r");
		if (!f) {
			r = -errno;
			goto out_fail;
		}
		r = mnt_table_parse_stream(t->tb, f, MNTTAB_LABEL);
		fclose(f);
		if (r < 0) {
			r = -EINVAL;
			goto out_fail;
		}
	}
	itr = mnt_new_iter(MNT_ITER_FORWARD);
	if (!itr) {
		r = -ENOMEM;
		goto out_fail;
	}
	while (mnt_table_next_fs(t->tb, itr, &fs) == 0) {
		/* only what was read as a mountinfo line, whole */
		if (!mnt_fs_is_kernel(fs) || !mnt_fs_get_root(fs) ||
		    !mnt_fs_get_target(fs) || !mnt_fs_get_fstype(fs))
			continue;
		if (may_hang(mnt_fs_get_fstype(fs))) {
			r = pd_array_grow((void **)&t->hazards, &hcap,
					  t->nhazards, sizeof(*t->hazards));
			if (r < 0)
				goto out_fail;
			t->hazards[t->nhazards++] = mnt_fs_get_target(fs);
		}
		if (t->n == cap) {
			struct libmnt_fs **nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(t->fs, cap * sizeof(*nv));
			if (!nv) {
				r = -ENOMEM;
				goto out_fail;
			}
			t->fs = nv;
		}
		t->fs[t->n++] = fs;
	}
	mnt_free_iter(itr);
	*ret_tab = t;
	return 0;

out_fail:
	mnt_free_iter(itr);
	pd_mnttab_free(t);
	return r;
}

void pd_mnttab_free(struct pd_mnttab *tab)
{
	if (!tab)
		return;
	mnt_unref_table(tab->tb);
	free(tab->fs);
	free(tab->hazards);
	free(tab);
}

size_t pd_mnttab_count(const struct pd_mnttab *tab)
{
	return tab->n;
}

static void fill(struct libmnt_fs *fs, struct pd_mount *m)
{
	memset(m, 0, sizeof(*m));
	m->id = mnt_fs_get_id(fs);
	m->parent_id = mnt_fs_get_parent_id(fs);
	m->dev = mnt_fs_get_devno(fs);
	m->target = mnt_fs_get_target(fs);
	m->fstype = mnt_fs_get_fstype(fs);
	m->source = mnt_fs_get_source(fs);
	m->root = mnt_fs_get_root(fs);
	m->fs_options = mnt_fs_get_fs_options(fs);
	m->remote = pd_fstype_is_remote(m->fstype);
	m->ram = pd_fstype_is_ram(m->fstype);
	m->pseudo = pd_fstype_is_pseudo(m->fstype);
}

int pd_mnttab_get(const struct pd_mnttab *tab, size_t i, struct pd_mount *ret)
{
	if (i >= tab->n)
		return -ENOENT;
	fill(tab->fs[i], ret);
	return 0;
}

int pd_mnttab_find_id(const struct pd_mnttab *tab, int id,
		      struct pd_mount *ret_mnt)
{
	size_t i;

	for (i = 0; i < tab->n; i++)
		if (mnt_fs_get_id(tab->fs[i]) == id) {
			fill(tab->fs[i], ret_mnt);
			return 0;
		}
	return -ENOENT;
}

int pd_mnttab_find_dev(const struct pd_mnttab *tab, dev_t dev,
		       struct pd_mount *ret_mnt)
{
	size_t i;

	for (i = tab->n; i > 0; i--)
		if (mnt_fs_get_devno(tab->fs[i - 1]) == dev) {
			fill(tab->fs[i - 1], ret_mnt);
			return 0;
		}
	return -ENOENT;
}

int pd_mnttab_find_path(const struct pd_mnttab *tab, const char *path,
			struct pd_mount *ret_mnt)
{
	size_t i, best_len = 0;
	struct libmnt_fs *best = NULL;

	/* Later mounts shadow earlier ones on the same target: take the last. */
	for (i = 0; i < tab->n; i++) {
		const char *t = mnt_fs_get_target(tab->fs[i]);
		size_t tl;

		if (!t)
			continue;
		tl = strlen(t);
		if (strncmp(path, t, tl) != 0)
			continue;
		if (!(tl == 1 || path[tl] == '/' || path[tl] == '\0'))
			continue;
		if (tl >= best_len) {
			best = tab->fs[i];
			best_len = tl;
		}
	}
	if (!best)
		return -ENOENT;
	fill(best, ret_mnt);
	return 0;
}

/* Is the mount point T PATH itself or a directory on the way to it? */
static bool on_the_way(const char *t, const char *path)
{
	size_t tl = strlen(t);

	if (tl == 1 && t[0] == '/')
		return true;
	return !strncmp(path, t, tl) && (path[tl] == '/' || path[tl] == '\0');
}

bool pd_mnttab_path_may_hang(const struct pd_mnttab *tab, const char *path)
{
	size_t i;

	for (i = 0; i < tab->nhazards; i++)
		if (on_the_way(tab->hazards[i], path))
			return true;
	return false;
}

/*
 * A table is cached by its text, not by mount namespace: mountinfo shows
 * mount points relative to the process's root, so a chroot'ed daemon in the
 * host's namespace sees other paths (or none) for the same mounts.
 */
struct pd_mnt_entry {
	uint64_t hash;
	char *text;
	size_t len;
	struct pd_mnttab *tab;
};

struct pd_mounts {
	struct pd_procfs *pfs;
	struct pd_mnt_entry *v;
	size_t n, cap;
	const struct pd_mnttab *init_tab;	/* pid 1's, once looked for */
	bool init_tried;
};

int pd_mounts_new(struct pd_procfs *pfs, struct pd_mounts **ret_mounts)
{
	struct pd_mounts *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->pfs = pfs;
	*ret_mounts = m;
	return 0;
}

void pd_mounts_free(struct pd_mounts *mounts)
{
	size_t i;

	if (!mounts)
		return;
	for (i = 0; i < mounts->n; i++) {
		free(mounts->v[i].text);
		pd_mnttab_free(mounts->v[i].tab);
	}
	free(mounts->v);
	free(mounts);
}

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The cached table for mountinfo text BUF (taken over: freed or kept). */
static int mounts_lookup(struct pd_mounts *mounts, char *buf, size_t len,
			 const struct pd_mnttab **ret_tab)
{
	struct pd_mnttab *tab = NULL;
	uint64_t h = fnv1a(buf, len);
	size_t i;
	int r;

	for (i = 0; i < mounts->n; i++) {
		struct pd_mnt_entry *e = &mounts->v[i];

		if (e->hash == h && e->len == len && !memcmp(e->text, buf, len)) {
			free(buf);
			*ret_tab = e->tab;
			return 0;
		}
	}
	r = pd_mnttab_parse(buf, len, &tab);
	if (r < 0)
		goto out_free;
	if (mounts->n == mounts->cap) {
		size_t cap = mounts->cap ? mounts->cap * 2 : 8;
		struct pd_mnt_entry *nv = realloc(mounts->v, cap * sizeof(*nv));

		if (!nv) {
			r = -ENOMEM;
			goto out_free;
		}
		mounts->v = nv;
		mounts->cap = cap;
	}
	mounts->v[mounts->n] = (struct pd_mnt_entry){
		.hash = h, .text = buf, .len = len, .tab = tab,
	};
	mounts->n++;
	*ret_tab = tab;
	return 0;

out_free:
	pd_mnttab_free(tab);
	free(buf);
	return r;
}

int pd_mounts_of_pid(struct pd_mounts *mounts, int pidfd, pid_t pid,
		     const struct pd_mnttab **ret_tab)
{
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read_at(mounts->pfs, pidfd, "mountinfo", PD_READ_LIMIT,
			      &buf, &len);
	if (r < 0)
		return r;
	return mounts_lookup(mounts, buf, len, ret_tab);
}

const struct pd_mnttab *pd_mounts_init(struct pd_mounts *mounts,
				       struct pd_procfs *pfs)
{
	int pidfd;

	if (mounts->init_tried)
		return mounts->init_tab;
	mounts->init_tried = true;
	if (pd_procfs_open_pid(pfs, 1, &pidfd) < 0)
		return NULL;
	if (pd_mounts_of_pid(mounts, pidfd, 1, &mounts->init_tab) < 0)
		mounts->init_tab = NULL;
	close(pidfd);
	return mounts->init_tab;
}
