/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/deadscan on the captured trees of tests/fixtures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "deadscan.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"
#define NOFD PD_FIXTURES_DIR "/nofd/proc"
#define ODDDEV PD_FIXTURES_DIR "/odddev/proc"

/*
 * The oracle: what tests/fixtures/make-basic.sh put in the basic tree.
 * alloc is st_blocks * 512 of the linkstat lines.
 */
#define APPLOG_PATH	"/var/log/app.log"
#define APPLOG_SIZE	1048576u	/* sparse: 1024 blocks */
#define APPLOG_ALLOC	524288u
#define SILLY_PATH	"/mnt/nfs/.nfs000000000012abcd00000001"
#define SILLY_SIZE	4096u
#define SILLY_ALLOC	4096u
#define LIBFOO_PATH	"/usr/lib/x86_64-linux-gnu/libfoo.so.1.2"
#define LIBFOO_SIZE	204800u
#define LIBFOO_ALLOC	204800u
#define SHM_PATH	"/dev/shm/cache.bin"
#define SHM_SIZE	65536u
#define SHM_ALLOC	65536u
#define TOOL_PATH	"/opt/tool/bin/tool"
#define TOOL_SIZE	123456u
#define TOOL_ALLOC	126976u		/* 248 blocks */

struct scan {
	struct pd_procfs *pfs;
	struct pd_deadscan *ds;
};

static int scan_setup(void **state, const char *root)
{
	struct pd_deadscan_opts opts = { .timeout_ms = 1000 };
	struct scan *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	*state = s;
	if (pd_procfs_new(root, &s->pfs) < 0)
		return -1;
	if (pd_deadscan_new(s->pfs, &opts, &s->ds) < 0)
		return -1;
	return pd_deadscan_run(s->ds) < 0 ? -1 : 0;
}

static int setup_basic(void **state)
{
	return scan_setup(state, BASIC);
}

static int setup_nofd(void **state)
{
	return scan_setup(state, NOFD);
}

static int setup_odddev(void **state)
{
	return scan_setup(state, ODDDEV);
}

static int teardown_scan(void **state)
{
	struct scan *s = *state;

	if (s) {
		pd_deadscan_free(s->ds);
		pd_procfs_free(s->pfs);
		free(s);
	}
	return 0;
}

static struct pd_deadscan *ds_of(void **state)
{
	return ((struct scan *)*state)->ds;
}

static const struct pd_deadfile *file_named(const struct pd_deadscan *ds,
					    const char *path)
{
	size_t i;

	for (i = 0; i < pd_deadscan_nfiles(ds); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(ds, i);

		if (!strcmp(f->path, path))
			return f;
	}
	return NULL;
}

static const struct pd_deadfile *must_file(const struct pd_deadscan *ds,
					   const char *path)
{
	const struct pd_deadfile *f = file_named(ds, path);

	if (!f)
		fail_msg("no deleted file %s", path);
	return f;
}

static size_t proc_index(const struct pd_deadscan *ds, pid_t pid)
{
	size_t i;

	for (i = 0; i < pd_deadscan_nprocs(ds); i++)
		if (pd_deadscan_proc(ds, i)->proc.pid == pid)
			return i;
	fail_msg("no process %d", (int)pid);
	return 0;
}

static const struct pd_deadproc *proc_of(const struct pd_deadscan *ds,
					 pid_t pid)
{
	return pd_deadscan_proc(ds, proc_index(ds, pid));
}

static const struct pd_deadmount *mount_of(const struct pd_deadscan *ds,
					   unsigned maj, unsigned min)
{
	size_t i;

	for (i = 0; i < pd_deadscan_nmounts(ds); i++)
		if (pd_deadscan_mount(ds, i)->dev == makedev(maj, min))
			return pd_deadscan_mount(ds, i);
	fail_msg("no mount %u:%u", maj, min);
	return NULL;
}

/* "pid:how" of holder I of F, e.g. "200:3,7,mem". */
static void assert_holder(const struct pd_deadscan *ds,
			  const struct pd_deadfile *f, size_t i, pid_t pid,
			  const char *how)
{
	char buf[64];

	assert_true(i < f->nholders);
	assert_int_equal(pd_deadscan_proc(ds, f->holders[i].proc)->proc.pid, pid);
	pd_holder_format(&f->holders[i], buf, sizeof(buf));
	assert_string_equal(buf, how);
}

static void select_all(struct pd_deadscan *ds)
{
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
}

static size_t nselected(const struct pd_deadscan *ds)
{
	size_t i, n = 0;

	for (i = 0; i < pd_deadscan_nfiles(ds); i++)
		n += pd_deadscan_file(ds, i)->selected;
	return n;
}

