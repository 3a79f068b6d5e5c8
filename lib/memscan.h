/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscan: every memory-backed file object (memfd, SysV and POSIX shm,
 * tmpfs files, shared anonymous memory, secretmem, dma-buf), deduplicated
 * by device and inode, with its holders; and where Shmem went. The engine
 * of memfind. */
#ifndef PD_MEMSCAN_H
#define PD_MEMSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "coverage.h"
#include "holders.h"
#include "proc.h"
#include "procfs.h"
#include "sysvshm.h"

enum pd_memkind {
	PD_MEM_MEMFD,		/* memfd_create() on the internal shm mount */
	PD_MEM_HUGETLB,		/* memfd_create(MFD_HUGETLB): hugetlbfs */
	PD_MEM_SECRETMEM,	/* memfd_secret() */
	PD_MEM_SYSV,		/* shmget() */
	PD_MEM_POSIX,		/* a file of a tmpfs mounted on /dev/shm */
	PD_MEM_TMPFS,		/* a file of any other tmpfs (and devtmpfs) */
	PD_MEM_DELETED_TMPFS,	/* an unlinked tmpfs file still held */
	PD_MEM_SHARED_ANON,	/* mmap(MAP_SHARED|MAP_ANONYMOUS) */
	PD_MEM_DMABUF,		/* a dma-buf fd */
	PD_MEM_NKINDS,
};

/* "memfd", "sysv", ... as the KIND column and --type spell them. */
const char *pd_memkind_name(enum pd_memkind kind);
/* The kind named S. Returns 0 or -EINVAL. */
int pd_memkind_parse(const char *s, enum pd_memkind *ret_kind);

enum pd_memflag {
	PD_MEMF_EXEC = 1 << 0,		/* a memfd mapped executable or run */
	PD_MEMF_FILELESS = 1 << 1,	/* some process's exe is this memfd */
	PD_MEMF_MANY_FDS = 1 << 2,	/* one process holds >= PD_MEM_MANY_FDS fds */
	PD_MEMF_ORPHAN = 1 << 3,	/* SysV nattch 0, or a /dev/shm file no
					 * process holds or maps */
	PD_MEMF_DEST = 1 << 4,		/* SysV: removed, freed at last detach */
	PD_MEMF_LOCKED = 1 << 5,	/* SysV: SHM_LOCK */
	PD_MEMF_ORPHAN_UNSURE = 1 << 6,	/* a /dev/shm file no process seen
					 * holds, while some could not be
					 * read: "orphan?" */
	PD_MEMF_COVERED = 1 << 7,	/* a file of a tmpfs another mount
					 * covers: no path reaches it */
};

/* One process holding one object through this many fds is a leak sign. */
#define PD_MEM_MANY_FDS 8

/* Kind tmpfs files below this allocation are left out unless asked. */
#define PD_MEM_SMALL_TMPFS (1u << 20)

struct pd_memobj {
	enum pd_memkind kind;
	dev_t dev;
	ino_t ino;		/* the shmid for SysV */
	uint64_t ipc_ns;	/* SysV of another IPC namespace: its nsfs
				 * inode (the shmid is per namespace); 0 */
	bool deleted;		/* st_nlink 0 (tmpfs kinds) */
	char *path;		/* link or maps text without " (deleted)";
				 * for a path longer than PATH_MAX only the
				 * mount point, marked as
				 * pd_link_truncated_path() does */
	size_t path_len;
	bool path_truncated;	/* path is that marked text */
	char *mount;		/* tmpfs mount point; NULL for internal ones */
	bool sized;		/* size known */
	uint64_t size;		/* st_size; SysV segsz; dma-buf size */
	bool has_alloc;
	uint64_t alloc;		/* st_blocks*512; SysV rss+swap; dma-buf size */
	bool mapped;		/* RSS/PSS/SWAP below come from smaps */
	uint64_t rss;		/* SysV: the kernel's count; else the largest
				 * one holder maps */
	uint64_t pss;		/* summed over every holder */
	uint64_t swap;		/* SysV: the kernel's; else the largest */
	bool has_seals;
	unsigned seals;		/* F_SEAL_* */
	unsigned flags;		/* enum pd_memflag */
	bool has_sysv;
	struct pd_sysvshm sysv;
	char *exporter;		/* dma-buf exp_name, or NULL */
	struct pd_holder *holders;
	size_t nholders;
	uint64_t *holder_pss;	/* per holder: the PSS of its mappings */
	uint64_t *holder_swap;	/* per holder: the swap of its mappings */
	bool selected;
};

struct pd_memproc {
	struct pd_proc proc;	/* who (cmdline only when asked) */
	const char *user;	/* lives as long as the scan */
	bool fileless;		/* its exe is a memfd */
	/* Over the selected objects: */
	size_t objects;
	size_t fds;
	uint64_t alloc;		/* allocated bytes of the objects it holds */
	uint64_t pss;		/* its PSS of the ones it maps */
	uint64_t swap;		/* its swapped bytes of those */
	bool selected;
};

/* One tmpfs or devtmpfs superblock, counted once however often mounted. */
struct pd_memsb {
	dev_t dev;
	const char *mount;	/* where first seen; lives as long as the scan */
	const char *fstype;
	bool has_used;
	uint64_t used;		/* statvfs: blocks in use, bytes */
	bool walked;		/* its files were listed (a capture: it has
				 * an sb line) */
	bool timed_out;		/* opening it did not return in time (a
				 * stopped FUSE or NFS mount over it) */
	uint64_t files_alloc;	/* sum of the walked files' allocation */
	const char *covered_by;	/* every mount of it is covered: what
				 * covers it ("tmpfs on /dev/shm"); it was
				 * walked through a private copy of the
				 * mount table (lib/mntreach); else NULL */
};

