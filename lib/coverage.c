/* SPDX-License-Identifier: GPL-2.0-or-later */
/* coverage: how much of the system a scan of the proc root saw, and why
 * not all of it: the proc mount's hidepid= and subset= options against our
 * credentials, and the processes the scan could not read. */
#include "coverage.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "array.h"
#include "cli.h"
#include "mounts.h"
#include "proc.h"

/* A process the scan could not read, as far as it is known. */
struct unread {
	pid_t pid;
	int err;		/* negative errno */
	bool has_uid, has_comm, kthread;
	uid_t uid;
	char comm[64];
};

struct pd_coverage {
	struct pd_procfs *pfs;	/* NULL: made from given values */
	char *root;
	struct pd_procmount mnt;
	struct pd_viewer viewer;
	pid_t *listed;		/* ascending, as pd_procfs_list_pids() */
	size_t nlisted;
	struct unread *unread;
	size_t nunread, capunread;
};

static const char *const hidepid_names[] = {
	[PD_HIDEPID_NOACCESS] = "noaccess",
	[PD_HIDEPID_INVISIBLE] = "invisible",
	[PD_HIDEPID_PTRACEABLE] = "ptraceable",
};

const char *pd_coverage_hidepid_name(enum pd_hidepid hidepid)
{
	if ((size_t)hidepid >= sizeof(hidepid_names) / sizeof(*hidepid_names))
		return NULL;
	return hidepid_names[hidepid];
}

/* hidepid=VALUE (fs/proc/root.c proc_parse_hidepid_param()). */
static int parse_hidepid(const char *v, size_t len, enum pd_hidepid *ret)
{
	static const struct {
		const char *s;
		enum pd_hidepid h;
	} vals[] = {
		{ "0", PD_HIDEPID_OFF },
		{ "off", PD_HIDEPID_OFF },
		{ "1", PD_HIDEPID_NOACCESS },
		{ "noaccess", PD_HIDEPID_NOACCESS },
		{ "2", PD_HIDEPID_INVISIBLE },
		{ "invisible", PD_HIDEPID_INVISIBLE },
		{ "4", PD_HIDEPID_PTRACEABLE },
		{ "ptraceable", PD_HIDEPID_PTRACEABLE },
	};
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		if (strlen(vals[i].s) == len && !memcmp(vals[i].s, v, len)) {
			*ret = vals[i].h;
			return 0;
		}
	return -EINVAL;
}