static void test_deadscan_finds_exactly_the_deleted_files(void **state)
{
	struct pd_deadscan *ds = ds_of(state);

	assert_int_equal(pd_deadscan_nfiles(ds), 5);
	assert_non_null(file_named(ds, APPLOG_PATH));
	assert_non_null(file_named(ds, SILLY_PATH));
	assert_non_null(file_named(ds, LIBFOO_PATH));
	assert_non_null(file_named(ds, SHM_PATH));
	assert_non_null(file_named(ds, TOOL_PATH));
	assert_null(pd_deadscan_file(ds, 5));
}

static void test_deadscan_skips_memfd_and_live_deleted_names(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	size_t i;

	/* the memfd's mount is internal; /srv/x has st_nlink 1 */
	assert_null(file_named(ds, "/memfd:blob"));
	assert_null(file_named(ds, "/memfd:blob (deleted)"));
	assert_null(file_named(ds, "/srv/x"));
	assert_null(file_named(ds, "/srv/x (deleted)"));
	/* a path with "(deleted)" inside is no candidate at all */
	assert_null(file_named(ds, "/var/lib/app/My Data/state (deleted).bin"));
	for (i = 0; i < pd_deadscan_nfiles(ds); i++)
		assert_int_not_equal(pd_deadscan_file(ds, i)->ino, 25);
}

static void test_deadscan_file_held_by_two_processes_is_one_row(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_deadfile *f = must_file(ds, APPLOG_PATH);

	assert_int_equal(f->dev, makedev(8, 1));
	assert_int_equal(f->ino, 1234);
	assert_int_equal(f->path_len, 16);
	assert_true(f->sized);
	assert_false(f->timed_out);
	assert_int_equal(f->size, APPLOG_SIZE);
	assert_int_equal(f->alloc, APPLOG_ALLOC);
	assert_int_equal(f->mode, S_IFREG | 0640);
	assert_int_equal(f->mnt_id, 25);
	assert_string_equal(f->mount, "/");
	assert_string_equal(f->fstype, "ext4");
	assert_false(f->ram);
	assert_false(f->remote);
	assert_false(f->nfs_silly);
	assert_int_equal(f->nholders, 2);
	/* pid 100 holds it twice */
	assert_holder(ds, f, 0, 100, "3,7");
	assert_int_equal(f->holders[0].how, PD_HOLD_FD);
	assert_int_equal(f->holders[0].nfds, 2);
	assert_int_equal(f->holders[0].fds[0], 3);
	assert_int_equal(f->holders[0].fds[1], 7);
	assert_holder(ds, f, 1, 200, "5");
}

static void test_deadscan_mapped_only_library_is_found_once(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_deadfile *f = must_file(ds, LIBFOO_PATH);

	assert_int_equal(f->dev, makedev(8, 1));
	assert_int_equal(f->ino, 5678);
	assert_int_equal(f->size, LIBFOO_SIZE);
	assert_int_equal(f->alloc, LIBFOO_ALLOC);
	assert_int_equal(f->mode, S_IFREG | 0644);
	/* no fd names the mount: the device does */
	assert_int_equal(f->mnt_id, 25);
	assert_string_equal(f->mount, "/");
	/* four mappings, one holder */
	assert_int_equal(f->nholders, 1);
	assert_holder(ds, f, 0, 200, "mem");
	assert_int_equal(f->holders[0].how, PD_HOLD_MEM);
	assert_int_equal(f->holders[0].nfds, 0);
}

static void test_deadscan_deleted_exe_is_held_as_mem_and_exe(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_deadfile *f = must_file(ds, TOOL_PATH);

	assert_int_equal(f->ino, 9012);
	assert_int_equal(f->size, TOOL_SIZE);
	assert_int_equal(f->alloc, TOOL_ALLOC);
	assert_int_equal(f->mode, S_IFREG | 0755);
	assert_string_equal(f->fstype, "ext4");
	assert_int_equal(f->nholders, 1);
	assert_holder(ds, f, 0, 300, "mem,exe");
	assert_int_equal(f->holders[0].how, PD_HOLD_MEM | PD_HOLD_EXE);
}

static void test_deadscan_nfs_silly_file_counts_as_deleted(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_deadfile *f = must_file(ds, SILLY_PATH);

	assert_true(f->nfs_silly);
	assert_true(f->remote);
	assert_false(f->ram);
	assert_int_equal(f->dev, makedev(0, 50));
	assert_int_equal(f->ino, 1223629);
	assert_int_equal(f->size, SILLY_SIZE);
	assert_int_equal(f->alloc, SILLY_ALLOC);
	assert_int_equal(f->mnt_id, 40);
	assert_string_equal(f->mount, "/mnt/nfs");
	assert_string_equal(f->fstype, "nfs4");
	assert_int_equal(f->nholders, 1);
	assert_holder(ds, f, 0, 200, "9");
}

