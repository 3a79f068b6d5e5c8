/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysvshm: the System V shared memory segments of /proc/sysvipc/shm. */
#ifndef PD_SYSVSHM_H
#define PD_SYSVSHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"

/* Bits of the perms column beyond the permission bits (include/linux/shm.h),
 * which ipcs -m shows as the "dest" and "locked" status. */
#define PD_SHM_DEST 01000u	/* IPC_RMID done, destroyed at the last detach */
#define PD_SHM_LOCKED 02000u	/* SHM_LOCK: never swapped */

/* One line of /proc/sysvipc/shm (ipc/shm.c, sysvipc_shm_proc_show()). */
struct pd_sysvshm {
	int32_t key;		/* printed signed; 0 is IPC_PRIVATE */
	int shmid;		/* also the inode number of its shm file */
	unsigned perms;		/* mode: permission bits | PD_SHM_DEST | LOCKED */
	uint64_t size;		/* bytes (shm_segsz) */
	pid_t cpid, lpid;
	uint64_t nattch;
	uid_t uid, cuid;
	gid_t gid, cgid;
	int64_t atime, dtime, ctime;
	bool has_rss;		/* rss and swap columns (4.x+; not on 2.6/3.x) */
	uint64_t rss, swap;	/* bytes resident and swapped out */
};

/*
 * Parse the text of /proc/sysvipc/shm: a header line, then one segment a
 * line. *ret_v is malloc'ed (caller frees; NULL when there are none).
 * Lines with too few fields or bad numbers are skipped and counted in
 * *ret_bad (may be NULL). Returns 0, -EINVAL when the header is missing
 * (not that file), -ENOMEM.
 */
int pd_sysvshm_parse(const char *buf, size_t len, struct pd_sysvshm **ret_v,
		     size_t *ret_n, size_t *ret_bad);

/* Read and parse "sysvipc/shm" of the proc root PFS. 0 or -errno (-ENOENT
 * on a kernel built without CONFIG_SYSVIPC). */
int pd_sysvshm_read(struct pd_procfs *pfs, struct pd_sysvshm **ret_v,
		    size_t *ret_n, size_t *ret_bad);

/* Does SHM hold PD_SHM_DEST / PD_SHM_LOCKED? */
bool pd_sysvshm_is_dest(const struct pd_sysvshm *shm);
bool pd_sysvshm_is_locked(const struct pd_sysvshm *shm);

#endif
