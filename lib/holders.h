/* SPDX-License-Identifier: GPL-2.0-or-later */
/* holders: the one walk over every process's handles (fd/, maps and
 * map_files, cwd/root/exe), with the kinds of file an engine lists plugged
 * in (lsfd's one collector with a class per kind); deadscan and memscan
 * are its two users. */
#ifndef PD_HOLDERS_H
#define PD_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "coverage.h"
#include "fdtab.h"
#include "maps.h"
#include "mounts.h"
#include "procfs.h"
#include "statq.h"

struct pd_proc;
struct pd_procfilter;

/* How a process holds a file, one bit each; fds are listed apart. */
enum pd_hold {
	PD_HOLD_FD = 1 << 0,
	PD_HOLD_MEM = 1 << 1,	/* mapped (maps), with or without an fd */
	PD_HOLD_CWD = 1 << 2,
	PD_HOLD_ROOT = 1 << 3,
	PD_HOLD_EXE = 1 << 4,
};

/* One process holding one object. */
struct pd_holder {
	size_t proc;		/* index of the engine's process record */
	unsigned how;		/* enum pd_hold */
	int *fds;		/* ascending, nfds of them */
	size_t nfds;
};

/*
 * Record in the holder list *HOLDERS (*NHOLDERS long) that process PROC
 * holds the object as HOW says (PD_HOLD_FD: through FD). A process has one
 * entry; *ret_idx (may be NULL) is its index. Returns 0 or -ENOMEM.
 */
int pd_holder_add(struct pd_holder **holders, size_t *nholders, size_t proc,
		  unsigned how, int fd, size_t *ret_idx);
/* Free the fds of N holders and the array V. */
void pd_holders_free_list(struct pd_holder *v, size_t n);

/*
 * "3,7,mem,cwd": how holder H holds its object, as the FD columns show it.
 * Writes at most BUFSZ bytes (NUL-terminated, cut at a comma if too long).
 */
void pd_holder_format(const struct pd_holder *h, char *buf, size_t bufsz);

/* One handle of one process that a kind's classifier took. */
struct pd_handle {
	unsigned how;		/* one enum pd_hold bit */
	unsigned kind;		/* what the classifier said */
	int fd;			/* PD_HOLD_FD: the fd, else -1 */
	char rel[64];		/* "fd/3", "map_files/a-b", "cwd" */
	char *text;		/* link or maps text (without the kernel's
				 * \012 escape for a mapping) */
	size_t len;
	size_t path_len;	/* without " (deleted)" */
	bool toolong;		/* no text: a path past PATH_MAX */
	bool from_maps;
	dev_t dev;		/* maps: the line's device and inode */
	ino_t ino;
	unsigned perms;		/* maps: OR of every mapping's perms */
	/* the kind's own, zero at the start: */
	bool silly;
	size_t obj;		/* object + 1 it resolved to, 0 none */
	uint64_t rss, pss, swap;
};

/* A process whose handles are being walked. */
struct pd_holders_pid {
	pid_t pid;
	int pidfd;		/* the directory its handles are read through
				 * (fd/, fdinfo/, maps, map_files/, smaps,
				 * exe, cwd, root, ns/, mountinfo): the
				 * leader's, or a live thread's when the
				 * leader exited (pd_proc_open_holder()) */
	int leaderfd;		/* its own directory: what it is (stat,
				 * status, cgroup); may equal pidfd */
	size_t proc;		/* the engine's record, once made */
	const struct pd_mnttab *tab;	/* its (namespace, root)'s table,
					 * once pd_holders_pid_tab() looked;
					 * NULL: unreadable */
	bool tab_looked;
	char root[64];		/* the root link, once read and if it fit */
	bool has_root;
	bool maps_failed;	/* maps could not be read */
	size_t nfd_handles;	/* handles from fd/, the first ones */
};

