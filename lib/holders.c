/* SPDX-License-Identifier: GPL-2.0-or-later */
/* holders: the one walk over every process's handles (fd/, maps and
 * map_files, cwd/root/exe), with the kinds of file an engine lists plugged
 * in; deadscan and memscan are its two users. */
#include "holders.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "array.h"
#include "proc.h"
#include "statq.h"

/* A mount that timed out once: no more stats there. */
struct dead_mount {
	int mnt_id;
	dev_t dev;
};

struct pd_holders {
	struct pd_procfs *pfs;
	struct pd_mounts *mounts;
	struct pd_statq *statq;
	struct pd_coverage *cov;
	struct pd_scanstats stats;

	struct pd_holders_ns *nss;
	size_t nns, capns;

	struct dead_mount *dead;
	size_t ndead, capdead;
	char **timeouts;
	size_t ntimeouts, captimeouts;

	struct pd_handle *hv;
	size_t nh, caph;
};

int pd_holders_new(struct pd_procfs *pfs, unsigned timeout_ms,
		   struct pd_holders **ret_hs)
{
	struct pd_holders *hs;
	int r;

	hs = calloc(1, sizeof(*hs));
	if (!hs)
		return -ENOMEM;
	hs->pfs = pfs;
	r = pd_mounts_new(pfs, &hs->mounts);
	if (r < 0)
		goto out_free;
	r = pd_statq_new(pfs, timeout_ms ? timeout_ms : PD_STATQ_DEFAULT_MS,
			 &hs->statq);
	if (r < 0)
		goto out_free;
	r = pd_coverage_new(pfs, &hs->cov);
	if (r < 0)
		goto out_free;
	*ret_hs = hs;
	return 0;

out_free:
	pd_holders_free(hs);
	return r;
}

static void handles_clear(struct pd_holders *hs)
{
	size_t i;

	for (i = 0; i < hs->nh; i++)
		free(hs->hv[i].text);
	hs->nh = 0;
}

void pd_holders_free(struct pd_holders *hs)
{
	size_t i;

	if (!hs)
		return;
	handles_clear(hs);
	free(hs->hv);
	free(hs->nss);
	free(hs->dead);
	for (i = 0; i < hs->ntimeouts; i++)
		free(hs->timeouts[i]);
	free(hs->timeouts);
	pd_coverage_free(hs->cov);
	pd_statq_free(hs->statq);
	pd_mounts_free(hs->mounts);
	free(hs);
}

/* --- holders of one object ------------------------------------------------ */

int pd_holder_add(struct pd_holder **holders, size_t *nholders, size_t proc,
		  unsigned how, int fd, size_t *ret_idx)
{
	struct pd_holder *h = NULL, *nh;
	size_t i;

	for (i = *nholders; i > 0; i--) {
		if ((*holders)[i - 1].proc == proc) {
			h = &(*holders)[i - 1];
			break;
		}
	}
	if (!h) {
		nh = realloc(*holders, (*nholders + 1) * sizeof(*nh));
		if (!nh)
			return -ENOMEM;
		*holders = nh;
		h = &nh[(*nholders)++];
		memset(h, 0, sizeof(*h));
		h->proc = proc;
	}
	h->how |= how;
	if (how == PD_HOLD_FD) {
		int *nf = realloc(h->fds, (h->nfds + 1) * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		h->fds = nf;
		/* fd/ lists fds ascending; keep the order whatever comes */
		for (i = h->nfds; i > 0 && h->fds[i - 1] > fd; i--)
			h->fds[i] = h->fds[i - 1];
		h->fds[i] = fd;
		h->nfds++;
	}
	if (ret_idx)
		*ret_idx = (size_t)(h - *holders);
	return 0;
}

void pd_holders_free_list(struct pd_holder *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].fds);
	free(v);
}