static void test_deadscan_tmpfs_file_is_ram(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_deadfile *f = must_file(ds, SHM_PATH);

	assert_true(f->ram);
	assert_false(f->remote);
	assert_false(f->nfs_silly);
	assert_int_equal(f->dev, makedev(0, 25));
	assert_int_equal(f->ino, 77);
	assert_int_equal(f->alloc, SHM_ALLOC);
	assert_int_equal(f->mode, S_IFREG | 0600);
	assert_int_equal(f->mnt_id, 30);
	assert_string_equal(f->mount, "/dev/shm");
	assert_string_equal(f->fstype, "tmpfs");
	assert_holder(ds, f, 0, 300, "6");
	/* only the ram file is ram */
	assert_false(must_file(ds, APPLOG_PATH)->ram);
	assert_false(must_file(ds, TOOL_PATH)->ram);
}

static void test_deadscan_lists_only_processes_with_candidates(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_scanstats *st = pd_deadscan_stats(ds);
	const struct pd_deadscan_gaps *gaps = pd_deadscan_gaps(ds);

	/* pid 1 and kthread 2 hold nothing deleted */
	assert_int_equal(pd_deadscan_nprocs(ds), 3);
	assert_int_equal(pd_deadscan_proc(ds, 0)->proc.pid, 100);
	assert_int_equal(pd_deadscan_proc(ds, 1)->proc.pid, 200);
	assert_int_equal(pd_deadscan_proc(ds, 2)->proc.pid, 300);
	assert_null(pd_deadscan_proc(ds, 3));
	assert_int_equal(st->procs, 5);
	assert_int_equal(st->vanished, 0);
	assert_int_equal(st->denied, 0);
	assert_int_equal(st->failed, 0);
	assert_int_equal(gaps->unverified_maps, 0);
	assert_int_equal(gaps->timed_out_files, 0);
	assert_int_equal(pd_deadscan_ntimeouts(ds), 0);
	assert_null(pd_deadscan_timeout(ds, 0));
}

static void test_deadscan_process_identity(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_deadproc *p;

	p = proc_of(ds, 100);
	assert_int_equal(p->proc.ppid, 1);
	assert_int_equal(p->proc.status.uid, 65534);
	assert_string_equal(p->proc.comm, "app");
	assert_string_equal(p->proc.cmdline, "/usr/bin/app --config /etc/app.conf");
	assert_string_equal(p->proc.cgroup, "/system.slice/app.service");
	assert_string_equal(p->proc.unit, "app.service");

	p = proc_of(ds, 200);
	assert_string_equal(p->proc.comm, "tmux: server");
	assert_string_equal(p->proc.cmdline, "tmux");
	assert_string_equal(p->proc.unit, "tmux-spawn-5f1c.scope");

	p = proc_of(ds, 300);
	assert_int_equal(p->proc.status.uid, 0);
	assert_string_equal(p->user, "root");
	assert_string_equal(p->proc.comm, "tool");
	assert_string_equal(p->proc.cmdline, "/opt/tool/bin/tool --daemon");
	assert_string_equal(p->proc.cgroup, "/system.slice/foo.service");
	assert_string_equal(p->proc.unit, "foo.service");
}

static void assert_proc_sums(const struct pd_deadscan *ds, pid_t pid,
			     bool selected, size_t files, uint64_t alloc,
			     uint64_t size, size_t sole_files,
			     uint64_t sole_alloc)
{
	const struct pd_deadproc *p = proc_of(ds, pid);

	assert_int_equal(p->selected, selected);
	assert_int_equal(p->files, files);
	assert_int_equal(p->alloc, alloc);
	assert_int_equal(p->size, size);
	assert_int_equal(p->sole_files, sole_files);
	assert_int_equal(p->sole_alloc, sole_alloc);
	assert_false(p->unknown);
}

static void assert_mount_sums(const struct pd_deadscan *ds, unsigned maj,
			      unsigned min, const char *mount,
			      const char *fstype, bool ram, size_t files,
			      uint64_t alloc, uint64_t size)
{
	const struct pd_deadmount *m = mount_of(ds, maj, min);

	assert_string_equal(m->mount, mount);
	assert_string_equal(m->fstype, fstype);
	assert_int_equal(m->ram, ram);
	assert_int_equal(m->files, files);
	assert_int_equal(m->alloc, alloc);
	assert_int_equal(m->size, size);
	assert_false(m->unknown);
}

static void test_deadscan_select_all_sums_per_process(void **state)
{
	struct pd_deadscan *ds = ds_of(state);

	select_all(ds);
	assert_int_equal(nselected(ds), 5);
	/* app.log is shared with 200: not 100's alone */
	assert_proc_sums(ds, 100, true, 1, APPLOG_ALLOC, APPLOG_SIZE, 0, 0);
	assert_proc_sums(ds, 200, true, 3,
			 APPLOG_ALLOC + SILLY_ALLOC + LIBFOO_ALLOC,
			 APPLOG_SIZE + SILLY_SIZE + LIBFOO_SIZE,
			 2, SILLY_ALLOC + LIBFOO_ALLOC);
	assert_proc_sums(ds, 300, true, 2, SHM_ALLOC + TOOL_ALLOC,
			 SHM_SIZE + TOOL_SIZE, 2, SHM_ALLOC + TOOL_ALLOC);
}