/* A mount namespace seen through one root. */
struct pd_holders_ns {
	char ns[64];		/* the ns/mnt link text; "" unknown */
	char root[64];		/* the root link text, cut to fit */
	dev_t root_dev;		/* live /proc: the root directory itself, */
	ino_t root_ino;		/* since a chroot's "/" and init's "/" are
				 * the same text; 0 in a captured tree */
	uint64_t root_mnt;	/* and the mount it is reached through */
	pid_t pids[16];		/* the first processes seen in it */
	size_t npids;
	const struct pd_mnttab *tab;	/* NULL: none readable yet */
};

struct pd_holders;

/*
 * How a kind plugs in. Classifiers see only text, before any stat: they
 * return 0 to take the handle (setting h->kind, and may set path_len and
 * silly), 1 to leave it, or -errno. A NULL classifier takes nothing.
 */
struct pd_holders_ops {
	/* fd/N link: H has how, fd, rel, text, len (0: past PATH_MAX),
	 * path_len from L. */
	int (*classify_fd)(void *arg, struct pd_holders_pid *p,
			   const struct pd_link *l, struct pd_handle *h);
	/* A maps line with a path; path_len is set without the suffix and
	 * DELETED tells whether it had one. */
	int (*classify_map)(void *arg, struct pd_holders_pid *p,
			    const struct pd_map *m, bool deleted,
			    struct pd_handle *h);
	/* cwd, root, exe (exe only when want_exe says so). */
	int (*classify_link)(void *arg, struct pd_holders_pid *p,
			     const struct pd_link *l, struct pd_handle *h);
	/* Read exe too? NULL: never. Asked after fd/ and maps. */
	bool (*want_exe)(void *arg, const struct pd_holders_pid *p,
			 size_t nhandles);
	/* The process holds something: make its record from PROC (whose
	 * strings it takes over), set p->proc. <0 error. */
	int (*proc_new)(void *arg, struct pd_holders_pid *p,
			struct pd_proc *proc);
	/* Locate, stat and accept handle H. 0, or a fatal -errno. */
	int (*resolve)(void *arg, struct pd_holders_pid *p,
		       struct pd_handle *h);
	/* After every handle of the process: 0 or a fatal -errno. */
	int (*proc_done)(void *arg, struct pd_holders_pid *p,
			 struct pd_handle *hv, size_t n);
	unsigned identity;	/* enum pd_proc_field to read per holder */
	bool every_ns;		/* look up every process's namespace, not
				 * only the holders' (to reach its mounts) */
};

/*
 * A collector over PFS (which must outlive it) with a stat deadline of
 * TIMEOUT_MS (0: PD_STATQ_DEFAULT_MS). Returns 0 or -ENOMEM.
 */
int pd_holders_new(struct pd_procfs *pfs, unsigned timeout_ms,
		   struct pd_holders **ret_hs);
void pd_holders_free(struct pd_holders *hs);

/*
 * Walk every process of the proc root once with OPS. Processes that exit
 * are skipped, unreadable ones counted (pd_holders_stats()) and noted for
 * the coverage. Returns 0, or -errno when the root cannot be listed or a
 * fatal error stops the walk.
 */
int pd_holders_run(struct pd_holders *hs, const struct pd_holders_ops *ops,
		   void *arg);

/*
 * The mount table of P's (mount namespace, root), read once per pair: the
 * ns/mnt and root links tell the pairs apart, and a process whose links
 * cannot be read gets the table of its own mountinfo text. Returns 0 with
 * *ret_tab (NULL when no table can be read; owned by HS), or a fatal -errno.
 */
int pd_holders_pid_tab(struct pd_holders *hs, struct pd_holders_pid *p,
		       const struct pd_mnttab **ret_tab);

/*
 * Find a mount by id (BY_ID) or device in TAB, then in pid 1's table: a
 * process in a chroot whose root is not a mount point has no line for the
 * file system under it. Returns 0 or -ENOENT (a kernel-internal mount).
 */
