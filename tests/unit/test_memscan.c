/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/memscan on the captured tree tests/fixtures/memfind
 * (made by make-memfind.sh, whose comments are the oracle). */
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
#include <sys/sysmacros.h>
#include <unistd.h>

#include "memscan.h"

#define MEMFIND PD_FIXTURES_DIR "/memfind/proc"
#define BASIC PD_FIXTURES_DIR "/basic/proc"
#define KIB 1024u
#define MIB (1024u * 1024u)

struct scan {
	struct pd_procfs *pfs;
	struct pd_memscan *ms;
};

static int setup_root(void **state, const char *root)
{
	struct scan *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	*state = s;
	if (pd_procfs_new(root, &s->pfs) < 0)
		return -1;
	if (pd_memscan_new(s->pfs, NULL, &s->ms) < 0)
		return -1;
	return pd_memscan_run(s->ms) < 0 ? -1 : 0;
}

static int setup(void **state)
{
	return setup_root(state, MEMFIND);
}

static int setup_basic(void **state)
{
	return setup_root(state, BASIC);
}

static int teardown(void **state)
{
	struct scan *s = *state;

	if (s) {
		pd_memscan_free(s->ms);
		pd_procfs_free(s->pfs);
		free(s);
	}
	return 0;
}

/* The object whose path is PATH (and kind KIND); fails the test if none
 * or two. */
static const struct pd_memobj *obj(const struct scan *s, enum pd_memkind kind,
				   const char *path)
{
	const struct pd_memobj *found = NULL;
	size_t i;

	for (i = 0; i < pd_memscan_nobjs(s->ms); i++) {
		const struct pd_memobj *o = pd_memscan_obj(s->ms, i);

		if (o->kind == kind && !strcmp(o->path, path)) {
			assert_null(found);
			found = o;
		}
	}
	assert_non_null(found);
	return found;
}

static pid_t holder_pid(const struct scan *s, const struct pd_memobj *o,
			size_t i)
{
	return pd_memscan_proc(s->ms, o->holders[i].proc)->proc.pid;
}

static size_t count_kind(const struct scan *s, enum pd_memkind kind)
{
	size_t i, n = 0;

	for (i = 0; i < pd_memscan_nobjs(s->ms); i++)
		n += pd_memscan_obj(s->ms, i)->kind == kind;
	return n;
}

static void test_memscan_finds_every_object_once(void **state)
{
	struct scan *s = *state;

	/* 3 memfd, 1 hugetlb, secretmem, 4 SysV, 2 posix, 3 tmpfs, 1
	 * deleted, 2 shared anon, dma-buf; not the ext4 "/memfd:fake" */
	assert_int_equal(pd_memscan_nobjs(s->ms), 18);
	assert_int_equal(count_kind(s, PD_MEM_MEMFD), 3);
	assert_int_equal(count_kind(s, PD_MEM_HUGETLB), 1);
	assert_int_equal(count_kind(s, PD_MEM_SECRETMEM), 1);
	assert_int_equal(count_kind(s, PD_MEM_SYSV), 4);
	assert_int_equal(count_kind(s, PD_MEM_POSIX), 2);
	assert_int_equal(count_kind(s, PD_MEM_TMPFS), 3);
	assert_int_equal(count_kind(s, PD_MEM_DELETED_TMPFS), 1);
	assert_int_equal(count_kind(s, PD_MEM_SHARED_ANON), 2);
	assert_int_equal(count_kind(s, PD_MEM_DMABUF), 1);
	assert_int_equal(pd_memscan_stats(s->ms)->procs, 5);
	assert_int_equal(pd_memscan_stats(s->ms)->denied, 0);
}

static void test_memscan_memfd_shared_by_two_is_one_row(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *o = obj(s, PD_MEM_MEMFD, "/memfd:cache");

	assert_int_equal(o->dev, makedev(0, 1));
	assert_int_equal(o->ino, 1001);
	assert_int_equal(o->size, 8 * MIB);
	assert_int_equal(o->alloc, 3 * MIB);	/* 6144 blocks */
	assert_int_equal(o->nholders, 2);
	assert_int_equal(holder_pid(s, o, 0), 600);
	assert_int_equal(holder_pid(s, o, 1), 601);
	assert_int_equal(o->holders[0].how, PD_HOLD_FD | PD_HOLD_MEM);
	assert_int_equal(o->holders[0].nfds, 1);
	assert_int_equal(o->holders[0].fds[0], 3);
	assert_true(o->has_seals);
	assert_int_equal(o->seals, 15);
	assert_true(o->mapped);
	assert_int_equal(o->rss, 3072 * KIB);
	assert_int_equal(o->pss, 2 * 1536 * KIB);
	assert_int_equal(o->flags, 0);
}

