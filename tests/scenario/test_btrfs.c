/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of lib/btrfs on loop btrfs file systems: a snapshot whose
 * source was then deleted, reflinked copies, compressed files, RAID1 over
 * two loop devices. Each cause is sized on its own against btrfs-progs
 * (btrfs filesystem usage -b, btrfs filesystem du --raw, btrfs qgroup show
 * --raw) or compsize -b, and the causes add up to df -B1's used less
 * du -sxB1 of the mount exactly. Root only; a private mount namespace. */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btrfs.h"
#include "fsimg.h"

#define MiB (1024ull * 1024)

static bool no_btrfs;

static int setup(void **state)
{
	if (no_btrfs) {
		*state = NULL;
		return 0;
	}
	return fsimg_setup(state, "btrfs");
}

/* Everything lib/btrfs measures of the mounted file system's top level. */
struct measure {
	struct pd_btrfs_space space;
	struct pd_btrfs_usage usage;
	struct pd_btrfs_gap gap;
	uint64_t total, other;
};

static void measure(struct fsimg *fi, struct measure *m)
{
	struct pd_btrfs_refs *r;
	uint64_t subvol, bsize;
	int fd;

	fsimg_sh(fi, fsimg_printf(fi, "btrfs filesystem sync '%s'", fi->mnt));
	fd = open(fi->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_btrfs_subvol_read(fd, &subvol), 0);
	assert_int_equal(subvol, 5);
	assert_int_equal(pd_btrfs_space_read(fd, &m->space), 0);
	assert_int_equal(pd_btrfs_refs_new(4096, &r), 0);
	assert_int_equal(pd_btrfs_refs_read(fd, subvol, r, &m->usage), 0);
	assert_int_equal(pd_btrfs_other_read(fd, r, &m->total, &m->other), 0);
	pd_btrfs_refs_free(r);
	close(fd);
	bsize = fsimg_num(fi, fsimg_printf(fi, "stat -f -c %%S '%s'", fi->mnt));
	pd_btrfs_gap_compute(&m->space, &m->usage, m->other, bsize, &m->gap);
	print_message("btrfs: used %llu du %llu: metadata %llu system %llu "
		      "global reserve %llu other trees %llu unreferenced %llu "
		      "- shared %llu - compressed %llu - inline %llu - dirs "
		      "%llu, rounding %lld\n",
		      (unsigned long long)m->gap.used,
		      (unsigned long long)m->gap.du,
		      (unsigned long long)m->gap.metadata,
		      (unsigned long long)m->gap.system,
		      (unsigned long long)m->gap.global_rsv,
		      (unsigned long long)m->gap.other,
		      (unsigned long long)m->gap.unreferenced,
		      (unsigned long long)m->gap.shared,
		      (unsigned long long)m->gap.compressed,
		      (unsigned long long)m->gap.inline_du,
		      (unsigned long long)m->gap.dirs,
		      (long long)m->gap.rounding);
}

/* df and du against the model, and the causes' sum against the gap. */
static void assert_gap_named(struct fsimg *fi, const struct measure *m)
{
	const struct pd_btrfs_gap *g = &m->gap;
	long long used = (long long)fsimg_df_used(fi);
	long long du = (long long)fsimg_du(fi, fi->mnt);

	assert_int_equal(g->used, used);
	assert_int_equal(g->du, du);
	assert_int_equal(g->rounding, 0);
	/* the extent tree's data extents are space info's data used */
	assert_int_equal(m->total, m->space.used[PD_BTRFS_DATA]);
	assert_int_equal(used - du,
			 (long long)(g->metadata + g->system + g->global_rsv +
				     g->other + g->unreferenced) -
			 (long long)(g->shared + g->compressed + g->inline_du +
				     g->dirs));
}

/* A value from `btrfs filesystem usage -b`'s overall block: LABEL's
 * first number. */
static unsigned long long usage_of(struct fsimg *fi, const char *label)
{
	return fsimg_num(fi, fsimg_printf(fi, "btrfs filesystem usage -b '%s' "
		"2>/dev/null | awk -F'\\t+' '$1 ~ /^ *%s:$/ { print $2 + 0; "
		"exit }'", fi->mnt, label));
}

/* Column COL (1 Total, 2 Exclusive, 3 Set shared) of `btrfs fi du -s
 * --raw PATH`. */