static void test_deadscan_select_all_sums_per_mount(void **state)
{
	struct pd_deadscan *ds = ds_of(state);

	select_all(ds);
	assert_int_equal(pd_deadscan_nmounts(ds), 3);
	assert_null(pd_deadscan_mount(ds, 3));
	assert_mount_sums(ds, 8, 1, "/", "ext4", false, 3,
			  APPLOG_ALLOC + LIBFOO_ALLOC + TOOL_ALLOC,
			  APPLOG_SIZE + LIBFOO_SIZE + TOOL_SIZE);
	assert_int_equal(mount_of(ds, 8, 1)->procs, 3);
	assert_mount_sums(ds, 0, 50, "/mnt/nfs", "nfs4", false, 1,
			  SILLY_ALLOC, SILLY_SIZE);
	assert_int_equal(mount_of(ds, 0, 50)->procs, 1);
	assert_mount_sums(ds, 0, 25, "/dev/shm", "tmpfs", true, 1,
			  SHM_ALLOC, SHM_SIZE);
	assert_int_equal(mount_of(ds, 0, 25)->procs, 1);
}

static void test_deadscan_select_by_pid(void **state)
{
	static const pid_t pids[] = { 300 };
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.procs.pids = pids;
	flt.procs.npids = 1;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 2);
	assert_true(must_file(ds, SHM_PATH)->selected);
	assert_true(must_file(ds, TOOL_PATH)->selected);
	assert_false(must_file(ds, APPLOG_PATH)->selected);
	assert_proc_sums(ds, 300, true, 2, SHM_ALLOC + TOOL_ALLOC,
			 SHM_SIZE + TOOL_SIZE, 2, SHM_ALLOC + TOOL_ALLOC);
	assert_proc_sums(ds, 100, false, 0, 0, 0, 0, 0);
	assert_proc_sums(ds, 200, false, 0, 0, 0, 0, 0);
	assert_int_equal(pd_deadscan_nmounts(ds), 2);
	assert_mount_sums(ds, 8, 1, "/", "ext4", false, 1, TOOL_ALLOC,
			  TOOL_SIZE);
	assert_int_equal(mount_of(ds, 8, 1)->procs, 1);
	assert_mount_sums(ds, 0, 25, "/dev/shm", "tmpfs", true, 1, SHM_ALLOC,
			  SHM_SIZE);
}

static void test_deadscan_select_by_pid_keeps_shared_files_shared(
	void **state)
{
	static const pid_t pids[] = { 200 };
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.procs.pids = pids;
	flt.procs.npids = 1;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 3);
	/* pid 100 holds app.log too: restarting 200 alone frees the rest */
	assert_proc_sums(ds, 200, true, 3,
			 APPLOG_ALLOC + SILLY_ALLOC + LIBFOO_ALLOC,
			 APPLOG_SIZE + SILLY_SIZE + LIBFOO_SIZE,
			 2, SILLY_ALLOC + LIBFOO_ALLOC);
	assert_proc_sums(ds, 100, false, 0, 0, 0, 0, 0);
	assert_int_equal(pd_deadscan_nmounts(ds), 2);
	assert_mount_sums(ds, 8, 1, "/", "ext4", false, 2,
			  APPLOG_ALLOC + LIBFOO_ALLOC,
			  APPLOG_SIZE + LIBFOO_SIZE);
	assert_mount_sums(ds, 0, 50, "/mnt/nfs", "nfs4", false, 1,
			  SILLY_ALLOC, SILLY_SIZE);
	assert_int_equal(mount_of(ds, 0, 50)->procs, 1);
}

static void test_deadscan_select_by_uid(void **state)
{
	static const uid_t root[] = { 0 };
	static const uid_t users[] = { 4000123, 65534 };
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.procs.uids = root;
	flt.procs.nuids = 1;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 2);
	assert_proc_sums(ds, 300, true, 2, SHM_ALLOC + TOOL_ALLOC,
			 SHM_SIZE + TOOL_SIZE, 2, SHM_ALLOC + TOOL_ALLOC);
	assert_proc_sums(ds, 100, false, 0, 0, 0, 0, 0);

	flt.procs.uids = users;
	flt.procs.nuids = 2;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 3);
	assert_proc_sums(ds, 100, true, 1, APPLOG_ALLOC, APPLOG_SIZE, 0, 0);
	assert_proc_sums(ds, 200, true, 3,
			 APPLOG_ALLOC + SILLY_ALLOC + LIBFOO_ALLOC,
			 APPLOG_SIZE + SILLY_SIZE + LIBFOO_SIZE,
			 2, SILLY_ALLOC + LIBFOO_ALLOC);
	assert_proc_sums(ds, 300, false, 0, 0, 0, 0, 0);
	assert_mount_sums(ds, 8, 1, "/", "ext4", false, 2,
			  APPLOG_ALLOC + LIBFOO_ALLOC,
			  APPLOG_SIZE + LIBFOO_SIZE);
	/* every holder of these files is selected */
	assert_int_equal(mount_of(ds, 8, 1)->procs, 2);
}