/* -s: Shmem beside what was found; bytes. */
struct pd_memsummary {
	bool has_shmem;
	uint64_t shmem;			/* /proc/meminfo Shmem */
	uint64_t tmpfs;			/* superblocks' used bytes */
	unsigned tmpfs_sbs;
	unsigned tmpfs_unknown;		/* superblocks with no count */
	uint64_t deleted_tmpfs;		/* inside tmpfs: not added again */
	uint64_t memfd;			/* memfd allocation */
	uint64_t sysv_rss, sysv_swap;	/* SysV resident (added), swapped */
	uint64_t shared_anon;		/* allocation */
	unsigned unsized;		/* objects whose size is unknown */
	uint64_t explained;		/* tmpfs + memfd + sysv_rss + shared_anon */
	int64_t remainder;		/* shmem - explained */
	unsigned unreached;		/* superblocks neither counted nor
					 * walked (covered, out of reach) */
	bool has_unreached_bound;
	uint64_t unreached_bound;	/* the most those may hold beyond what
					 * was seen of them: the remainder (0
					 * when negative) plus swap in use (a
					 * swapped tmpfs page leaves Shmem) */
	/* Not in Shmem: */
	uint64_t hugetlb;		/* hugetlb memfd allocation */
	uint64_t secretmem;		/* secretmem bytes mapped (Mlocked) */
	uint64_t dmabuf;		/* dma-buf sizes */
	bool has_mlocked, has_hugetlb_total;
	uint64_t mlocked, hugetlb_total;/* meminfo Mlocked, Hugetlb */
};

struct pd_memscan_gaps {
	unsigned unverified_maps;	/* mapped objects map_files would not
					 * let us stat (CAP_SYS_ADMIN) */
	unsigned hidden_sbs;		/* tmpfs superblocks no process's root
					 * reaches (covered, denied, or timed
					 * out), nor lib/mntreach */
	int hidden_err;			/* why mntreach could not reach the
					 * last of them: EPERM needs root */
	unsigned timed_out_sbs;		/* of those, the ones whose open did
					 * not return within the deadline */
	unsigned covered_sbs;		/* covered ones walked through
					 * lib/mntreach */
	unsigned unreadable_dirs;	/* tmpfs directories we could not read */
	bool no_sysvipc;		/* /proc/sysvipc/shm unreadable */
	unsigned bad_sysv_lines;
	unsigned other_ipc_ns;		/* SysV maps of other IPC namespaces */
};

struct pd_memscan_opts {
	unsigned timeout_ms;		/* deadline of a stat (0:
					 * PD_STATQ_DEFAULT_MS) */
	unsigned identity;		/* enum pd_proc_field of the holders
					 * to read (stat and status always);
					 * 0: stat, status and cmdline */
};

struct pd_memscan;

int pd_memscan_new(struct pd_procfs *pfs, const struct pd_memscan_opts *opts,
		   struct pd_memscan **ret_ms);
void pd_memscan_free(struct pd_memscan *ms);

/*
 * Scan every process of the proc root, /proc/sysvipc/shm and every tmpfs.
 * Processes that exit are skipped; unreadable ones are counted in the
 * stats. Returns 0, or -errno when the root itself cannot be listed.
 */
int pd_memscan_run(struct pd_memscan *ms);

/* Filter for pd_memscan_select(); empty lists do not filter. */
struct pd_memfilter {
	struct pd_procfilter procs;
	unsigned kinds;			/* 1 << enum pd_memkind; 0: all */
	bool kinds_given;		/* --type named them: small tmpfs too */
	bool has_min;
	uint64_t min_size;		/* alloc (or size) >= this */
	bool orphans;			/* only orphans, proven or not
					 * (PD_MEMF_ORPHAN_UNSURE) */
};

/*
 * Mark the objects that pass FILTER and compute the per-process sums over
 * them. Objects without holders pass only when no process filter is given.
 * Kind tmpfs objects under PD_MEM_SMALL_TMPFS pass only when the kinds were
 * named or a minimum size given. Returns 0 or -ENOMEM.
 */
int pd_memscan_select(struct pd_memscan *ms, const struct pd_memfilter *flt);

/* The reconciliation over everything found (not only the selection). */
void pd_memscan_summary(const struct pd_memscan *ms,
			struct pd_memsummary *ret_sum);

size_t pd_memscan_nobjs(const struct pd_memscan *ms);
const struct pd_memobj *pd_memscan_obj(const struct pd_memscan *ms, size_t i);
size_t pd_memscan_nprocs(const struct pd_memscan *ms);
const struct pd_memproc *pd_memscan_proc(const struct pd_memscan *ms,
					 size_t i);
size_t pd_memscan_nsbs(const struct pd_memscan *ms);
const struct pd_memsb *pd_memscan_sb(const struct pd_memscan *ms, size_t i);

const struct pd_scanstats *pd_memscan_stats(const struct pd_memscan *ms);
/*
 * What the scan missed of the processes the last pd_memscan_select()
 * chose (before any: of every process): unread ones, and those the proc
 * mount's hidepid hides. Lives as long as MS.
 */
const struct pd_partial *pd_memscan_partial(const struct pd_memscan *ms);
const struct pd_memscan_gaps *pd_memscan_gaps(const struct pd_memscan *ms);

/* "write,grow,shrink,seal,exec,future-write" of F_SEAL_* bits SEALS; ""
 * for none. Writes at most BUFSZ bytes. */
void pd_memseals_format(unsigned seals, char *buf, size_t bufsz);
/* "exec,fileless,many-fds,orphan,dest,locked,orphan?,covered" of FLAGS. */
void pd_memflags_format(unsigned flags, char *buf, size_t bufsz);

#endif