static unsigned long long fidu(struct fsimg *fi, const char *path, int col)
{
	return fsimg_num(fi, fsimg_printf(fi, "btrfs filesystem du -s --raw "
		"'%s' | awk 'NR == 2 { print $%d }'", path, col));
}

static const char *make_btrfs(struct fsimg *fi, const char *mkfs,
			      const char *opts)
{
	const char *dev = fsimg_loop(fi, "btrfs.img", 1024);

	fsimg_sh(fi, fsimg_printf(fi, "mkfs.btrfs -q -f %s '%s' >/dev/null",
				  mkfs, dev));
	fsimg_mount(fi, "btrfs", dev, opts);
	return dev;
}

static void test_btrfs_snapshot_of_a_deleted_source_is_other_trees_data(void **state)
{
	struct fsimg *fi = *state;
	struct pd_btrfs_qgroup *q;
	unsigned long long snapid;
	struct measure m;
	size_t n, i;
	int fd;

	if (!fi)
		skip();
	make_btrfs(fi, "", NULL);
	fsimg_sh(fi, fsimg_printf(fi, "btrfs -q subvolume create '%s/src'",
				  fi->mnt));
	fsimg_sh(fi, fsimg_printf(fi, "head -c %llu /dev/urandom > '%s/src/f'",
				  30 * MiB, fi->mnt));
	fsimg_write(fsimg_printf(fi, "%s/keep", fi->mnt), 5 * MiB, 'k');
	fsimg_sh(fi, fsimg_printf(fi, "btrfs -q subvolume snapshot '%s/src' "
				  "'%s/snap'", fi->mnt, fi->mnt));
	fsimg_sh(fi, fsimg_printf(fi, "btrfs -q subvolume delete '%s/src' && "
				  "btrfs -q subvolume sync '%s'", fi->mnt,
				  fi->mnt));
	fsimg_sh(fi, fsimg_printf(fi, "btrfs -q quota enable '%s' && "
				  "btrfs -q quota rescan -w '%s'", fi->mnt,
				  fi->mnt));
	measure(fi, &m);
	assert_gap_named(fi, &m);
	/* the snapshot's 30 MiB is all only it holds: btrfs fi du says so */
	assert_int_equal(m.gap.other, 30 * MiB);
	assert_int_equal(m.gap.other, fidu(fi, fsimg_printf(fi, "%s/snap",
							    fi->mnt), 2));
	/* and the qgroup of the snapshot, exclusive */
	snapid = fsimg_num(fi, fsimg_printf(fi, "btrfs inspect-internal "
					    "rootid '%s/snap'", fi->mnt));
	fd = open(fi->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_btrfs_qgroups_read(fd, &q, &n), 0);
	close(fd);
	for (i = 0; i < n && q[i].id != snapid; i++)
		;
	assert_true(i < n);
	assert_int_equal(q[i].excl, fsimg_num(fi, fsimg_printf(fi,
		"btrfs qgroup show --raw '%s' | awk '$1 == \"0/%llu\" "
		"{ print $3 }'", fi->mnt, snapid)));
	assert_int_equal(q[i].rfer, fsimg_num(fi, fsimg_printf(fi,
		"btrfs qgroup show --raw '%s' | awk '$1 == \"0/%llu\" "
		"{ print $2 }'", fi->mnt, snapid)));
	assert_true(q[i].excl >= 30 * MiB);
	free(q);
	/* nothing else is at play here */
	assert_int_equal(m.gap.shared, 0);
	assert_int_equal(m.gap.compressed, 0);
}

static void test_btrfs_reflinked_copies_are_shared(void **state)
{
	struct fsimg *fi = *state;
	struct measure m;
	unsigned long long total, excl, set;

	if (!fi)
		skip();
	make_btrfs(fi, "", NULL);
	fsimg_sh(fi, fsimg_printf(fi, "head -c %llu /dev/urandom > '%s/a' && "
				  "cp --reflink=always '%s/a' '%s/b' && "
				  "cp --reflink=always '%s/a' '%s/c'",
				  20 * MiB, fi->mnt, fi->mnt, fi->mnt, fi->mnt,
				  fi->mnt));
	/* a small file stays inline in the metadata */
	fsimg_sh(fi, fsimg_printf(fi, "echo small > '%s/s'", fi->mnt));
	measure(fi, &m);
	assert_gap_named(fi, &m);
	/* du counts the 20 MiB three times, df once */
	assert_int_equal(m.gap.shared, 40 * MiB);
	total = fidu(fi, fi->mnt, 1);
	excl = fidu(fi, fi->mnt, 2);
	set = fidu(fi, fi->mnt, 3);
	/* btrfs fi du: Total counts each reference (and the inline file's
	 * bytes), Set shared each shared byte once */
	assert_int_equal(m.gap.shared, total - excl - set);
	assert_int_equal(m.gap.inline_du, 4096);
	assert_int_equal(m.gap.other, 0);
}