void pd_holder_format(const struct pd_holder *h, char *buf, size_t bufsz)
{
	static const struct {
		unsigned bit;
		const char *name;
	} words[] = {
		{ PD_HOLD_MEM, "mem" },
		{ PD_HOLD_CWD, "cwd" },
		{ PD_HOLD_ROOT, "root" },
		{ PD_HOLD_EXE, "exe" },
	};
	size_t used = 0, i;
	char item[16];

	if (!bufsz)
		return;
	buf[0] = '\0';
	for (i = 0; i < h->nfds + sizeof(words) / sizeof(words[0]); i++) {
		size_t n;

		if (i < h->nfds) {
			snprintf(item, sizeof(item), "%d", h->fds[i]);
		} else {
			size_t w = i - h->nfds;

			if (!(h->how & words[w].bit))
				continue;
			snprintf(item, sizeof(item), "%s", words[w].name);
		}
		n = strlen(item);
		if (used + (used ? 1 : 0) + n + 1 > bufsz)
			break;
		if (used)
			buf[used++] = ',';
		memcpy(buf + used, item, n + 1);
		used += n;
	}
}

/* --- mount tables, once per (namespace, root) --------------------------- */

static int ns_of(struct pd_holders *hs, const char *ns, const char *root,
		 dev_t root_dev, ino_t root_ino, uint64_t root_mnt,
		 struct pd_holders_ns **ret_ns)
{
	struct pd_holders_ns *n;
	size_t i;
	int r;

	for (i = 0; i < hs->nns; i++) {
		n = &hs->nss[i];
		if (!strcmp(n->ns, ns) && !strcmp(n->root, root) &&
		    n->root_dev == root_dev && n->root_ino == root_ino &&
		    n->root_mnt == root_mnt) {
			*ret_ns = n;
			return 0;
		}
	}
	r = pd_array_grow((void **)&hs->nss, &hs->capns, hs->nns,
			  sizeof(*hs->nss));
	if (r < 0)
		return r;
	n = &hs->nss[hs->nns++];
	memset(n, 0, sizeof(*n));
	snprintf(n->ns, sizeof(n->ns), "%s", ns);
	/* the caller saw that it fits */
	memcpy(n->root, root, strnlen(root, sizeof(n->root) - 1));
	n->root_dev = root_dev;
	n->root_ino = root_ino;
	n->root_mnt = root_mnt;
	*ret_ns = n;
	return 0;
}

int pd_holders_pid_tab(struct pd_holders *hs, struct pd_holders_pid *p,
		       const struct pd_mnttab **ret_tab)
{
	struct pd_holders_ns *n = NULL;
	char ns[64], root[PATH_MAX + 1];
	dev_t root_dev = 0;
	ino_t root_ino = 0;
	uint64_t root_mnt = 0;
	int rn, rr, r;

	if (p->tab_looked) {
		*ret_tab = p->tab;
		return 0;
	}
	rn = pd_readlink_at(p->pidfd, "ns/mnt", ns, sizeof(ns));
	if (pd_err_is_fatal(rn))
		return rn;
	if (rn >= 0 && p->has_root) {
		/* collect_links() read it already */
		rr = (int)strlen(p->root);
		memcpy(root, p->root, (size_t)rr + 1);
	} else {
		rr = rn < 0 ? rn : pd_readlink_at(p->pidfd, "root", root,
						   sizeof(root));
		if (pd_err_is_fatal(rr))
			return rr;
	}
	/* A chroot'ed process's root link reads "/" like init's: on the live
	 * /proc the root directory itself tells them apart. Cached
	 * attributes only (AT_STATX_DONT_SYNC): a root on a network or
	 * FUSE mount is not asked. */
	if (rn >= 0 && rr >= 0 && pd_procfs_is_live(hs->pfs)) {
		struct statx sx;

		if (statx(p->pidfd, "root", AT_STATX_DONT_SYNC,
			  STATX_INO | STATX_MNT_ID, &sx) < 0) {
			rr = -errno;
			if (pd_err_is_fatal(rr))
				return rr;
		} else {
			root_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
			root_ino = sx.stx_ino;
			if (sx.stx_mask & STATX_MNT_ID)
				root_mnt = sx.stx_mnt_id;
		}
	}
	if (rn >= 0 && rr >= 0 && (size_t)rr < sizeof(n->root)) {
		r = ns_of(hs, ns, root, root_dev, root_ino, root_mnt,
			 &n);
		if (r < 0)
			return r;
		if (n->npids < sizeof(n->pids) / sizeof(n->pids[0]))
			n->pids[n->npids++] = p->pid;
		if (n->tab) {
			p->tab = n->tab;
			goto out_done;
		}
	}
	/* The first of its pair, or one whose links we may not read: its
	 * own mountinfo (the cache keeps one table per distinct text). */
	r = pd_mounts_of_pid(hs->mounts, p->pidfd, p->pid, &p->tab);
	if (pd_err_is_fatal(r))
		return r;
	if (r < 0)
		p->tab = NULL;
	if (n)
		n->tab = p->tab;

out_done:
	p->tab_looked = true;
	*ret_tab = p->tab;
	return 0;
}