static void test_memscan_regular_file_named_memfd_is_not_one(void **state)
{
	struct scan *s = *state;
	size_t i;

	for (i = 0; i < pd_memscan_nobjs(s->ms); i++)
		assert_string_not_equal(pd_memscan_obj(s->ms, i)->path,
					"/memfd:fake");
}

static void test_memscan_fifo_on_tmpfs_is_not_an_object(void **state)
{
	struct scan *s = *state;
	size_t i;

	for (i = 0; i < pd_memscan_nobjs(s->ms); i++)
		assert_string_not_equal(pd_memscan_obj(s->ms, i)->path,
					"/run/app.fifo");
}

static void test_memscan_fileless_process_and_exec_memfd(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *o = obj(s, PD_MEM_MEMFD, "/memfd:payload");

	assert_int_equal(o->flags, PD_MEMF_EXEC | PD_MEMF_FILELESS);
	assert_int_equal(o->nholders, 1);
	assert_int_equal(holder_pid(s, o, 0), 601);
	assert_int_equal(o->holders[0].how, PD_HOLD_MEM | PD_HOLD_EXE);
	assert_int_equal(o->size, 2 * MIB);
	assert_false(o->has_seals);
	assert_true(pd_memscan_proc(s->ms, o->holders[0].proc)->fileless);
}

static void test_memscan_many_fds_is_a_leak_sign(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *o = obj(s, PD_MEM_MEMFD, "/memfd:leak");

	assert_int_equal(o->flags, PD_MEMF_MANY_FDS);
	assert_int_equal(o->nholders, 1);
	assert_int_equal(o->holders[0].nfds, 8);
	assert_int_equal(o->holders[0].fds[0], 8);
	assert_int_equal(o->holders[0].fds[7], 15);
	assert_true(o->has_seals);
	assert_int_equal(o->seals, 0);
}

static void test_memscan_hugetlb_memfd_by_block_size(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *o = obj(s, PD_MEM_HUGETLB, "/memfd:huge");

	assert_int_equal(o->alloc, 4 * MIB);
	assert_int_equal(o->seals, 1);
}

static void test_memscan_sysv_from_sysvipc_joined_with_maps(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *o = obj(s, PD_MEM_SYSV, "/SYSV0052e2c1");

	assert_true(o->has_sysv);
	assert_int_equal(o->ino, 32769);
	assert_int_equal(o->dev, makedev(0, 1));
	assert_int_equal(o->size, 4 * MIB);
	assert_int_equal(o->rss, 2 * MIB);	/* the kernel's count */
	assert_int_equal(o->pss, 2 * 1024 * KIB);
	assert_int_equal(o->nholders, 2);
	assert_int_equal(holder_pid(s, o, 0), 600);
	assert_int_equal(holder_pid(s, o, 1), 602);
	assert_int_equal(o->flags, 0);
}

static void test_memscan_sysv_orphan_dest_locked_and_other_namespace(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *orphan = obj(s, PD_MEM_SYSV, "/SYSV00001234");
	size_t i, zero = 0;

	assert_int_equal(orphan->ino, 5);
	assert_int_equal(orphan->flags, PD_MEMF_ORPHAN);
	assert_int_equal(orphan->nholders, 0);
	for (i = 0; i < pd_memscan_nobjs(s->ms); i++) {
		const struct pd_memobj *o = pd_memscan_obj(s->ms, i);

		if (strcmp(o->path, "/SYSV00000000"))
			continue;
		zero++;
		if (o->has_sysv) {
			assert_int_equal(o->ino, 6);
			assert_int_equal(o->flags, PD_MEMF_DEST | PD_MEMF_LOCKED);
		} else {
			/* pid 603's segment 5 is its namespace's, not ours */
			assert_int_equal(o->ino, 5);
			assert_int_equal(o->ipc_ns, 4026532999ull);
			assert_int_equal(o->alloc, 64 * KIB);
			assert_int_equal(holder_pid(s, o, 0), 603);
		}
	}
	assert_int_equal(zero, 2);
	assert_int_equal(pd_memscan_gaps(s->ms)->other_ipc_ns, 1);
}