static void test_btrfs_compressed_files_are_counted_uncompressed_by_du(void **state)
{
	struct fsimg *fi = *state;
	struct measure m;
	unsigned long long disk, unc;
	struct stat st;

	if (!fi)
		skip();
	make_btrfs(fi, "", "compress=zstd");
	fsimg_sh(fi, fsimg_printf(fi, "yes 'compressible line' | head -c %llu "
				  "> '%s/z'", 16 * MiB, fi->mnt));
	measure(fi, &m);
	assert_gap_named(fi, &m);
	/* st_blocks of a compressed file is its logical, uncompressed size */
	assert_int_equal(stat(fsimg_printf(fi, "%s/z", fi->mnt), &st), 0);
	assert_int_equal((unsigned long long)st.st_blocks * 512, 16 * MiB);
	disk = fsimg_num(fi, fsimg_printf(fi, "compsize -b '%s' | "
					  "awk '$1 == \"TOTAL\" { print $3 }'",
					  fi->mnt));
	unc = fsimg_num(fi, fsimg_printf(fi, "compsize -b '%s' | "
					 "awk '$1 == \"TOTAL\" { print $4 }'",
					 fi->mnt));
	assert_int_equal(m.usage.disk, disk);
	assert_int_equal(m.usage.ram, unc);
	assert_int_equal(m.gap.compressed, unc - disk);
	assert_true(m.gap.compressed > 15 * MiB);
}

static void test_btrfs_raid1_over_two_devices_stores_twice(void **state)
{
	struct fsimg *fi = *state;
	struct pd_btrfs_chunks c;
	struct pd_btrfs_dev *devs;
	struct measure m;
	uint64_t unalloc = 0, raw = 0;
	const char *d1, *d2;
	size_t n, i;
	int fd, k;

	if (!fi)
		skip();
	d1 = fsimg_loop(fi, "r1.img", 1024);
	d2 = fsimg_loop(fi, "r2.img", 1024);
	fsimg_sh(fi, fsimg_printf(fi, "mkfs.btrfs -q -f -d raid1 -m raid1 "
				  "'%s' '%s' >/dev/null", d1, d2));
	fsimg_mount(fi, "btrfs", d1, NULL);
	fsimg_write(fsimg_printf(fi, "%s/f", fi->mnt), 50 * MiB, 'r');
	measure(fi, &m);
	assert_gap_named(fi, &m);
	assert_string_equal(pd_btrfs_profile_name(m.space.profile[PD_BTRFS_DATA]),
			    "RAID1");
	assert_int_equal(pd_btrfs_ncopies(m.space.profile[PD_BTRFS_DATA]), 2);
	/* every byte twice: btrfs fi usage's raw "Used" */
	assert_int_equal(m.space.disk_used[PD_BTRFS_DATA] +
			 m.space.disk_used[PD_BTRFS_METADATA] +
			 m.space.disk_used[PD_BTRFS_SYSTEM], usage_of(fi, "Used"));
	assert_int_equal(m.space.disk_used[PD_BTRFS_DATA],
			 2 * m.space.used[PD_BTRFS_DATA]);
	fd = open(fi->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_btrfs_chunks_read(fd, &c), 0);
	assert_int_equal(pd_btrfs_devs_read(fd, &devs, &n), 0);
	close(fd);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		unalloc += devs[i].unallocated;
	free(devs);
	for (k = 0; k < PD_BTRFS_NKINDS; k++) {
		assert_int_equal(c.raw[k], 2 * c.length[k]);
		assert_int_equal(c.length[k], m.space.total[k]);
		raw += c.raw[k];
	}
	assert_int_equal(raw, usage_of(fi, "Device allocated"));
	assert_int_equal(unalloc, usage_of(fi, "Device unallocated"));
}