const struct pd_mnttab *pd_holders_init_tab(struct pd_holders *hs)
{
	return pd_mounts_init(hs->mounts, hs->pfs);
}

int pd_holders_find_mount(struct pd_holders *hs, const struct pd_mnttab *tab,
			  bool by_id, int id, dev_t dev,
			  struct pd_mount *ret_mnt)
{
	const struct pd_mnttab *init;

	if (tab && (by_id ? pd_mnttab_find_id(tab, id, ret_mnt) :
			    pd_mnttab_find_dev(tab, dev, ret_mnt)) == 0)
		return 0;
	init = pd_holders_init_tab(hs);
	if (!init || init == tab)
		return -ENOENT;
	return by_id ? pd_mnttab_find_id(init, id, ret_mnt) :
		       pd_mnttab_find_dev(init, dev, ret_mnt);
}

/* --- stat under the deadline ------------------------------------------- */

bool pd_holders_mount_is_dead(const struct pd_holders *hs,
			      const struct pd_mount *m)
{
	size_t i;

	for (i = 0; i < hs->ndead; i++)
		if ((m->id >= 0 && hs->dead[i].mnt_id == m->id) ||
		    hs->dead[i].dev == m->dev)
			return true;
	return false;
}

int pd_holders_mark_dead(struct pd_holders *hs, const struct pd_mount *m)
{
	const char *target = m->target ? m->target : "?";
	size_t i;
	char *t;

	if (pd_array_grow((void **)&hs->dead, &hs->capdead, hs->ndead,
			  sizeof(*hs->dead)) < 0)
		return -ENOMEM;
	hs->dead[hs->ndead].mnt_id = m->id;
	hs->dead[hs->ndead].dev = m->dev;
	hs->ndead++;
	for (i = 0; i < hs->ntimeouts; i++)
		if (!strcmp(hs->timeouts[i], target))
			return 0;
	t = strdup(target);
	if (!t)
		return -ENOMEM;
	if (pd_array_grow((void **)&hs->timeouts, &hs->captimeouts,
			  hs->ntimeouts, sizeof(*hs->timeouts)) < 0) {
		free(t);
		return -ENOMEM;
	}
	hs->timeouts[hs->ntimeouts++] = t;
	return 0;
}

int pd_holders_stat(struct pd_holders *hs, const struct pd_holders_pid *p,
		    const struct pd_handle *h, const struct pd_mount *m,
		    struct stat *ret_st)
{
	int r;

	if (m && pd_holders_mount_is_dead(hs, m))
		return -ETIMEDOUT;
	if (!m || m->remote)
		r = pd_statq_stat(hs->statq, p->pidfd, h->rel, ret_st);
	else
		r = pd_procfs_stat_link(hs->pfs, p->pidfd, h->rel, ret_st);
	return r;
}

int pd_holders_fdinfo(struct pd_holders *hs, const struct pd_holders_pid *p,
		      const struct pd_handle *h, struct pd_fdinfo *ret_fi,
		      char **ret_buf, size_t *ret_len)
{
	char rel[32], *buf;
	size_t len;
	int r;

	snprintf(rel, sizeof(rel), "fdinfo/%d", h->fd);
	r = pd_procfs_read_at(hs->pfs, p->pidfd, rel, 1u << 16, &buf, &len);
	if (r < 0)
		return r;
	if (pd_fdinfo_parse(buf, len, ret_fi) < 0)
		*ret_fi = (struct pd_fdinfo){ .mnt_id = -1 };
	if (ret_buf) {
		*ret_buf = buf;
		*ret_len = len;
	} else {
		free(buf);
	}
	return 0;
}

