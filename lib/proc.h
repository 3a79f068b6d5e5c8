/* SPDX-License-Identifier: GPL-2.0-or-later */
/* proc: who a process is (stat, status, cmdline, cgroup): parsers + reader. */
#ifndef PD_PROC_H
#define PD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfilter.h"
#include "procfs.h"

/* PF_KTHREAD from include/linux/sched.h: the only reliable kthread test. */
#define PD_PF_KTHREAD 0x00200000u

/* The fields of /proc/PID/stat that the tools use. */
struct pd_stat {
	pid_t pid;
	char comm[64];		/* between the outer parentheses, raw bytes */
	char state;
	pid_t ppid;
	unsigned long flags;
};

/* The fields of /proc/PID/status that the tools use; sizes in bytes. */
struct pd_proc_status {
	uid_t uid;		/* real uid (first Uid: field) */
	bool has_uid;
	bool has_vm;		/* VmRSS present: the process has an mm */
	uint64_t vm_rss, rss_anon, rss_file, rss_shmem, vm_swap, vm_pte;
};

/*
 * Parse the text of /proc/PID/stat. comm may hold spaces and ')' (the last
 * ')' ends it). Returns 0 or -EINVAL.
 */
int pd_stat_parse(const char *buf, size_t len, struct pd_stat *ret_st);

/* Parse /proc/PID/status; missing fields stay 0. Returns 0 or -EINVAL
 * when there is no "Uid:" line. */
int pd_status_parse(const char *buf, size_t len, struct pd_proc_status *ret_st);

/*
 * The cgroup path of a process from /proc/PID/cgroup, for memory: the v1
 * "memory" controller's line when there is one (a hybrid host keeps the
 * memory controller in v1), else the v2 line "0::PATH" with a non-empty
 * path, else "name=systemd". *ret_path is malloc'ed (caller frees). Returns 0,
 * -ENOENT when no line qualifies, -EINVAL, -ENOMEM.
 */
int pd_cgroup_parse(const char *buf, size_t len, char **ret_path);

/*
 * The systemd unit of cgroup PATH: the innermost component ending in
 * .service, .scope, .socket, .mount or .swap ("user@1000.service/app.slice/
 * foo.service" gives "foo.service"); the innermost .slice when there is none.
 * *ret_unit is malloc'ed (caller frees); -ENOENT when the path names no unit.
 */
int pd_cgroup_unit(const char *path, char **ret_unit);

/*
 * The command line from /proc/PID/cmdline: NUL separators become spaces,
 * trailing NULs dropped. Empty for kernel threads and zombies. Returns a
 * malloc'ed string in *ret, 0 or -ENOMEM.
 */
int pd_cmdline_parse(const char *buf, size_t len, char **ret);

/* What pd_proc_read() fills. */
enum pd_proc_field {
	PD_PROC_STAT = 1 << 0,		/* comm, state, ppid, kthread */
	PD_PROC_STATUS = 1 << 1,	/* uid and the Vm/Rss fields */
	PD_PROC_CMDLINE = 1 << 2,
	PD_PROC_CGROUP = 1 << 3,	/* cgroup and unit */
};

/* Identity of one process; release with pd_proc_release(). */
struct pd_proc {
	pid_t pid;
	pid_t ppid;
	char comm[64];
	char state;
	bool kthread;
	struct pd_proc_status status;
	char *cmdline;		/* NULL unless asked */
	char *cgroup;		/* NULL unless asked or absent */
	char *unit;		/* NULL when the cgroup names no unit */
};

/*
 * Read the fields WHAT (enum pd_proc_field) of PID through its directory
 * PIDFD of PFS (pd_procfs_read_at(): NULL reads the files as they are).
 * Returns 0 or -errno (-ENOENT/-ESRCH: the process is gone); on error
 * nothing is left allocated in *ret_proc.
 */
int pd_proc_read(struct pd_procfs *pfs, int pidfd, pid_t pid, unsigned what,
		 struct pd_proc *ret_proc);
void pd_proc_release(struct pd_proc *proc);

/*
 * A live thread of the process PID (directory PIDFD of PFS) whose
 * thread-group leader has exited. The kernel keeps an exited leader as a
 * zombie while other threads of its group run (kernel/exit.c:
 * exit_notify(), delay_group_leader()), after do_exit() has already
 * dropped its mm, files, fs and namespaces (exit_mm(), exit_files(),
 * exit_fs(), exit_task_namespaces()): the leader's own fd/, maps, smaps,
 * exe, cwd, root, ns/ and mountinfo are empty or gone (fs/proc/base.c
 * reads them through task->mm, ->files, ->fs, ->nsproxy), and the live
 * threads' task/TID/ show them. Opens the directory of the first thread
 * but the leader whose stat state is neither Z nor X: in the live procfs
 * /proc/TID (a thread's id is looked up there too, unlisted, and only
 * that directory has map_files/), in any other tree (or PFS NULL)
 * task/TID/. Returns 0 with *ret_fd (the caller closes it), -ESRCH when
 * no thread but the leader lives (a plain zombie), or another -errno.
 */
int pd_proc_open_live_thread(struct pd_procfs *pfs, int pidfd, pid_t pid,
			     int *ret_fd);

/*
 * The directory to read what the process PID holds through (fd/, fdinfo/,
 * maps, map_files/, smaps, exe, cwd, root, ns/, mountinfo): PIDFD itself,
 * or when its leader has exited while a thread lives, that thread's
 * (pd_proc_open_live_thread()). What a process is (stat, status, cgroup)
 * stays the leader's. Cheap for a live leader: one readlink of its cwd,
 * which fails with ENOENT only for a task that has no fs_struct any more
 * (fs/proc/base.c proc_cwd_link(): task->fs is NULL after exit_fs();
 * kernel threads keep init's), and only then is its stat read for state
 * Z. *ret_fd is PIDFD, or a new fd that the caller closes. Returns 0, or
 * a fatal -errno (pd_err_is_fatal()); a thread that exited meanwhile
 * leaves *ret_fd = PIDFD.
 */
int pd_proc_open_holder(struct pd_procfs *pfs, int pidfd, pid_t pid,
			int *ret_fd);

#endif