/* RAID1C3 metadata stores each byte three times, RAID5 data over three
 * devices a stripe of parity for two of data: btrfs fi usage's raw
 * numbers, and df still counts data once. */
static void test_btrfs_raid1c3_and_raid5_multipliers(void **state)
{
	struct fsimg *fi = *state;
	struct pd_btrfs_chunks c;
	struct measure m;
	const char *d[3];
	uint64_t raw = 0;
	int fd, i;

	if (!fi)
		skip();
	for (i = 0; i < 3; i++)
		d[i] = fsimg_loop(fi, fsimg_printf(fi, "r%d.img", i), 1024);
	fsimg_sh(fi, fsimg_printf(fi, "mkfs.btrfs -q -f -d raid5 -m raid1c3 "
				  "'%s' '%s' '%s' >/dev/null 2>&1", d[0], d[1],
				  d[2]));
	fsimg_mount(fi, "btrfs", d[0], NULL);
	fsimg_write(fsimg_printf(fi, "%s/f", fi->mnt), 40 * MiB, 'r');
	measure(fi, &m);
	assert_gap_named(fi, &m);
	assert_string_equal(pd_btrfs_profile_name(m.space.profile[PD_BTRFS_METADATA]),
			    "RAID1C3");
	assert_string_equal(pd_btrfs_profile_name(m.space.profile[PD_BTRFS_DATA]),
			    "RAID5");
	assert_int_equal(m.space.disk_used[PD_BTRFS_METADATA],
			 3 * m.space.used[PD_BTRFS_METADATA]);
	/* df's factor for RAID5 is 1: the parity is not in used */
	assert_int_equal(m.space.disk_used[PD_BTRFS_DATA],
			 m.space.used[PD_BTRFS_DATA]);
	fd = open(fi->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_btrfs_chunks_read(fd, &c), 0);
	close(fd);
	assert_int_equal(c.raw[PD_BTRFS_METADATA], 3 * c.length[PD_BTRFS_METADATA]);
	assert_int_equal(c.raw[PD_BTRFS_SYSTEM], 3 * c.length[PD_BTRFS_SYSTEM]);
	assert_int_equal(2 * c.raw[PD_BTRFS_DATA], 3 * c.length[PD_BTRFS_DATA]);
	for (i = 0; i < PD_BTRFS_NKINDS; i++)
		raw += c.raw[i];
	assert_int_equal(raw, usage_of(fi, "Device allocated"));
}

/* Overwriting the middle of a file leaves the old extent whole on disk:
 * the overwritten MiB is referenced by no file ("bookend"), in df and not
 * in du. compsize's Disk Usage less Referenced is it. */
static void test_btrfs_overwritten_middle_of_an_extent_is_unreferenced(void **state)
{
	struct fsimg *fi = *state;
	unsigned long long disk, refd;
	struct measure m;

	if (!fi)
		skip();
	make_btrfs(fi, "", NULL);
	fsimg_sh(fi, fsimg_printf(fi, "dd if=/dev/urandom of='%s/f' bs=8M "
				  "count=1 conv=fsync status=none", fi->mnt));
	fsimg_sh(fi, fsimg_printf(fi, "dd if=/dev/urandom of='%s/f' bs=1M "
				  "seek=3 count=1 conv=notrunc,fsync "
				  "status=none", fi->mnt));
	measure(fi, &m);
	assert_gap_named(fi, &m);
	disk = fsimg_num(fi, fsimg_printf(fi, "compsize -b '%s/f' | "
					  "awk '$1 == \"TOTAL\" { print $3 }'",
					  fi->mnt));
	refd = fsimg_num(fi, fsimg_printf(fi, "compsize -b '%s/f' | "
					  "awk '$1 == \"TOTAL\" { print $5 }'",
					  fi->mnt));
	assert_int_equal(m.gap.unreferenced, disk - refd);
	assert_int_equal(m.gap.unreferenced, 1 * MiB);
	assert_int_equal(m.gap.shared, 0);
}

/* Subvolumes and snapshots: other devices to du -x, listed with what
 * btrfs subvolume list and btrfs property say of them. */