static void test_deadscan_select_by_comm(void **state)
{
	static const char *const two[] = { "tool", "app" };
	static const char *const spaced[] = { "tmux: server" };
	static const char *const prefix[] = { "tmux" };
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.procs.comms = two;
	flt.procs.ncomms = 2;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 3);
	assert_true(must_file(ds, APPLOG_PATH)->selected);
	assert_true(must_file(ds, SHM_PATH)->selected);
	assert_true(must_file(ds, TOOL_PATH)->selected);
	assert_proc_sums(ds, 100, true, 1, APPLOG_ALLOC, APPLOG_SIZE, 0, 0);
	assert_proc_sums(ds, 200, false, 0, 0, 0, 0, 0);

	flt.procs.comms = spaced;
	flt.procs.ncomms = 1;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 3);
	assert_proc_sums(ds, 200, true, 3,
			 APPLOG_ALLOC + SILLY_ALLOC + LIBFOO_ALLOC,
			 APPLOG_SIZE + SILLY_SIZE + LIBFOO_SIZE,
			 2, SILLY_ALLOC + LIBFOO_ALLOC);

	/* the match is exact */
	flt.procs.comms = prefix;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 0);
	assert_int_equal(pd_deadscan_nmounts(ds), 0);
	assert_proc_sums(ds, 200, false, 0, 0, 0, 0, 0);
}

static void test_deadscan_select_by_dev(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.has_dev = true;
	flt.dev = makedev(8, 1);
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 3);
	assert_false(must_file(ds, SILLY_PATH)->selected);
	assert_false(must_file(ds, SHM_PATH)->selected);
	assert_proc_sums(ds, 100, true, 1, APPLOG_ALLOC, APPLOG_SIZE, 0, 0);
	assert_proc_sums(ds, 200, true, 2, APPLOG_ALLOC + LIBFOO_ALLOC,
			 APPLOG_SIZE + LIBFOO_SIZE, 1, LIBFOO_ALLOC);
	assert_proc_sums(ds, 300, true, 1, TOOL_ALLOC, TOOL_SIZE, 1,
			 TOOL_ALLOC);
	assert_int_equal(pd_deadscan_nmounts(ds), 1);
	assert_mount_sums(ds, 8, 1, "/", "ext4", false, 3,
			  APPLOG_ALLOC + LIBFOO_ALLOC + TOOL_ALLOC,
			  APPLOG_SIZE + LIBFOO_SIZE + TOOL_SIZE);
	assert_int_equal(mount_of(ds, 8, 1)->procs, 3);

	flt.dev = makedev(0, 25);
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 1);
	assert_true(must_file(ds, SHM_PATH)->selected);
	assert_proc_sums(ds, 100, false, 0, 0, 0, 0, 0);

	/* has_dev false: dev is not looked at */
	flt.has_dev = false;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 5);
}

static void test_deadscan_select_by_pid_and_dev(void **state)
{
	static const pid_t pids[] = { 200 };
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.procs.pids = pids;
	flt.procs.npids = 1;
	flt.has_dev = true;
	flt.dev = makedev(0, 50);
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 1);
	assert_true(must_file(ds, SILLY_PATH)->selected);
	assert_proc_sums(ds, 200, true, 1, SILLY_ALLOC, SILLY_SIZE, 1,
			 SILLY_ALLOC);
}

static void test_deadscan_select_by_min_alloc(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.min_alloc = 100000;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 3);
	assert_true(must_file(ds, APPLOG_PATH)->selected);
	assert_true(must_file(ds, LIBFOO_PATH)->selected);
	assert_true(must_file(ds, TOOL_PATH)->selected);
	assert_proc_sums(ds, 300, true, 1, TOOL_ALLOC, TOOL_SIZE, 1,
			 TOOL_ALLOC);
	assert_int_equal(pd_deadscan_nmounts(ds), 1);

	/* alloc, not size: app.log is 1 MiB long but 512 KiB on disk */
	flt.min_alloc = APPLOG_ALLOC;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 1);
	assert_true(must_file(ds, APPLOG_PATH)->selected);
	flt.min_alloc = APPLOG_ALLOC + 1;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(nselected(ds), 0);
	assert_int_equal(pd_deadscan_nmounts(ds), 0);
	assert_proc_sums(ds, 100, false, 0, 0, 0, 0, 0);
}

