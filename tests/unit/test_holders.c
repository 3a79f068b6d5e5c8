/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/holders: the one walk, on the captured trees of
 * tests/fixtures, and its holder list and object index. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "holders.h"
#include "proc.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"

/* A kind that takes every deleted path fd and counts what it is shown:
 * the oracle is the fd/ links of tests/fixtures/basic (make-basic.sh). */
struct tally {
	char seen[16][80];	/* "pid rel text" of each taken handle */
	size_t nseen;
	pid_t procs[8];		/* proc_new calls, in order */
	size_t nprocs;
	unsigned resolved;
	unsigned done;
};

static int take_deleted(void *arg, struct pd_holders_pid *p,
			const struct pd_link *l, struct pd_handle *h)
{
	(void)arg;
	(void)p;
	return l->kind == PD_LINK_PATH && l->deleted && !h->toolong ? 0 : 1;
}

static int take_nothing(void *arg, struct pd_holders_pid *p,
			const struct pd_map *m, bool deleted,
			struct pd_handle *h)
{
	(void)arg;
	(void)p;
	(void)m;
	(void)deleted;
	(void)h;
	return 1;
}

static int note_proc(void *arg, struct pd_holders_pid *hp, struct pd_proc *p)
{
	struct tally *t = arg;

	assert_int_equal(p->pid, hp->pid);
	hp->proc = t->nprocs;
	t->procs[t->nprocs++] = hp->pid;
	return 0;
}

static int note_handle(void *arg, struct pd_holders_pid *p,
		       struct pd_handle *h)
{
	struct tally *t = arg;

	snprintf(t->seen[t->nseen++], sizeof(t->seen[0]), "%d %s %.*s",
		 (int)p->pid, h->rel, (int)h->path_len, h->text);
	t->resolved++;
	return 0;
}

static int note_done(void *arg, struct pd_holders_pid *p,
		     struct pd_handle *hv, size_t n)
{
	struct tally *t = arg;

	(void)p;
	(void)hv;
	t->done += (unsigned)n;
	return 0;
}

static const struct pd_holders_ops tally_ops = {
	.classify_fd = take_deleted,
	.classify_map = take_nothing,
	.proc_new = note_proc,
	.resolve = note_handle,
	.proc_done = note_done,
	.identity = PD_PROC_STAT,
	.every_ns = true,
};

static int cmp_seen(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_holders_run_shows_each_taken_fd_once_in_pid_order(
	void **state)
{
	struct pd_procfs *pfs;
	struct pd_holders *hs;
	struct tally t = { 0 };

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_holders_new(pfs, 0, &hs), 0);
	assert_int_equal(pd_holders_run(hs, &tally_ops, &t), 0);

	/* pid 1 and kthread 2 hold nothing deleted: no record */
	assert_int_equal(t.nprocs, 3);
	assert_int_equal(t.procs[0], 100);
	assert_int_equal(t.procs[1], 200);
	assert_int_equal(t.procs[2], 300);
	assert_int_equal(t.nseen, 6);
	/* fd/ comes in directory order: sort for the comparison */
	qsort(t.seen, t.nseen, sizeof(t.seen[0]), cmp_seen);
	assert_string_equal(t.seen[0], "100 fd/3 /var/log/app.log");
	assert_string_equal(t.seen[1], "100 fd/7 /var/log/app.log");
	assert_string_equal(t.seen[2], "100 fd/8 /srv/x");
	assert_string_equal(t.seen[3], "200 fd/5 /var/log/app.log");
	assert_string_equal(t.seen[4], "300 fd/4 /memfd:blob");
	assert_string_equal(t.seen[5], "300 fd/6 /dev/shm/cache.bin");
	assert_int_equal(t.done, 6);
	assert_int_equal(pd_holders_stats(hs)->procs, 5);
	pd_holders_free(hs);
	pd_procfs_free(pfs);
}

static void test_holders_one_table_per_namespace_and_root(void **state)
{
	const struct pd_holders_ns *a, *b;
	struct pd_procfs *pfs;
	struct pd_holders *hs;
	struct tally t = { 0 };

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_holders_new(pfs, 0, &hs), 0);
	assert_int_equal(pd_holders_run(hs, &tally_ops, &t), 0);

	/* pid 300 is in a namespace of its own; the others share one */
	assert_int_equal(pd_holders_nns(hs), 2);
	a = pd_holders_ns(hs, 0);
	b = pd_holders_ns(hs, 1);
	assert_string_equal(a->ns, "mnt:[4026531840]");
	assert_string_equal(a->root, "/");
	assert_int_equal(a->npids, 4);
	assert_int_equal(a->pids[0], 1);
	assert_int_equal(a->pids[1], 2);
	assert_int_equal(a->pids[2], 100);
	assert_int_equal(a->pids[3], 200);
	assert_string_equal(b->ns, "mnt:[4026532615]");
	assert_int_equal(b->npids, 1);
	assert_int_equal(b->pids[0], 300);
	assert_non_null(a->tab);
	/* the same mountinfo text: one parsed table for both */
	assert_ptr_equal(a->tab, b->tab);
	assert_null(pd_holders_ns(hs, 2));
	pd_holders_free(hs);
	pd_procfs_free(pfs);
}