static void test_memscan_posix_held_orphan_and_deleted(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *app = obj(s, PD_MEM_POSIX, "/dev/shm/app.shm");
	const struct pd_memobj *orphan = obj(s, PD_MEM_POSIX,
					     "/dev/shm/orphan.shm");
	const struct pd_memobj *del = obj(s, PD_MEM_DELETED_TMPFS,
					  "/dev/shm/#7");

	assert_int_equal(app->holders[0].how, PD_HOLD_FD | PD_HOLD_MEM);
	assert_int_equal(app->alloc, 1 * MIB);
	assert_string_equal(app->mount, "/dev/shm");
	assert_int_equal(app->flags, 0);
	assert_int_equal(orphan->flags, PD_MEMF_ORPHAN);
	assert_int_equal(orphan->alloc, 64 * KIB);
	assert_int_equal(del->alloc, 16 * KIB);
	assert_int_equal(holder_pid(s, del, 0), 603);
}

/* Pid 602's shared anonymous mapping has the inode number of SysV segment
 * 32769 on the same device: two objects, each with its own holders. */
static void test_memscan_sysv_shmid_equal_to_a_shm_inode_is_apart(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *sysv = obj(s, PD_MEM_SYSV, "/SYSV0052e2c1");
	size_t i, n = 0;

	assert_int_equal(sysv->nholders, 2);
	for (i = 0; i < pd_memscan_nobjs(s->ms); i++) {
		const struct pd_memobj *o = pd_memscan_obj(s->ms, i);

		if (o->kind != PD_MEM_SHARED_ANON || o->ino != 32769)
			continue;
		n++;
		assert_int_equal(o->dev, makedev(0, 1));
		assert_int_equal(o->nholders, 1);
		assert_int_equal(holder_pid(s, o, 0), 602);
		assert_int_equal(o->alloc, 128 * KIB);
		assert_int_equal(o->pss, 128 * KIB);
	}
	assert_int_equal(n, 1);
}

static void test_memscan_shared_anon_secretmem_dmabuf(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *anon = NULL;
	size_t i;

	for (i = 0; i < pd_memscan_nobjs(s->ms); i++)
		if (pd_memscan_obj(s->ms, i)->kind == PD_MEM_SHARED_ANON &&
		    pd_memscan_obj(s->ms, i)->ino == 2002)
			anon = pd_memscan_obj(s->ms, i);
	assert_non_null(anon);
	const struct pd_memobj *sec = obj(s, PD_MEM_SECRETMEM, "/secretmem");
	const struct pd_memobj *dma = obj(s, PD_MEM_DMABUF, "/dmabuf:");

	assert_string_equal(anon->path, "/dev/zero");
	assert_int_equal(anon->size, 1 * MIB);
	assert_int_equal(anon->alloc, 256 * KIB);
	assert_int_equal(anon->rss, 256 * KIB);
	assert_false(sec->has_alloc);
	assert_int_equal(sec->rss, 64 * KIB);
	assert_int_equal(sec->holders[0].how, PD_HOLD_FD | PD_HOLD_MEM);
	assert_int_equal(dma->size, 4 * MIB);
	assert_string_equal(dma->exporter, "system");
}

static void test_memscan_summary_matches_the_fixture_arithmetic(void **state)
{
	struct scan *s = *state;
	struct pd_memsummary sum;

	pd_memscan_summary(s->ms, &sum);
	assert_true(sum.has_shmem);
	assert_int_equal(sum.shmem, 12284 * KIB);
	/* /dev/shm 1130496 + /run 2121728; /dev has no count and no file */
	assert_int_equal(sum.tmpfs, 3252224);
	assert_int_equal(sum.tmpfs_sbs, 3);
	assert_int_equal(sum.tmpfs_unknown, 1);
	assert_int_equal(sum.deleted_tmpfs, 16 * KIB);
	/* cache 3M + leak 4K + payload 2M */
	assert_int_equal(sum.memfd, 3 * MIB + 4 * KIB + 2 * MIB);
	/* 2M + 64K + 1M of ours, and pid 603's 64K */
	assert_int_equal(sum.sysv_rss, 2 * MIB + 64 * KIB + 1 * MIB + 64 * KIB);
	/* pid 600's 256K and pid 602's 128K */
	assert_int_equal(sum.shared_anon, 384 * KIB);
	assert_int_equal(sum.explained, 12169216);
	assert_int_equal(sum.remainder, 400 * KIB);
	assert_int_equal(sum.hugetlb, 4 * MIB);
	assert_int_equal(sum.secretmem, 64 * KIB);
	assert_int_equal(sum.dmabuf, 4 * MIB);
}