/* --- the walk ------------------------------------------------------------ */

static int handle_add(struct pd_holders *hs, unsigned how, int fd,
		      const char *rel, const char *text, size_t len,
		      struct pd_handle **ret_h)
{
	struct pd_handle *h;
	int r;

	r = pd_array_grow((void **)&hs->hv, &hs->caph, hs->nh,
			  sizeof(*hs->hv));
	if (r < 0)
		return r;
	h = &hs->hv[hs->nh];
	memset(h, 0, sizeof(*h));
	h->text = malloc(len + 1);
	if (!h->text)
		return -ENOMEM;
	memcpy(h->text, text, len);
	h->text[len] = '\0';
	h->len = len;
	h->how = how;
	h->fd = fd;
	snprintf(h->rel, sizeof(h->rel), "%s", rel);
	*ret_h = h;
	return 0;
}

/* A handle being classified: on the stack until taken. */
static void handle_draft(struct pd_handle *h, unsigned how, int fd,
			 const char *text, size_t len, size_t path_len)
{
	memset(h, 0, sizeof(*h));
	h->how = how;
	h->fd = fd;
	h->text = (char *)text;
	h->len = len;
	h->path_len = path_len;
}

/* Keep draft D, with its text copied. */
static int handle_take(struct pd_holders *hs, const struct pd_handle *d,
		       const char *rel)
{
	struct pd_handle *h;
	char *text;
	int r;

	r = handle_add(hs, d->how, d->fd, rel, d->text, d->len, &h);
	if (r < 0)
		return r;
	text = h->text;
	*h = *d;
	h->text = text;
	snprintf(h->rel, sizeof(h->rel), "%s", rel);
	hs->nh++;
	return 0;
}

static int collect_fds(struct pd_holders *hs, const struct pd_holders_ops *ops,
		       void *arg, struct pd_holders_pid *p)
{
	struct pd_fdtab *tab;
	const char *text;
	size_t len;
	int fd, r;

	if (!ops->classify_fd)
		return 0;
	r = pd_fdtab_open(p->pidfd, &tab);
	if (r < 0)
		return r;
	while ((r = pd_fdtab_next(tab, &fd, &text, &len)) == 0) {
		struct pd_handle d;
		struct pd_link l;
		char rel[32];

		if (len == 0)	/* a path past PATH_MAX: no text */
			l = (struct pd_link){ .kind = PD_LINK_PATH };
		else if (pd_link_parse(text, len, &l) < 0)
			continue;
		handle_draft(&d, PD_HOLD_FD, fd, text, len, l.path_len);
		d.toolong = len == 0;
		r = ops->classify_fd(arg, p, &l, &d);
		if (r < 0)
			break;
		if (r > 0)
			continue;
		snprintf(rel, sizeof(rel), "fd/%d", fd);
		r = handle_take(hs, &d, rel);
		if (r < 0)
			break;
	}
	pd_fdtab_free(tab);
	return r < 0 ? r : 0;
}

static int collect_maps(struct pd_holders *hs,
			const struct pd_holders_ops *ops, void *arg,
			struct pd_holders_pid *p)
{
	static const size_t sl = sizeof(PD_DELETED_SUFFIX) - 1;
	const char *cur, *end;
	struct pd_map m;
	char *buf;
	size_t len;
	int r;