static void test_holders_find_mount_by_id_and_device(void **state)
{
	struct pd_procfs *pfs;
	struct pd_holders *hs;
	struct pd_mount m;
	const struct pd_mnttab *init;

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_holders_new(pfs, 0, &hs), 0);
	init = pd_holders_init_tab(hs);
	assert_non_null(init);
	/* no table of its own: pid 1's answers */
	assert_int_equal(pd_mnttab_find_path(init, "/var/log/app.log", &m), 0);
	assert_int_equal(pd_holders_find_mount(hs, NULL, true, m.id, 0, &m), 0);
	assert_int_equal(pd_holders_find_mount(hs, NULL, false, 0, m.dev, &m),
			 0);
	assert_int_equal(pd_holders_find_mount(hs, NULL, true, 999999, 0, &m),
			 -ENOENT);
	assert_int_equal(pd_holders_find_mount(hs, NULL, false, 0,
					       makedev(0, 1), &m), -ENOENT);
	pd_holders_free(hs);
	pd_procfs_free(pfs);
}

static void test_holder_add_keeps_one_entry_per_process_fds_ascending(
	void **state)
{
	struct pd_holder *v = NULL;
	size_t n = 0, idx;
	char buf[64];

	(void)state;
	assert_int_equal(pd_holder_add(&v, &n, 4, PD_HOLD_FD, 7, &idx), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(pd_holder_add(&v, &n, 9, PD_HOLD_MEM, -1, &idx), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(pd_holder_add(&v, &n, 4, PD_HOLD_FD, 3, &idx), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(pd_holder_add(&v, &n, 4, PD_HOLD_CWD, -1, NULL), 0);
	assert_int_equal(pd_holder_add(&v, &n, 4, PD_HOLD_MEM, -1, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].nfds, 2);
	assert_int_equal(v[0].fds[0], 3);
	assert_int_equal(v[0].fds[1], 7);
	pd_holder_format(&v[0], buf, sizeof(buf));
	assert_string_equal(buf, "3,7,mem,cwd");
	pd_holder_format(&v[1], buf, sizeof(buf));
	assert_string_equal(buf, "mem");
	/* cut at a comma when it does not fit */
	pd_holder_format(&v[0], buf, 6);
	assert_string_equal(buf, "3,7");
	pd_holders_free_list(v, n);
}

static bool is_odd(void *arg, size_t idx)
{
	(void)arg;
	return idx % 2 == 1;
}

static void test_objidx_keys_by_every_part_and_asks_match(void **state)
{
	struct pd_objidx *ix;
	struct pd_objkey k = { .dev = makedev(0, 5), .ino = 42 };
	struct pd_objkey other = k;
	size_t i;

	(void)state;
	assert_int_equal(pd_objidx_new(&ix), 0);
	assert_false(pd_objidx_find(ix, &k, NULL, NULL, &i));
	/* enough to grow the table a few times */
	for (i = 0; i < 200; i++) {
		struct pd_objkey f = { .dev = makedev(8, 1), .ino = 1000 + i };

		assert_int_equal(pd_objidx_add(ix, &f, i + 10), 0);
	}
	assert_int_equal(pd_objidx_add(ix, &k, 2), 0);
	assert_int_equal(pd_objidx_add(ix, &k, 3), 0);
	assert_true(pd_objidx_find(ix, &k, is_odd, NULL, &i));
	assert_int_equal(i, 3);
	other.tag = 1;
	assert_false(pd_objidx_find(ix, &other, NULL, NULL, &i));
	other = k;
	other.ns = 7;
	assert_false(pd_objidx_find(ix, &other, NULL, NULL, &i));
	other = (struct pd_objkey){ .dev = makedev(8, 1), .ino = 1199 };
	assert_true(pd_objidx_find(ix, &other, NULL, NULL, &i));
	assert_int_equal(i, 209);
	pd_objidx_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holders_run_shows_each_taken_fd_once_in_pid_order),
		cmocka_unit_test(test_holders_one_table_per_namespace_and_root),
		cmocka_unit_test(test_holders_find_mount_by_id_and_device),
		cmocka_unit_test(test_holder_add_keeps_one_entry_per_process_fds_ascending),
		cmocka_unit_test(test_objidx_keys_by_every_part_and_asks_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