static void test_memscan_select_by_kind_pid_and_orphans(void **state)
{
	struct scan *s = *state;
	struct pd_memfilter f = { 0 };
	const pid_t p602 = 602;
	size_t i, n;

	f.kinds = 1u << PD_MEM_SYSV;
	f.kinds_given = true;
	assert_int_equal(pd_memscan_select(s->ms, &f), 0);
	for (n = 0, i = 0; i < pd_memscan_nobjs(s->ms); i++)
		n += pd_memscan_obj(s->ms, i)->selected;
	assert_int_equal(n, 4);

	memset(&f, 0, sizeof(f));
	f.procs.pids = &p602;
	f.procs.npids = 1;
	assert_int_equal(pd_memscan_select(s->ms, &f), 0);
	for (n = 0, i = 0; i < pd_memscan_nobjs(s->ms); i++)
		n += pd_memscan_obj(s->ms, i)->selected;
	assert_int_equal(n, 2);		/* the segment, its shared anon */
	assert_true(obj(s, PD_MEM_SYSV, "/SYSV0052e2c1")->selected);

	memset(&f, 0, sizeof(f));
	f.orphans = true;
	assert_int_equal(pd_memscan_select(s->ms, &f), 0);
	for (n = 0, i = 0; i < pd_memscan_nobjs(s->ms); i++)
		n += pd_memscan_obj(s->ms, i)->selected;
	assert_int_equal(n, 2);
}

static void test_memscan_small_tmpfs_files_only_when_asked(void **state)
{
	struct scan *s = *state;
	struct pd_memfilter f = { 0 };

	assert_int_equal(pd_memscan_select(s->ms, &f), 0);
	assert_true(obj(s, PD_MEM_TMPFS, "/run/log/big.log")->selected);
	assert_false(obj(s, PD_MEM_TMPFS, "/run/app.pid")->selected);
	assert_false(obj(s, PD_MEM_TMPFS, "/run/odd\tname")->selected);
	f.kinds = 1u << PD_MEM_TMPFS;
	f.kinds_given = true;
	assert_int_equal(pd_memscan_select(s->ms, &f), 0);
	assert_true(obj(s, PD_MEM_TMPFS, "/run/app.pid")->selected);
	memset(&f, 0, sizeof(f));
	f.has_min = true;
	f.min_size = 0;
	assert_int_equal(pd_memscan_select(s->ms, &f), 0);
	assert_true(obj(s, PD_MEM_TMPFS, "/run/odd\tname")->selected);
}

static void test_memscan_by_process_sums(void **state)
{
	struct scan *s = *state;
	struct pd_memfilter f = { 0 };
	size_t i;

	assert_int_equal(pd_memscan_select(s->ms, &f), 0);
	for (i = 0; i < pd_memscan_nprocs(s->ms); i++) {
		const struct pd_memproc *p = pd_memscan_proc(s->ms, i);

		if (p->proc.pid != 600)
			continue;
		/* cache, app.shm, dma-buf, secretmem, leak, huge, anon, SysV */
		assert_int_equal(p->objects, 8);
		assert_int_equal(p->fds, 1 + 1 + 1 + 1 + 8 + 1);
		/* 1536 + 256 + 1024 + 64 + 1024 kB */
		assert_int_equal(p->pss, 3904 * KIB);
		assert_string_equal(p->proc.comm, "app");
		return;
	}
	fail();
}

static void test_memscan_basic_tree_sees_its_memfd(void **state)
{
	struct scan *s = *state;
	const struct pd_memobj *o = obj(s, PD_MEM_MEMFD, "/memfd:blob");

	/* fd 4 and its mapping; the /dev/shm deleted file is deleted-tmpfs */
	assert_int_equal(o->alloc, 8192);
	assert_int_equal(o->holders[0].how, PD_HOLD_FD | PD_HOLD_MEM);
	assert_int_equal(obj(s, PD_MEM_DELETED_TMPFS,
			     "/dev/shm/cache.bin")->alloc, 65536);
}