	if (!ops->classify_map)
		return 0;
	r = pd_procfs_read_at(hs->pfs, p->pidfd, "maps", PD_READ_LIMIT, &buf,
			      &len);
	if (r < 0)
		return r;
	cur = buf;
	end = buf + len;
	r = 0;
	while (pd_map_next(&cur, end, &m) == 0) {
		size_t plen = m.path_len, i, dlen;
		bool deleted = false, dup = false;
		char rel[64], name[48], *path;
		struct pd_handle d;

		if (!m.path_len || m.path[0] != '/')
			continue;
		if (plen > sl && !memcmp(m.path + plen - sl, PD_DELETED_SUFFIX,
					 sl)) {
			deleted = true;
			plen -= sl;
		}
		handle_draft(&d, PD_HOLD_MEM, -1, m.path, m.path_len, plen);
		d.from_maps = true;
		d.dev = makedev(m.dev_major, m.dev_minor);
		d.ino = (ino_t)m.inode;
		d.perms = m.perms;
		r = ops->classify_map(arg, p, &m, deleted, &d);
		if (r < 0)
			break;
		if (r > 0) {
			r = 0;
			continue;
		}
		for (i = 0; i < hs->nh && !dup; i++) {
			struct pd_handle *o = &hs->hv[i];

			if (o->from_maps && o->dev == d.dev &&
			    o->ino == d.ino && o->kind == d.kind) {
				o->perms |= m.perms;
				dup = true;
			}
		}
		if (dup)
			continue;
		pd_map_files_name(&m, name, sizeof(name));
		snprintf(rel, sizeof(rel), "map_files/%s", name);
		/* the name without the kernel's \012, as an fd shows it */
		r = pd_map_path_read(p->pidfd, &m, &path, &dlen);
		if (r < 0)
			break;
		d.path_len -= m.path_len - dlen;
		d.text = path;
		d.len = dlen;
		r = handle_take(hs, &d, rel);
		free(path);
		if (r < 0)
			break;
	}
	free(buf);
	return r < 0 ? r : 0;
}

static int collect_links(struct pd_holders *hs,
			 const struct pd_holders_ops *ops, void *arg,
			 struct pd_holders_pid *p)
{
	static const struct {
		const char *name;
		unsigned how;
	} links[] = {
		{ "cwd", PD_HOLD_CWD },
		{ "root", PD_HOLD_ROOT },
		{ "exe", PD_HOLD_EXE },
	};
	char text[PATH_MAX + 1];
	bool want_exe;
	size_t i;
	int n, r;

	if (!ops->classify_link)
		return 0;
	want_exe = ops->want_exe && ops->want_exe(arg, p, hs->nh);
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		struct pd_handle d;
		struct pd_link l;