int pd_coverage_parse_mount(const char *opts, struct pd_procmount *ret_mnt)
{
	struct pd_procmount m = { .hidepid = PD_HIDEPID_OFF };
	const char *p = opts;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		if (len >= 8 && !memcmp(p, "hidepid=", 8)) {
			if (parse_hidepid(p + 8, len - 8, &m.hidepid) < 0)
				return -EINVAL;
		} else if (len >= 4 && !memcmp(p, "gid=", 4)) {
			char num[16];
			unsigned long gid;

			if (len - 4 >= sizeof(num))
				return -EINVAL;
			memcpy(num, p + 4, len - 4);
			num[len - 4] = '\0';
			if (pd_parse_uint(num, UINT32_MAX - 1, &gid) < 0)
				return -EINVAL;
			m.has_gid = gid != 0;	/* the kernel's "no gid" */
			m.gid = (gid_t)gid;
		} else if (len == 10 && !memcmp(p, "subset=pid", 10)) {
			m.subset_pid = true;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	*ret_mnt = m;
	return 0;
}

bool pd_coverage_mount_hides(const struct pd_procmount *mnt,
			     const struct pd_viewer *v)
{
	if (mnt->hidepid == PD_HIDEPID_OFF)
		return false;
	/* ptraceable ignores gid=; the others let its members see all */
	if (mnt->hidepid != PD_HIDEPID_PTRACEABLE && mnt->has_gid && v->in_gid)
		return false;
	return !v->cap_sys_ptrace;
}

bool pd_coverage_is_partial(const struct pd_partial *p)
{
	return p->hidepid != PD_HIDEPID_OFF || p->denied || p->failed;
}

/* Our effective CAP_SYS_PTRACE; without capget, root's. */
static bool have_cap_sys_ptrace(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return geteuid() == 0;
	return data[CAP_SYS_PTRACE / 32].effective &
	       (1u << (CAP_SYS_PTRACE % 32));
}

static bool in_group(gid_t gid)
{
	gid_t groups[256];
	int n, i;

	if (getegid() == gid)
		return true;
	n = getgroups(sizeof(groups) / sizeof(groups[0]), groups);
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/*
 * The options of the proc mount PFS's root is, from our own mountinfo
 * (the line of its device). A root that is no proc mount, or whose line
 * cannot be found, hides nothing by its options.
 */
static int read_mount(struct pd_procfs *pfs, struct pd_procmount *ret_mnt)
{
	struct pd_mnttab *tab;
	struct pd_mount m;
	struct statfs sfs;
	struct stat st;
	char *buf;
	size_t len;
	int r, fd = pd_procfs_rootfd(pfs);

	memset(ret_mnt, 0, sizeof(*ret_mnt));
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC ||
	    fstat(fd, &st) < 0)
		return 0;
	r = pd_procfs_read_self("mountinfo", PD_READ_LIMIT, &buf, &len);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	r = pd_mnttab_parse(buf, len, &tab);
	free(buf);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	if (pd_mnttab_find_dev(tab, st.st_dev, &m) == 0 && m.fstype &&
	    !strcmp(m.fstype, "proc") &&
	    pd_coverage_parse_mount(m.fs_options, ret_mnt) < 0)
		memset(ret_mnt, 0, sizeof(*ret_mnt));
	pd_mnttab_free(tab);
	return 0;
}

int pd_coverage_new_from(const char *root, const struct pd_procmount *mnt,
			 const struct pd_viewer *viewer,
			 struct pd_coverage **ret_cov)
{
	struct pd_coverage *cov;

	cov = calloc(1, sizeof(*cov));
	if (!cov)
		return -ENOMEM;
	cov->root = strdup(root);
	if (!cov->root) {
		free(cov);
		return -ENOMEM;
	}
	cov->mnt = *mnt;
	cov->viewer = *viewer;
	*ret_cov = cov;
	return 0;
}

int pd_coverage_new(struct pd_procfs *pfs, struct pd_coverage **ret_cov)
{
	struct pd_procmount mnt;
	struct pd_viewer v = { .euid = geteuid() };
	int r;

	r = read_mount(pfs, &mnt);
	if (r < 0)
		return r;
	v.cap_sys_ptrace = have_cap_sys_ptrace();
	v.in_gid = mnt.has_gid && in_group(mnt.gid);
	r = pd_coverage_new_from(pd_procfs_root(pfs), &mnt, &v, ret_cov);
	if (r == 0)
		(*ret_cov)->pfs = pfs;
	return r;
}

void pd_coverage_free(struct pd_coverage *cov)
{
	if (!cov)
		return;
	free(cov->root);
	free(cov->listed);
	free(cov->unread);
	free(cov);
}

int pd_coverage_set_listed(struct pd_coverage *cov, const pid_t *pids,
			   size_t n)
{
	pid_t *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	if (n)
		memcpy(v, pids, n * sizeof(*v));
	free(cov->listed);
	cov->listed = v;
	cov->nlisted = n;
	return 0;
}

static struct unread *unread_new(struct pd_coverage *cov, pid_t pid, int err)
{
	struct unread *u;

	if (pd_array_grow((void **)&cov->unread, &cov->capunread,
			  cov->nunread, sizeof(*cov->unread)) < 0)
		return NULL;
	u = &cov->unread[cov->nunread++];
	memset(u, 0, sizeof(*u));
	u->pid = pid;
	u->err = err;
	return u;
}

int pd_coverage_add_unread(struct pd_coverage *cov, int pidfd, pid_t pid,
			   int err)
{
	struct unread *u = unread_new(cov, pid, err);
	struct pd_proc p;

	if (!u)
		return -ENOMEM;
	if (pidfd < 0 || !cov->pfs)
		return 0;
	/* stat is world-readable unless hidepid says no; the uid (status)
	 * is read only when a filter asks */
	if (pd_proc_read(cov->pfs, pidfd, pid, PD_PROC_STAT, &p) == 0) {
		u->has_comm = true;
		u->kthread = p.kthread;
		memcpy(u->comm, p.comm, sizeof(u->comm));
		pd_proc_release(&p);
	}
	return 0;
}

/* The real uid of unread process U, from its status. */
static bool unread_uid(const struct pd_coverage *cov, const struct unread *u,
		       uid_t *ret_uid)
{
	struct pd_proc p;
	bool ok = false;
	int pidfd;

	if (u->has_uid) {
		*ret_uid = u->uid;
		return true;
	}
	if (!cov->pfs || pd_procfs_open_pid(cov->pfs, u->pid, &pidfd) < 0)
		return false;
	if (pd_proc_read(cov->pfs, pidfd, u->pid, PD_PROC_STATUS,
			 &p) == 0) {
		ok = p.status.has_uid;
		*ret_uid = p.status.uid;
		pd_proc_release(&p);
	}
	close(pidfd);
	return ok;
}

int pd_coverage_add_unread_id(struct pd_coverage *cov, pid_t pid, int err,
			      bool has_uid, uid_t uid, const char *comm)
{
	struct unread *u = unread_new(cov, pid, err);

	if (!u)
		return -ENOMEM;
	u->has_uid = has_uid;
	u->uid = uid;
	if (comm) {
		u->has_comm = true;
		strncpy(u->comm, comm, sizeof(u->comm) - 1);
	}
	return 0;
}

static bool pid_in(const pid_t *v, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == pid)
			return true;
	return false;
}