int pd_holders_find_mount(struct pd_holders *hs, const struct pd_mnttab *tab,
			  bool by_id, int id, dev_t dev,
			  struct pd_mount *ret_mnt);

/*
 * Read and parse fdinfo of H's fd. Returns 0, -ENOENT and the like (closed
 * meanwhile, or unparsable: *ret_fi has mnt_id -1), or a fatal -errno.
 * RET_BUF (may be NULL) gets the text for a kind's own parse (caller frees).
 */
int pd_holders_fdinfo(struct pd_holders *hs, const struct pd_holders_pid *p,
		      const struct pd_handle *h, struct pd_fdinfo *ret_fi,
		      char **ret_buf, size_t *ret_len);

/*
 * Stat H through its link, on mount M (NULL: unknown): plain when M is a
 * local mount, under the deadline when it is remote or unknown. A mount
 * marked dead (pd_holders_mark_dead()) is not asked again: -ETIMEDOUT at
 * once. Returns 0, -ETIMEDOUT or -errno.
 */
int pd_holders_stat(struct pd_holders *hs, const struct pd_holders_pid *p,
		    const struct pd_handle *h, const struct pd_mount *m,
		    struct stat *ret_st);
/* Note that mount M timed out: no more stats there, and its point is
 * listed in pd_holders_timeout(). Returns 0 or -ENOMEM. */
int pd_holders_mark_dead(struct pd_holders *hs, const struct pd_mount *m);
/* Has mount M timed out before? */
bool pd_holders_mount_is_dead(const struct pd_holders *hs,
			      const struct pd_mount *m);

struct pd_statq *pd_holders_statq(struct pd_holders *hs);
struct pd_mounts *pd_holders_mounts(struct pd_holders *hs);
struct pd_procfs *pd_holders_procfs(struct pd_holders *hs);
/* pid 1's table (pd_mounts_init()), or NULL. */
const struct pd_mnttab *pd_holders_init_tab(struct pd_holders *hs);

/* The (mount namespace, root) pairs seen, in order of first sight. */
size_t pd_holders_nns(const struct pd_holders *hs);
const struct pd_holders_ns *pd_holders_ns(const struct pd_holders *hs,
					  size_t i);

const struct pd_scanstats *pd_holders_stats(const struct pd_holders *hs);
struct pd_coverage *pd_holders_coverage(struct pd_holders *hs);
/* Mount points that did not answer in time (one each). */
size_t pd_holders_ntimeouts(const struct pd_holders *hs);
const char *pd_holders_timeout(const struct pd_holders *hs, size_t i);

/*
 * Which of N process records pass FLT: record I is the struct pd_proc at
 * PROCS + I * STRIDE (an engine's records embed it first). Also judges what
 * the selection misses into *RET_PARTIAL. *ret_match (N + 1 entries, the
 * caller frees) is written on success. Returns 0 or -ENOMEM.
 */
int pd_holders_match(struct pd_holders *hs, const struct pd_procfilter *flt,
		     const void *procs, size_t n, size_t stride,
		     bool **ret_match, struct pd_partial *ret_partial);

/* An index of objects by key, for the dedupe of the kinds. */
struct pd_objkey {
	dev_t dev;
	ino_t ino;
	uint64_t ns;		/* e.g. an IPC namespace; 0 */
	unsigned tag;		/* the kind's key part; 0 */
};
struct pd_objidx;

int pd_objidx_new(struct pd_objidx **ret_ix);
void pd_objidx_free(struct pd_objidx *ix);
/* Index object IDX under KEY. Returns 0 or -ENOMEM. */
int pd_objidx_add(struct pd_objidx *ix, const struct pd_objkey *key,
		  size_t idx);
/*
 * The first object indexed under KEY for which MATCH (NULL: any) says
 * yes. Returns true with *ret_idx, or false.
 */
bool pd_objidx_find(const struct pd_objidx *ix, const struct pd_objkey *key,
		    bool (*match)(void *arg, size_t idx), void *arg,
		    size_t *ret_idx);

#endif