static void test_btrfs_subvolumes_and_snapshots_are_listed(void **state)
{
	struct fsimg *fi = *state;
	struct pd_btrfs_subvol *v;
	char *got, *want;
	size_t n, i, len = 0;
	int fd;

	if (!fi)
		skip();
	make_btrfs(fi, "", NULL);
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && btrfs -q subvolume create "
				  "sv && mkdir sv/dir && btrfs -q subvolume "
				  "create sv/dir/inner && btrfs -q subvolume "
				  "snapshot -r sv ro && btrfs -q subvolume "
				  "snapshot sv rw && btrfs -q subvolume create "
				  "gone && btrfs -q subvolume delete gone && "
				  "btrfs -q subvolume sync .", fi->mnt));
	fd = open(fi->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_btrfs_subvols_read(fd, &v, &n), 0);
	close(fd);
	got = fsimg_printf(fi, "%*s", 4096, "");
	got[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(got + len, 4096 - len,
					"%llu %llu %s %d %d\n",
					(unsigned long long)v[i].id,
					(unsigned long long)v[i].parent,
					v[i].name, v[i].snapshot, v[i].readonly);
	free(v);
	/* ID, top level, the path's last part; a snapshot has a parent
	 * uuid (-q), read-only is the ro property */
	want = fsimg_out(fi, fsimg_printf(fi, "cd '%s' && btrfs subvolume "
		"list -q . | while read -r _ id _ _ _ _ top _ puuid _ p; do "
		"ro=$(btrfs property get -ts \"$p\" ro | cut -d= -f2); "
		"echo \"$id $top ${p##*/} $([ \"$puuid\" = - ] && echo 0 || "
		"echo 1) $([ \"$ro\" = true ] && echo 1 || echo 0)\"; done",
		fi->mnt));
	assert_int_equal(n, 4);
	assert_string_equal(got, fsimg_printf(fi, "%s\n", want));
}

/* Tree search needs CAP_SYS_ADMIN: as nobody it is -EPERM, cleanly, and
 * space info (which needs no privilege) still answers. */
static void test_btrfs_tree_search_without_root_is_eperm(void **state)
{
	struct fsimg *fi = *state;
	pid_t pid;
	int st;

	if (!fi)
		skip();
	make_btrfs(fi, "", NULL);
	chmod(fi->dir, 0755);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pd_btrfs_space s;
		struct pd_btrfs_refs *r;
		struct pd_btrfs_usage u;
		struct pd_btrfs_chunks c;
		struct pd_btrfs_subvol *sv;
		uint64_t id;
		size_t n;
		int fd;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		fd = open(fi->mnt, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			_exit(11);
		if (pd_btrfs_space_read(fd, &s) != 0)
			_exit(12);
		if (pd_btrfs_refs_new(4096, &r) != 0)
			_exit(13);
		if (pd_btrfs_refs_read(fd, 5, r, &u) != -EPERM)
			_exit(14);
		pd_btrfs_refs_free(r);
		if (pd_btrfs_chunks_read(fd, &c) != -EPERM)
			_exit(15);
		/* which subvolume the walk is in needs no privilege */
		if (pd_btrfs_subvol_read(fd, &id) != 0 || id != 5)
			_exit(16);
		if (pd_btrfs_subvols_read(fd, &sv, &n) != -EPERM)
			_exit(17);
		_exit(0);
	}
	assert_true(reap(pid, 10000, &st));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_btrfs_snapshot_of_a_deleted_source_is_other_trees_data, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_btrfs_reflinked_copies_are_shared, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_btrfs_compressed_files_are_counted_uncompressed_by_du, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_btrfs_raid1_over_two_devices_stores_twice, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_btrfs_raid1c3_and_raid5_multipliers, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_btrfs_overwritten_middle_of_an_extent_is_unreferenced, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_btrfs_subvolumes_and_snapshots_are_listed, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_btrfs_tree_search_without_root_is_eperm, setup, fsimg_teardown),
	};

	if (geteuid() != 0)
		print_message("not root: every btrfs scenario is skipped\n");
	if (system("command -v mkfs.btrfs btrfs compsize >/dev/null 2>&1") != 0 ||
	    system("grep -qw btrfs /proc/filesystems || modprobe btrfs "
		   ">/dev/null 2>&1") != 0) {
		print_message("no btrfs-progs/compsize or no btrfs in this "
			      "kernel: every btrfs scenario is skipped\n");
		no_btrfs = true;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