static void test_deadscan_select_again_starts_afresh(void **state)
{
	static const pid_t pids[] = { 300 };
	struct pd_deadscan *ds = ds_of(state);
	struct pd_deadfilter flt;

	memset(&flt, 0, sizeof(flt));
	flt.procs.pids = pids;
	flt.procs.npids = 1;
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_int_equal(pd_deadscan_select(ds, &flt), 0);
	assert_proc_sums(ds, 300, true, 2, SHM_ALLOC + TOOL_ALLOC,
			 SHM_SIZE + TOOL_SIZE, 2, SHM_ALLOC + TOOL_ALLOC);
	select_all(ds);
	assert_int_equal(nselected(ds), 5);
	assert_proc_sums(ds, 300, true, 2, SHM_ALLOC + TOOL_ALLOC,
			 SHM_SIZE + TOOL_SIZE, 2, SHM_ALLOC + TOOL_ALLOC);
	assert_proc_sums(ds, 100, true, 1, APPLOG_ALLOC, APPLOG_SIZE, 0, 0);
	assert_int_equal(pd_deadscan_nmounts(ds), 3);
	assert_int_equal(mount_of(ds, 8, 1)->files, 3);
}

static void test_deadscan_mount_dev_of_captured_tree(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	dev_t dev = makedev(99, 99);

	assert_int_equal(pd_deadscan_mount_dev(ds, "/mnt/nfs", &dev), 0);
	assert_int_equal(dev, makedev(0, 50));
	assert_int_equal(pd_deadscan_mount_dev(ds, "/mnt/nfs/sub/dir", &dev),
			 0);
	assert_int_equal(dev, makedev(0, 50));
	assert_int_equal(pd_deadscan_mount_dev(ds, "/dev/shm", &dev), 0);
	assert_int_equal(dev, makedev(0, 25));
	assert_int_equal(pd_deadscan_mount_dev(ds, "/var/log", &dev), 0);
	assert_int_equal(dev, makedev(8, 1));
	assert_int_equal(pd_deadscan_mount_dev(ds, "/mnt/nfsx", &dev), 0);
	assert_int_equal(dev, makedev(8, 1));
	dev = makedev(99, 99);
	assert_int_equal(pd_deadscan_mount_dev(ds, "var/log", &dev), -ENODEV);
	assert_int_equal(dev, makedev(99, 99));
}