		if (links[i].how == PD_HOLD_EXE && !want_exe)
			continue;
		n = pd_readlink_at(p->pidfd, links[i].name, text, sizeof(text));
		if (pd_err_is_fatal(n))
			return n;
		if (n == -ENAMETOOLONG) {
			/* a path past PATH_MAX: only a stat can tell */
			text[0] = '\0';
			n = 0;
			l = (struct pd_link){ .kind = PD_LINK_PATH };
		} else if (n < 0) {
			continue;	/* kernel threads have no exe */
		} else if (pd_link_parse(text, (size_t)n, &l) < 0) {
			continue;
		}
		if (links[i].how == PD_HOLD_ROOT && n > 0 &&
		    (size_t)n < sizeof(p->root)) {
			/* for pd_holders_pid_tab(): one readlink less */
			memcpy(p->root, text, (size_t)n + 1);
			p->has_root = true;
		}
		handle_draft(&d, links[i].how, -1, text, (size_t)n, l.path_len);
		d.toolong = n == 0;
		r = ops->classify_link(arg, p, &l, &d);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		r = handle_take(hs, &d, links[i].name);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Count error ERR of reading process PID (directory PIDFD, or -1) in the
 * stats, and note what of it a selection may miss. Returns 0, or a fatal
 * -errno (ERR itself when it is one: pd_err_is_fatal()). */
static int unread(struct pd_holders *hs, int pidfd, pid_t pid, int err)
{
	int r = pd_scanstats_count(&hs->stats, err);

	if (r < 0 || pd_err_is_gone(err))
		return r;
	return pd_coverage_add_unread(hs->cov, pidfd, pid, err);
}

/* Who the process is: the leader's stat, status and cgroup, the command
 * line of the directory it holds through (a live thread's when the leader
 * has exited, whose own is empty). */
static int proc_make(struct pd_holders *hs, const struct pd_holders_ops *ops,
		     void *arg, struct pd_holders_pid *p)
{
	unsigned what = ops->identity;
	struct pd_proc proc, t;
	int r;

	if (p->pidfd != p->leaderfd)
		what &= ~(unsigned)PD_PROC_CMDLINE;
	r = pd_proc_read(hs->pfs, p->leaderfd, p->pid, what, &proc);
	if (r < 0)
		return r;
	if (what != ops->identity) {
		r = pd_proc_read(hs->pfs, p->pidfd, p->pid, PD_PROC_CMDLINE,
				 &t);
		if (r < 0)
			goto out;
		proc.cmdline = t.cmdline;
	}
	r = ops->proc_new(arg, p, &proc);
out:
	pd_proc_release(&proc);
	return r;
}

/*
 * Walk one process. What it holds that cannot be read is counted once,
 * by its first cause; returns 0 or a fatal -errno (pd_err_is_fatal()).
 */
static int scan_pid(struct pd_holders *hs, const struct pd_holders_ops *ops,
		    void *arg, pid_t pid)
{
	struct pd_holders_pid p = { .pid = pid };
	const struct pd_mnttab *tab;
	int r, rf, rm;
	size_t i;

	hs->stats.procs++;
	r = pd_procfs_open_pid(hs->pfs, pid, &p.leaderfd);
	if (r < 0)
		return unread(hs, -1, pid, r);
	/* what it holds, through a live thread when its leader exited */
	r = pd_proc_open_holder(hs->pfs, p.leaderfd, pid, &p.pidfd);
	if (r < 0) {
		p.pidfd = p.leaderfd;
		goto out_close;
	}
	if (ops->every_ns) {
		r = pd_holders_pid_tab(hs, &p, &tab);
		if (r < 0)
			goto out_close;
	}
	rf = collect_fds(hs, ops, arg, &p);
	p.nfd_handles = hs->nh;
	rm = collect_maps(hs, ops, arg, &p);
	p.maps_failed = rm < 0;
	r = pd_err_is_fatal(rf) ? rf : pd_err_is_fatal(rm) ? rm : 0;
	if (r < 0)
		goto out_close;
	if (rf < 0 || rm < 0) {
		r = unread(hs, p.leaderfd, pid, rf < 0 ? rf : rm);
		if (r < 0 || pd_err_is_gone(rf < 0 ? rf : rm))
			goto out_close;
	}
	r = collect_links(hs, ops, arg, &p);
	if (r < 0)
		goto out_close;
	if (!hs->nh)
		goto out_close;

	r = proc_make(hs, ops, arg, &p);
	if (r < 0) {
		/* counted already when fd/ or maps failed: once a process */
		if (!pd_err_is_fatal(r))
			r = rf < 0 || rm < 0 ? 0 :
			    unread(hs, p.leaderfd, pid, r);
		goto out_close;
	}
	for (i = 0; i < hs->nh; i++) {
		r = ops->resolve(arg, &p, &hs->hv[i]);
		if (r < 0)
			goto out_close;
	}
	r = ops->proc_done ? ops->proc_done(arg, &p, hs->hv, hs->nh) : 0;

out_close:
	handles_clear(hs);
	if (p.pidfd != p.leaderfd)
		close(p.pidfd);
	close(p.leaderfd);
	return r;
}

int pd_holders_run(struct pd_holders *hs, const struct pd_holders_ops *ops,
		   void *arg)
{
	pid_t *pids;
	size_t n, i;
	int r;

	r = pd_procfs_list_pids(hs->pfs, &pids, &n);
	if (r < 0)
		return r;
	r = pd_coverage_set_listed(hs->cov, pids, n);
	for (i = 0; i < n && r == 0; i++) {
		r = scan_pid(hs, ops, arg, pids[i]);
		/* a fatal error that a read skipped (closed meanwhile?) */
		if (r == 0)
			r = pd_procfs_error(hs->pfs);
	}
	free(pids);
	return r;
}

struct pd_statq *pd_holders_statq(struct pd_holders *hs)
{
	return hs->statq;
}

struct pd_mounts *pd_holders_mounts(struct pd_holders *hs)
{
	return hs->mounts;
}

struct pd_procfs *pd_holders_procfs(struct pd_holders *hs)
{
	return hs->pfs;
}

size_t pd_holders_nns(const struct pd_holders *hs)
{
	return hs->nns;
}

const struct pd_holders_ns *pd_holders_ns(const struct pd_holders *hs,
					  size_t i)
{
	return i < hs->nns ? &hs->nss[i] : NULL;
}

const struct pd_scanstats *pd_holders_stats(const struct pd_holders *hs)
{
	return &hs->stats;
}

struct pd_coverage *pd_holders_coverage(struct pd_holders *hs)
{
	return hs->cov;
}

size_t pd_holders_ntimeouts(const struct pd_holders *hs)
{
	return hs->ntimeouts;
}

const char *pd_holders_timeout(const struct pd_holders *hs, size_t i)
{
	return i < hs->ntimeouts ? hs->timeouts[i] : NULL;
}

int pd_holders_match(struct pd_holders *hs, const struct pd_procfilter *flt,
		     const void *procs, size_t n, size_t stride,
		     bool **ret_match, struct pd_partial *ret_partial)
{
	bool *match = calloc(n + 1, sizeof(*match));
	size_t i;

	if (!match)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct pd_proc *p = (const void *)((const char *)procs +
							 i * stride);

		match[i] = pd_procfilter_match(flt, hs->pfs, p->pid,
					       p->status.uid, p->comm);
	}
	pd_coverage_judge(hs->cov, flt, ret_partial);
	*ret_match = match;
	return 0;
}