static bool uid_in(const uid_t *v, size_t n, uid_t uid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == uid)
			return true;
	return false;
}

/* May U pass FLT? What is not known of it passes. */
static bool unread_may_match(const struct pd_coverage *cov,
			     const struct unread *u,
			     const struct pd_procfilter *flt)
{
	uid_t uid;

	if (u->has_comm && u->kthread)
		return false;
	if (!flt)
		return true;
	if (flt->npids && !pid_in(flt->pids, flt->npids, u->pid))
		return false;
	if (flt->nuids && unread_uid(cov, u, &uid) &&
	    !uid_in(flt->uids, flt->nuids, uid))
		return false;
	/* a long name that may be its full name: it may pass */
	if (u->has_comm && !pd_procfilter_comm_may_match(flt, u->comm))
		return false;
	return true;
}

/*
 * May a process hidden from the listing pass FLT? One a pid filter names
 * was listed, or never existed when it was not (nothing hides it); our
 * own uid's processes are ours to see.
 */
static bool hidden_may_match(const struct pd_coverage *cov,
			     const struct pd_procfilter *flt)
{
	size_t i;
	bool any = false;

	if (!flt)
		return true;
	if (flt->npids) {
		for (i = 0; i < flt->npids && !any; i++)
			any = !cov->listed ||
			      !pid_in(cov->listed, cov->nlisted, flt->pids[i]);
		if (!any)
			return false;
	}
	if (flt->nuids) {
		any = false;
		for (i = 0; i < flt->nuids && !any; i++)
			any = flt->uids[i] != cov->viewer.euid;
		if (!any)
			return false;
	}
	return true;
}

void pd_coverage_judge(const struct pd_coverage *cov,
		       const struct pd_procfilter *flt,
		       struct pd_partial *ret_partial)
{
	struct pd_partial p = {
		.root = cov->root,
		.subset_pid = cov->mnt.subset_pid,
		.root_user = cov->viewer.euid == 0,
		.procs = (unsigned)cov->nlisted,
	};
	bool hides = pd_coverage_mount_hides(&cov->mnt, &cov->viewer);
	size_t i;

	for (i = 0; i < cov->nunread; i++) {
		const struct unread *u = &cov->unread[i];

		if (!unread_may_match(cov, u, flt))
			continue;
		if ((u->err == -EACCES || u->err == -EPERM) &&
		    cov->viewer.euid == 0 && cov->viewer.cap_sys_ptrace) {
			if (!p.beyond_root++) {
				p.beyond_pid = u->pid;
				if (u->has_comm)
					memcpy(p.beyond_comm, u->comm,
					       sizeof(p.beyond_comm));
			}
		} else if (u->err == -EACCES || u->err == -EPERM) {
			p.denied++;
		} else {
			if (!p.failed)
				p.first_error = -u->err;
			p.failed++;
		}
	}
	/* noaccess lists every process: what it hides is the denied ones */
	if (hides && (cov->mnt.hidepid == PD_HIDEPID_NOACCESS ? p.denied > 0 :
		      hidden_may_match(cov, flt)))
		p.hidepid = cov->mnt.hidepid;
	*ret_partial = p;
}

/* ---- the census of what a filter names -------------------------------- */

void pd_census_release(struct pd_census *census)
{
	free(census->pid_missing);
	free(census->uid_missing);
	free(census->comm_missing);
	memset(census, 0, sizeof(*census));
}

/* Which items of FLT the readable process P (directory PIDFD) matches on
 * its own, by list: clear their missing marks in C. */
static void census_items(struct pd_census *c, const struct pd_procfilter *flt,
			 struct pd_procfs *pfs, int pidfd,
			 const struct pd_proc *p)
{
	const struct pd_procfilter one = { .ncomms = 1 };
	size_t i;

	for (i = 0; i < flt->nuids; i++)
		if (flt->uids[i] == p->status.uid)
			c->uid_missing[i] = false;
	for (i = 0; i < flt->ncomms; i++) {
		struct pd_procfilter name = one;

		name.comms = &flt->comms[i];
		if (c->comm_missing[i] &&
		    pd_procfilter_match_at(&name, pfs, pidfd, p->pid, 0,
					   p->comm))
			c->comm_missing[i] = false;
	}
}