static void test_memkind_names_round_trip(void **state)
{
	enum pd_memkind k;
	unsigned i;

	(void)state;
	for (i = 0; i < PD_MEM_NKINDS; i++) {
		assert_int_equal(pd_memkind_parse(pd_memkind_name(i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_int_equal(pd_memkind_parse("shm", &k), -EINVAL);
}

static void test_memseals_and_flags_format(void **state)
{
	char buf[128];

	(void)state;
	pd_memseals_format(15, buf, sizeof(buf));
	assert_string_equal(buf, "seal,shrink,grow,write");
	pd_memseals_format(0x30, buf, sizeof(buf));
	assert_string_equal(buf, "future-write,exec");
	pd_memseals_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	pd_memflags_format(PD_MEMF_EXEC | PD_MEMF_FILELESS, buf, sizeof(buf));
	assert_string_equal(buf, "exec,fileless");
	pd_memflags_format(PD_MEMF_DEST | PD_MEMF_LOCKED, buf, 8);
	assert_string_equal(buf, "dest");
	pd_memflags_format(PD_MEMF_ORPHAN | PD_MEMF_COVERED, buf, sizeof(buf));
	assert_string_equal(buf, "orphan,covered");
}

/* A copy of the memfind tree in a scratch directory, spoilt on purpose. */
static void broken_new(char *dir, size_t n, char *root, size_t rn)
{
	char cmd[256];

	snprintf(dir, n, "/tmp/pd-test-memscan.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(root, rn, "%s/proc", dir);
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", MEMFIND, root);
	assert_int_equal(system(cmd), 0);
}

static void broken_write(const char *root, const char *rel, const char *text)
{
	char path[256], cmd[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void remove_dir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_memscan_counts_a_process_once_whatever_fails_in_it(
	void **state)
{
	char dir[64], root[96], big[5000];
	struct pd_procfs *pfs = NULL;
	struct pd_memscan *ms = NULL;
	const struct pd_scanstats *st;

	(void)state;
	broken_new(dir, sizeof(dir), root, sizeof(root));
	/* 600's fd/ cannot be listed (ENOTDIR), its maps still name
	 * objects, and its stat is too long to read (EFBIG) */
	broken_write(root, "600/fd", "not a directory\n");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	broken_write(root, "600/stat", big);
	assert_int_equal(pd_procfs_new(root, &pfs), 0);
	assert_int_equal(pd_memscan_new(pfs, NULL, &ms), 0);
	assert_int_equal(pd_memscan_run(ms), 0);
	st = pd_memscan_stats(ms);
	assert_int_equal(st->procs, 5);
	assert_int_equal(st->failed, 1);
	assert_int_equal(st->first_error, ENOTDIR);
	assert_int_equal(st->denied, 0);
	assert_int_equal(st->vanished, 0);
	pd_memscan_free(ms);
	pd_procfs_free(pfs);
	remove_dir(dir);
}

static void test_memscan_stops_when_out_of_descriptors(void **state)
{
	struct pd_procfs *pfs = NULL;
	struct pd_memscan *ms = NULL;
	struct rlimit old, low;
	int fd, r;

	(void)state;
	assert_int_equal(pd_procfs_new(MEMFIND, &pfs), 0);
	assert_int_equal(pd_memscan_new(pfs, NULL, &ms), 0);
	/* room for one more descriptor: a pid directory or sysvipc/shm,
	 * never both */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)fd + 1;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	r = pd_memscan_run(ms);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(r, -EMFILE);
	assert_int_equal(pd_memscan_stats(ms)->failed, 0);
	pd_memscan_free(ms);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_memscan_finds_every_object_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_memfd_shared_by_two_is_one_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_regular_file_named_memfd_is_not_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_fifo_on_tmpfs_is_not_an_object, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_fileless_process_and_exec_memfd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_many_fds_is_a_leak_sign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_hugetlb_memfd_by_block_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_sysv_from_sysvipc_joined_with_maps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_sysv_orphan_dest_locked_and_other_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_posix_held_orphan_and_deleted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_sysv_shmid_equal_to_a_shm_inode_is_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_shared_anon_secretmem_dmabuf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_summary_matches_the_fixture_arithmetic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_select_by_kind_pid_and_orphans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_small_tmpfs_files_only_when_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_by_process_sums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memscan_basic_tree_sees_its_memfd, setup_basic, teardown),
		cmocka_unit_test(test_memkind_names_round_trip),
		cmocka_unit_test(test_memseals_and_flags_format),
		cmocka_unit_test(test_memscan_counts_a_process_once_whatever_fails_in_it),
		cmocka_unit_test(test_memscan_stops_when_out_of_descriptors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