/* --- the objects' index --------------------------------------------------- */

struct objslot {
	struct pd_objkey key;
	size_t idx;		/* + 1; 0 is empty */
};

struct pd_objidx {
	struct objslot *v;
	size_t n, cap;		/* cap: a power of two */
};

int pd_objidx_new(struct pd_objidx **ret_ix)
{
	struct pd_objidx *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return -ENOMEM;
	*ret_ix = ix;
	return 0;
}

void pd_objidx_free(struct pd_objidx *ix)
{
	if (!ix)
		return;
	free(ix->v);
	free(ix);
}

static size_t key_hash(const struct pd_objkey *k)
{
	uint64_t h = (uint64_t)k->dev * 0x9e3779b97f4a7c15ull ^
		     (uint64_t)k->ino ^ k->ns * 0xc2b2ae3d27d4eb4full ^
		     (uint64_t)k->tag * 0x5bd1e995u;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (size_t)(h ^ (h >> 32));
}

static bool key_eq(const struct pd_objkey *a, const struct pd_objkey *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->ns == b->ns &&
	       a->tag == b->tag;
}

static void slot_put(struct objslot *v, size_t cap, const struct objslot *s)
{
	size_t i, mask = cap - 1;

	for (i = key_hash(&s->key) & mask; v[i].idx; i = (i + 1) & mask)
		;
	v[i] = *s;
}

int pd_objidx_add(struct pd_objidx *ix, const struct pd_objkey *key,
		  size_t idx)
{
	struct objslot s = { .key = *key, .idx = idx + 1 };

	if ((ix->n + 1) * 2 > ix->cap) {
		size_t ncap = ix->cap ? ix->cap * 2 : 64, k;
		struct objslot *nv = calloc(ncap, sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		for (k = 0; k < ix->cap; k++)
			if (ix->v[k].idx)
				slot_put(nv, ncap, &ix->v[k]);
		free(ix->v);
		ix->v = nv;
		ix->cap = ncap;
	}
	slot_put(ix->v, ix->cap, &s);
	ix->n++;
	return 0;
}

bool pd_objidx_find(const struct pd_objidx *ix, const struct pd_objkey *key,
		    bool (*match)(void *arg, size_t idx), void *arg,
		    size_t *ret_idx)
{
	size_t i, mask;

	if (!ix->cap)
		return false;
	mask = ix->cap - 1;
	for (i = key_hash(key) & mask; ix->v[i].idx; i = (i + 1) & mask) {
		const struct objslot *s = &ix->v[i];

		if (!key_eq(&s->key, key) || (match && !match(arg, s->idx - 1)))
			continue;
		*ret_idx = s->idx - 1;
		return true;
	}
	return false;
}