/* What a read of a process in the census gives: 1 read or gone, 0 there
 * but unreadable, or the fatal error (pd_err_is_fatal()). */
static int census_verdict(int r)
{
	if (pd_err_is_fatal(r))
		return r;
	return r >= 0 || pd_err_is_gone(r);
}

/* Count process PID of PFS in C: alive, passing FLT. Returns 1, 0 when
 * it is there but its identity could not be read, or a fatal -errno (out
 * of descriptors or memory, a broken tree: the tool's own failure). */
static int census_pid(struct pd_census *c, struct pd_procfs *pfs,
		      const struct pd_procfilter *flt, pid_t pid)
{
	struct pd_proc p;
	int pidfd, r;

	if (!flt->nuids && !flt->ncomms) {
		c->matched += pid_in(flt->pids, flt->npids, pid);
		return 1;
	}
	r = pd_procfs_open_pid(pfs, pid, &pidfd);
	if (r < 0)
		return census_verdict(r);
	r = pd_proc_read(pfs, pidfd, pid, PD_PROC_STAT | PD_PROC_STATUS, &p);
	if (r < 0) {
		close(pidfd);
		return census_verdict(r);
	}
	census_items(c, flt, pfs, pidfd, &p);
	c->matched += pd_procfilter_match_at(flt, pfs, pidfd, pid,
					     p.status.uid, p.comm);
	pd_proc_release(&p);
	close(pidfd);
	/* a long name's exe or cmdline read may have met one */
	return census_verdict(pd_procfs_error(pfs));
}

int pd_coverage_census(const struct pd_coverage *cov, struct pd_procfs *pfs,
		       const struct pd_procfilter *flt,
		       struct pd_census *ret_census)
{
	/* noaccess lists every process: it hides only what it denies */
	bool hides = pd_coverage_mount_hides(&cov->mnt, &cov->viewer) &&
		     cov->mnt.hidepid != PD_HIDEPID_NOACCESS;
	struct pd_census c = { 0 };
	bool unread = false;
	pid_t *pids = NULL;
	size_t n, i;
	int r;

	c.pid_missing = calloc(flt->npids + 1, sizeof(bool));
	c.uid_missing = calloc(flt->nuids + 1, sizeof(bool));
	c.comm_missing = calloc(flt->ncomms + 1, sizeof(bool));
	if (!c.pid_missing || !c.uid_missing || !c.comm_missing) {
		r = -ENOMEM;
		goto out_free;
	}
	memset(c.pid_missing, true, flt->npids);
	memset(c.uid_missing, true, flt->nuids);
	memset(c.comm_missing, true, flt->ncomms);
	r = pd_procfs_list_pids(pfs, &pids, &n);
	if (r < 0)
		goto out_free;
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < flt->npids; k++)
			if (flt->pids[k] == pids[i])
				c.pid_missing[k] = false;
		r = census_pid(&c, pfs, flt, pids[i]);
		if (r < 0)
			goto out_free;
		if (r)
			continue;
		/* it may be any user or name; and pass FLT, if its pid may */
		unread = true;
		if (!flt->npids || pid_in(flt->pids, flt->npids, pids[i]))
			c.unsure++;
	}
	/* What hidepid may hide, or a process we could not read, may be
	 * any user or name; a pid hidepid hides is not listed. Our own
	 * processes are never hidden from us. */
	for (i = 0; i < flt->npids; i++)
		if (c.pid_missing[i] && hides) {
			c.pid_missing[i] = false;
			c.unsure++;
		}
	for (i = 0; i < flt->nuids; i++)
		if (c.uid_missing[i] && (unread ||
		    (hides && flt->uids[i] != cov->viewer.euid))) {
			c.uid_missing[i] = false;
			c.unsure++;
		}
	for (i = 0; i < flt->ncomms; i++)
		if (c.comm_missing[i] && (unread || hides)) {
			c.comm_missing[i] = false;
			c.unsure++;
		}
	for (i = 0; i < flt->npids; i++)
		c.missing += c.pid_missing[i];
	for (i = 0; i < flt->nuids; i++)
		c.missing += c.uid_missing[i];
	for (i = 0; i < flt->ncomms; i++)
		c.missing += c.comm_missing[i];
	*ret_census = c;
	free(pids);
	return 0;

out_free:
	free(pids);
	pd_census_release(&c);
	return r;
}