static void test_deadholder_format_fds_then_words(void **state)
{
	int fds[] = { 3, 7 };
	struct pd_holder h = {
		.how = PD_HOLD_FD | PD_HOLD_MEM, .fds = fds, .nfds = 2,
	};
	char buf[64];

	(void)state;
	pd_holder_format(&h, buf, sizeof(buf));
	assert_string_equal(buf, "3,7,mem");
	h.how = PD_HOLD_FD | PD_HOLD_MEM | PD_HOLD_CWD | PD_HOLD_ROOT |
		PD_HOLD_EXE;
	pd_holder_format(&h, buf, sizeof(buf));
	assert_string_equal(buf, "3,7,mem,cwd,root,exe");
	h.nfds = 0;
	h.how = PD_HOLD_CWD;
	pd_holder_format(&h, buf, sizeof(buf));
	assert_string_equal(buf, "cwd");
	h.how = 0;
	pd_holder_format(&h, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void test_deadholder_format_cuts_at_a_comma(void **state)
{
	int fds[] = { 3, 7, 2147483647 };
	struct pd_holder h = {
		.how = PD_HOLD_FD | PD_HOLD_MEM, .fds = fds, .nfds = 2,
	};
	char buf[16];

	(void)state;
	/* "3,7,mem" needs 8 bytes */
	pd_holder_format(&h, buf, 8);
	assert_string_equal(buf, "3,7,mem");
	pd_holder_format(&h, buf, 7);
	assert_string_equal(buf, "3,7");
	pd_holder_format(&h, buf, 4);
	assert_string_equal(buf, "3,7");
	pd_holder_format(&h, buf, 3);
	assert_string_equal(buf, "3");
	pd_holder_format(&h, buf, 1);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	pd_holder_format(&h, buf, 0);
	assert_int_equal(buf[0], 'x');
	h.nfds = 3;
	pd_holder_format(&h, buf, sizeof(buf));
	assert_string_equal(buf, "3,7,2147483647");
}

static void test_deadscan_vanished_process_without_fd_dir(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_scanstats *st = pd_deadscan_stats(ds);
	const struct pd_deadfile *f;

	assert_int_equal(st->procs, 2);
	assert_int_equal(st->vanished, 1);
	assert_int_equal(st->denied, 0);
	assert_int_equal(st->failed, 0);
	/* 400's mapped /tmp/gone.so is not reported: 400 is gone */
	assert_int_equal(pd_deadscan_nfiles(ds), 1);
	assert_null(file_named(ds, "/tmp/gone.so"));
	assert_int_equal(pd_deadscan_nprocs(ds), 1);
	assert_int_equal(pd_deadscan_proc(ds, 0)->proc.pid, 401);
	f = must_file(ds, "/var/spool/job.dat");
	assert_int_equal(f->dev, makedev(8, 1));
	assert_int_equal(f->ino, 8080);
	assert_int_equal(f->alloc, 32768);
	assert_int_equal(f->size, 32768);
	assert_int_equal(f->nholders, 1);
	assert_holder(ds, f, 0, 401, "3");
	select_all(ds);
	assert_proc_sums(ds, 401, true, 1, 32768, 32768, 1, 32768);
}

static void test_deadscan_skips_files_on_internal_mounts(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_scanstats *st = pd_deadscan_stats(ds);

	/* a memfd exe (runc) and a SysV shm mapping are no deleted files */
	assert_null(file_named(ds, "/memfd:runc_cloned:/proc/self/exe"));
	assert_null(file_named(ds, "/SYSV0052e2c1"));
	assert_int_equal(pd_deadscan_nfiles(ds), 1);
	/* they were candidates, so their processes were read */
	assert_int_equal(pd_deadscan_nprocs(ds), 3);
	assert_string_equal(proc_of(ds, 500)->proc.comm, "runc:[2:INIT]");
	assert_int_equal(proc_of(ds, 501)->proc.status.uid, 26);
	assert_int_equal(st->procs, 3);
	assert_int_equal(st->vanished, 0);
	assert_int_equal(st->failed, 0);
	select_all(ds);
	assert_proc_sums(ds, 500, false, 0, 0, 0, 0, 0);
	assert_proc_sums(ds, 501, false, 0, 0, 0, 0, 0);
}

static void test_deadscan_btrfs_subvolume_file_keeps_its_mount(void **state)
{
	struct pd_deadscan *ds = ds_of(state);
	const struct pd_deadfile *f;

	/* st_dev 0:35 is in no mountinfo line; maps and mountinfo say 0:32 */
	f = must_file(ds, "/home/u/.local/opt/firefox/firefox");
	assert_int_equal(f->dev, makedev(0, 35));
	assert_int_equal(f->ino, 81234);
	assert_int_equal(f->size, 741336);
	assert_int_equal(f->alloc, 741376);
	assert_int_equal(f->mnt_id, 31);
	assert_string_equal(f->mount, "/home");
	assert_string_equal(f->fstype, "btrfs");
	assert_int_equal(f->nholders, 1);
	/* the exe link names the mapped file: one holder, both ways */
	assert_holder(ds, f, 0, 502, "mem,exe");
	select_all(ds);
	assert_int_equal(pd_deadscan_nmounts(ds), 1);
	assert_mount_sums(ds, 0, 35, "/home", "btrfs", false, 1, 741376,
			  741336);
	assert_int_equal(mount_of(ds, 0, 35)->procs, 1);
	assert_proc_sums(ds, 502, true, 1, 741376, 741336, 1, 741376);
}

/* ---- broken trees: a copy of basic, spoilt on purpose ---------------- */

struct broken {
	char dir[64];
	char root[96];
};

/* Copy the basic tree into a scratch directory. */
static void broken_new(struct broken *b)
{
	char cmd[256];

	snprintf(b->dir, sizeof(b->dir), "/tmp/pd-test-deadscan.XXXXXX");
	assert_non_null(mkdtemp(b->dir));
	snprintf(b->root, sizeof(b->root), "%s/proc", b->dir);
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", BASIC, b->root);
	assert_int_equal(system(cmd), 0);
}

static void broken_free(struct broken *b)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b->dir);
	assert_int_equal(system(cmd), 0);
}

/* Replace the file REL of the tree with TEXT. */
static void broken_write(struct broken *b, const char *rel, const char *text)
{
	char path[256], cmd[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", b->root, rel);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void test_deadscan_counts_a_process_once_whatever_fails_in_it(
	void **state)
{
	struct pd_deadscan_opts opts = { .timeout_ms = 1000 };
	const struct pd_scanstats *st;
	struct pd_deadscan *ds = NULL;
	struct pd_procfs *pfs = NULL;
	struct broken b;
	char big[5000];

	(void)state;
	broken_new(&b);
	/* 300's fd/ cannot be listed (ENOTDIR), and its stat is past the
	 * 4 KiB a stat line can have (EFBIG): two failures, one process */
	broken_write(&b, "300/fd", "not a directory\n");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	broken_write(&b, "300/stat", big);
	assert_int_equal(pd_procfs_new(b.root, &pfs), 0);
	assert_int_equal(pd_deadscan_new(pfs, &opts, &ds), 0);
	assert_int_equal(pd_deadscan_run(ds), 0);
	st = pd_deadscan_stats(ds);
	assert_int_equal(st->procs, 5);
	assert_int_equal(st->failed, 1);
	assert_int_equal(st->first_error, ENOTDIR);
	assert_int_equal(st->denied, 0);
	assert_int_equal(st->vanished, 0);
	/* the others are whole: 100's and 200's files */
	assert_non_null(file_named(ds, APPLOG_PATH));
	assert_null(file_named(ds, TOOL_PATH));
	pd_deadscan_free(ds);
	pd_procfs_free(pfs);
	broken_free(&b);
}

static void test_deadscan_stops_at_a_tree_file_that_is_not_regular(
	void **state)
{
	struct pd_deadscan_opts opts = { .timeout_ms = 1000 };
	struct pd_deadscan *ds = NULL;
	struct pd_procfs *pfs = NULL;
	struct broken b;
	char path[256];

	(void)state;
	broken_new(&b);
	snprintf(path, sizeof(path), "%s/100/status", b.root);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(pd_procfs_new(b.root, &pfs), 0);
	assert_int_equal(pd_deadscan_new(pfs, &opts, &ds), 0);
	/* a FIFO would block the open: the scan ends, the file named */
	assert_int_equal(pd_deadscan_run(ds), -PD_ENOTREG);
	assert_string_equal(pd_procfs_bad_file(pfs), path);
	assert_int_equal(pd_deadscan_stats(ds)->failed, 0);
	pd_deadscan_free(ds);
	pd_procfs_free(pfs);
	broken_free(&b);
}

static void test_deadscan_stops_when_out_of_descriptors(void **state)
{
	struct pd_deadscan_opts opts = { .timeout_ms = 1000 };
	struct pd_deadscan *ds = NULL;
	struct pd_procfs *pfs = NULL;
	struct rlimit old, low;
	int fd, r;

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_deadscan_new(pfs, &opts, &ds), 0);
	/* room for a pid directory, none for what is in it */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)fd + 1;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	r = pd_deadscan_run(ds);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	/* the tool's own failure, never a process it could not read */
	assert_int_equal(r, -EMFILE);
	assert_int_equal(pd_deadscan_stats(ds)->failed, 0);
	assert_int_equal(pd_deadscan_stats(ds)->procs, 1);
	pd_deadscan_free(ds);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest basic[] = {
		cmocka_unit_test(test_deadscan_finds_exactly_the_deleted_files),
		cmocka_unit_test(test_deadscan_skips_memfd_and_live_deleted_names),
		cmocka_unit_test(test_deadscan_file_held_by_two_processes_is_one_row),
		cmocka_unit_test(test_deadscan_mapped_only_library_is_found_once),
		cmocka_unit_test(test_deadscan_deleted_exe_is_held_as_mem_and_exe),
		cmocka_unit_test(test_deadscan_nfs_silly_file_counts_as_deleted),
		cmocka_unit_test(test_deadscan_tmpfs_file_is_ram),
		cmocka_unit_test(test_deadscan_lists_only_processes_with_candidates),
		cmocka_unit_test(test_deadscan_process_identity),
		cmocka_unit_test(test_deadscan_select_all_sums_per_process),
		cmocka_unit_test(test_deadscan_select_all_sums_per_mount),
		cmocka_unit_test(test_deadscan_select_by_pid),
		cmocka_unit_test(test_deadscan_select_by_pid_keeps_shared_files_shared),
		cmocka_unit_test(test_deadscan_select_by_uid),
		cmocka_unit_test(test_deadscan_select_by_comm),
		cmocka_unit_test(test_deadscan_select_by_dev),
		cmocka_unit_test(test_deadscan_select_by_pid_and_dev),
		cmocka_unit_test(test_deadscan_select_by_min_alloc),
		cmocka_unit_test(test_deadscan_select_again_starts_afresh),
		cmocka_unit_test(test_deadscan_mount_dev_of_captured_tree),
		cmocka_unit_test(test_deadholder_format_fds_then_words),
		cmocka_unit_test(test_deadholder_format_cuts_at_a_comma),
	};
	const struct CMUnitTest nofd[] = {
		cmocka_unit_test(test_deadscan_vanished_process_without_fd_dir),
	};
	const struct CMUnitTest odddev[] = {
		cmocka_unit_test(test_deadscan_skips_files_on_internal_mounts),
		cmocka_unit_test(test_deadscan_btrfs_subvolume_file_keeps_its_mount),
	};
	const struct CMUnitTest broken[] = {
		cmocka_unit_test(test_deadscan_counts_a_process_once_whatever_fails_in_it),
		cmocka_unit_test(test_deadscan_stops_at_a_tree_file_that_is_not_regular),
		cmocka_unit_test(test_deadscan_stops_when_out_of_descriptors),
	};
	int failed;

	failed = cmocka_run_group_tests_name("broken", broken, NULL, NULL);
	failed += cmocka_run_group_tests_name("basic", basic, setup_basic,
					     teardown_scan);
	failed += cmocka_run_group_tests_name("nofd", nofd, setup_nofd,
					      teardown_scan);
	failed += cmocka_run_group_tests_name("odddev", odddev, setup_odddev,
					      teardown_scan);
	return failed;
}
