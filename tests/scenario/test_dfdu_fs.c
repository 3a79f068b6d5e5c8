/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of dfdu on the file systems whose df and du disagree for
 * reasons of their own: btrfs (a snapshot whose source was deleted,
 * reflinked copies, compressed files, RAID1 over two loop devices) and XFS
 * reflinks. dfdu's row and its --explain name each cause with the bytes
 * btrfs-progs (btrfs filesystem du, btrfs filesystem df, btrfs qgroup
 * show) and compsize give, the remainder is 0 B as on ext4, and a user
 * sees each cause FIEMAP and space info can size, the rest as "needs
 * root". Loop file systems in a private mount namespace (fsimg); root
 * only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsimg.h"

#define MiB (1024ull * 1024)
#define USER "setpriv --reuid=65534 --regid=65534 --clear-groups "

static bool no_btrfs, no_xfs;

/* One dfdu TSV row, by column name. */
struct row {
	char *names[64];
	char *vals[64];
	size_t n;
};

static size_t split(char *line, char **v, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *tab = strchr(line, '\t');

		assert_true(n < max);
		v[n++] = line;
		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}

/* dfdu --output-all -r on the mount (as nobody when USER_RUN): its row. */
static void dfdu(struct fsimg *fi, bool user_run, struct row *r)
{
	char *o = fsimg_out(fi, fsimg_printf(fi, "%s%s -q -r --output-all "
					     "'%s'", user_run ? USER : "",
					     PD_DFDU_BIN, fi->mnt));
	char *nl = strchr(o, '\n');

	assert_non_null(nl);
	*nl = '\0';
	assert_null(strchr(nl + 1, '\n'));
	r->n = split(o, r->names, 64);
	assert_int_equal(split(nl + 1, r->vals, 64), r->n);
}

static const char *cell(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return r->vals[i];
	fail_msg("no column %s", name);
	return NULL;
}

static long long val(const struct row *r, const char *name)
{
	const char *s = cell(r, name);

	if (!*s)
		fail_msg("%s is unknown", name);
	return strtoll(s, NULL, 10);
}

static bool unknown(const struct row *r, const char *name)
{
	return !*cell(r, name);
}

/* ALLOC of the evidence row of KIND whose NOTE starts with WHAT ("" when
 * unknown); fails when there is no such row. */
static char *part(struct fsimg *fi, bool user_run, const char *kind,
		  const char *what)
{
	char *o = fsimg_out(fi, fsimg_printf(fi, "%s%s -q -r -n --explain "
		"'%s' -o KIND,NOTE,ALLOC | awk -F'\\t' '$1 == \"%s\" && "
		"index($2, \"%s\") == 1 { n++; print $3 } END { exit n != 1 }'",
		user_run ? USER : "", PD_DFDU_BIN, fi->mnt, kind, what));

	return o;
}

static char *part_note(struct fsimg *fi, bool user_run, const char *kind,
		       const char *what)
{
	return fsimg_out(fi, fsimg_printf(fi, "%s%s -q -r -n --explain '%s' "
		"-o KIND,NOTE | awk -F'\\t' '$1 == \"%s\" && index($2, "
		"\"%s\") == 1 { n++; print $2 } END { exit n != 1 }'",
		user_run ? USER : "", PD_DFDU_BIN, fi->mnt, kind, what));
}

/* dfdu's df side against df -B1, its walk against du -sxB1, the gap's
 * arithmetic, and the remainder 0 B: every cause sized. */
static void assert_named(struct fsimg *fi, const struct row *r)
{
	assert_int_equal(val(r, "USED"), fsimg_df_used(fi));
	assert_int_equal(val(r, "WALKED"), fsimg_du(fi, fi->mnt));
	assert_int_equal(val(r, "GAP"), val(r, "USED") - val(r, "WALKED"));
	assert_int_equal(val(r, "DELETED"), 0);
	assert_int_equal(val(r, "HIDDEN"), 0);
	assert_int_equal(val(r, "UNEXPLAINED"), 0);
	assert_int_equal(val(r, "FSSPECIFIC"), val(r, "GAP"));
}

/* `btrfs filesystem df -b` of KIND ("Data", "Metadata", "System",
 * "GlobalReserve"): FIELD ("total", "used"). */
static unsigned long long fidf(struct fsimg *fi, const char *kind,
			       const char *field)
{
	return fsimg_num(fi, fsimg_printf(fi, "btrfs filesystem df -b '%s' | "
		"sed -n 's/^%s, [^:]*: .*%s=\\([0-9]*\\).*/\\1/p'", fi->mnt,
		kind, field));
}

/* Column COL (1 Total, 2 Exclusive, 3 Set shared) of btrfs fi du -s. */
static unsigned long long fidu(struct fsimg *fi, const char *path, int col)
{
	return fsimg_num(fi, fsimg_printf(fi, "btrfs filesystem du -s --raw "
		"'%s' | awk 'NR == 2 { print $%d }'", path, col));
}

static int setup_btrfs(void **state)
{
	if (no_btrfs) {
		*state = NULL;
		return 0;
	}
	return fsimg_setup(state, "dfdu-btrfs");
}

static int setup_xfs(void **state)
{
	if (no_xfs) {
		*state = NULL;
		return 0;
	}
	return fsimg_setup(state, "dfdu-xfs");
}

static void make_btrfs(struct fsimg *fi, const char *opts)
{
	const char *dev = fsimg_loop(fi, "btrfs.img", 1024);

	fsimg_sh(fi, fsimg_printf(fi, "mkfs.btrfs -q -f '%s' >/dev/null", dev));
	fsimg_mount(fi, "btrfs", dev, opts);
	/* nobody reaches the mount point */
	chmod(fi->dir, 0755);
	chmod(fi->mnt, 0755);
}

/* The metadata, system and global reserve parts against btrfs fi df:
 * used times the profile's copies over data's (statfs's arithmetic). */
static void assert_space_parts(struct fsimg *fi, bool user_run,
			       unsigned meta_copies, unsigned data_copies)
{
	assert_string_equal(part(fi, user_run, "fsspecific", "metadata:"),
		fsimg_printf(fi, "%llu", fidf(fi, "Metadata", "used") *
			     meta_copies / data_copies));
	assert_string_equal(part(fi, user_run, "fsspecific", "system:"),
		fsimg_printf(fi, "%llu", fidf(fi, "System", "used") *
			     meta_copies / data_copies));
	assert_string_equal(part(fi, user_run, "fsspecific", "global reserve"),
		fsimg_printf(fi, "%llu", fidf(fi, "GlobalReserve", "total")));
}

static void test_dfdu_btrfs_snapshot_of_a_deleted_source(void **state)
{
	struct fsimg *fi = *state;
	unsigned long long snapid, excl;
	struct row r;

	if (!fi)
		skip();
	make_btrfs(fi, NULL);
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && btrfs -q subvolume create src "
		"&& head -c %llu /dev/urandom > src/f && btrfs -q subvolume "
		"snapshot src snap && btrfs -q subvolume delete src && btrfs -q "
		"subvolume sync . && btrfs -q quota enable . && btrfs -q quota "
		"rescan -w .", fi->mnt, 30 * MiB));
	fsimg_write(fsimg_printf(fi, "%s/keep", fi->mnt), 5 * MiB, 'k');
	fsimg_sh(fi, fsimg_printf(fi, "btrfs filesystem sync '%s'", fi->mnt));
	dfdu(fi, false, &r);
	assert_named(fi, &r);
	assert_space_parts(fi, false, 2, 1);
	/* the snapshot's 30 MiB: only it holds them, as btrfs fi du says */
	assert_string_equal(part(fi, false, "fsspecific", "other subvolumes"),
		fsimg_printf(fi, "%llu", fidu(fi, fsimg_printf(fi, "%s/snap",
							       fi->mnt), 2)));
	assert_string_equal(part(fi, false, "fsspecific", "other subvolumes"),
		fsimg_printf(fi, "%llu", 30 * MiB));
	/* the snapshot is listed with its qgroup's exclusive bytes */
	snapid = fsimg_num(fi, fsimg_printf(fi, "btrfs inspect-internal rootid "
					    "'%s/snap'", fi->mnt));
	excl = fsimg_num(fi, fsimg_printf(fi, "btrfs qgroup show --raw '%s' | "
		"awk '$1 == \"0/%llu\" { print $3 }'", fi->mnt, snapid));
	assert_string_equal(fsimg_out(fi, fsimg_printf(fi, "%s -q -r -n "
		"--explain '%s' -o KIND,ALLOC,PATH | grep '^fsinfo.*\tsnap$'",
		PD_DFDU_BIN, fi->mnt)),
		fsimg_printf(fi, "fsinfo\t%llu\tsnap", excl));
	/* a user: the tree search needs root, the remainder is at most the
	 * snapshot's data */
	dfdu(fi, true, &r);
	assert_true(unknown(&r, "UNEXPLAINED"));
	assert_int_equal(val(&r, "UNEXPLAINED_MAX"), 30 * MiB);
	assert_string_equal(part(fi, true, "fsspecific", "other subvolumes"),
			    "");
	assert_non_null(strstr(part_note(fi, true, "fsspecific",
					 "other subvolumes"), "needs root"));
	assert_space_parts(fi, true, 2, 1);
}

static void test_dfdu_btrfs_reflinked_copies_are_negative(void **state)
{
	struct fsimg *fi = *state;
	unsigned long long total, excl, set;
	struct row r;

	if (!fi)
		skip();
	make_btrfs(fi, NULL);
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && head -c %llu /dev/urandom > a "
		"&& cp --reflink=always a b && cp --reflink=always a c && echo "
		"small > s && chmod 644 a b c s && btrfs filesystem sync .",
		fi->mnt, 20 * MiB));
	dfdu(fi, false, &r);
	assert_named(fi, &r);
	/* du counts the 20 MiB three times, df once: the gap is negative */
	assert_true(val(&r, "GAP") < 0);
	total = fidu(fi, fi->mnt, 1);
	excl = fidu(fi, fi->mnt, 2);
	set = fidu(fi, fi->mnt, 3);
	assert_string_equal(part(fi, false, "fsspecific", "shared extents"),
		fsimg_printf(fi, "-%llu", total - excl - set));
	assert_string_equal(part(fi, false, "fsspecific", "shared extents"),
		fsimg_printf(fi, "-%llu", 40 * MiB));
	assert_string_equal(part(fi, false, "fsspecific", "inline files"),
			    "-4096");
	/* a user: FIEMAP sees the same sharing and the inline file; only
	 * what other trees hold is unknown, and it is nothing here */
	dfdu(fi, true, &r);
	assert_string_equal(part(fi, true, "fsspecific", "shared extents"),
		fsimg_printf(fi, "-%llu", 40 * MiB));
	assert_string_equal(part(fi, true, "fsspecific", "inline files"),
			    "-4096");
	assert_int_equal(val(&r, "UNEXPLAINED_MAX"), 0);
}

static void test_dfdu_btrfs_compressed_files_are_negative(void **state)
{
	struct fsimg *fi = *state;
	unsigned long long disk, unc;
	struct row r;

	if (!fi)
		skip();
	make_btrfs(fi, "compress=zstd");
	fsimg_sh(fi, fsimg_printf(fi, "yes 'compressible line' | head -c %llu "
		"> '%s/z' && chmod 644 '%s/z' && btrfs filesystem sync '%s'",
		16 * MiB, fi->mnt, fi->mnt, fi->mnt));
	dfdu(fi, false, &r);
	assert_named(fi, &r);
	disk = fsimg_num(fi, fsimg_printf(fi, "compsize -b '%s' | awk '$1 == "
					  "\"TOTAL\" { print $3 }'", fi->mnt));
	unc = fsimg_num(fi, fsimg_printf(fi, "compsize -b '%s' | awk '$1 == "
					 "\"TOTAL\" { print $4 }'", fi->mnt));
	assert_string_equal(part(fi, false, "fsspecific", "compression saving"),
			    fsimg_printf(fi, "-%llu", unc - disk));
	/* a user: the saving is between 0 and the compressed extents'
	 * logical bytes (FIEMAP), so the remainder is at most what they
	 * take on disk */
	dfdu(fi, true, &r);
	assert_string_equal(part(fi, true, "fsspecific", "compression saving"),
			    "");
	assert_int_equal(val(&r, "UNEXPLAINED_MAX"), (long long)disk);
}

static void test_dfdu_btrfs_raid1_over_two_devices(void **state)
{
	struct fsimg *fi = *state;
	const char *d1, *d2;
	struct row r;
	char *o;

	if (!fi)
		skip();
	d1 = fsimg_loop(fi, "r1.img", 1024);
	d2 = fsimg_loop(fi, "r2.img", 1024);
	fsimg_sh(fi, fsimg_printf(fi, "mkfs.btrfs -q -f -d raid1 -m raid1 "
				  "'%s' '%s' >/dev/null", d1, d2));
	fsimg_mount(fi, "btrfs", d1, NULL);
	fsimg_write(fsimg_printf(fi, "%s/f", fi->mnt), 50 * MiB, 'r');
	fsimg_sh(fi, fsimg_printf(fi, "btrfs filesystem sync '%s'", fi->mnt));
	dfdu(fi, false, &r);
	assert_named(fi, &r);
	/* metadata x2 and data x2: statfs counts metadata used once */
	assert_space_parts(fi, false, 2, 2);
	o = part_note(fi, false, "fsinfo", "data chunks");
	assert_non_null(strstr(o, "RAID1: each byte x2 on the devices"));
	/* each device's unallocated space, as btrfs fi usage sums it */
	o = fsimg_out(fi, fsimg_printf(fi, "%s -q -r -n --explain '%s' -o "
		"KIND,NOTE,ALLOC | awk -F'\\t' '$1 == \"fsinfo\" && "
		"index($2, \"unallocated\") == 1 { n++; s += $3 } END { print "
		"n, s }'", PD_DFDU_BIN, fi->mnt));
	assert_string_equal(o, fsimg_printf(fi, "2 %llu", fsimg_num(fi,
		fsimg_printf(fi, "btrfs filesystem usage -b '%s' 2>/dev/null | "
			     "awk -F'\\t+' '$1 ~ /^ *Device unallocated:$/ { "
			     "print $2 + 0; exit }'", fi->mnt))));
}

/* XFS reflinks: du counts a shared extent once per file, df once; the
 * excess (FIEMAP over the walked files) is a negative part, and the
 * remainder stays 0 B. */
static void test_dfdu_xfs_reflinked_copies_are_negative(void **state)
{
	struct fsimg *fi = *state;
	const char *dev;
	struct row r;

	if (!fi)
		skip();
	dev = fsimg_loop(fi, "xfs.img", 1024);
	fsimg_sh(fi, fsimg_printf(fi, "mkfs.xfs -q -f -m reflink=1 '%s'", dev));
	fsimg_mount(fi, "xfs", dev, NULL);
	chmod(fi->dir, 0755);
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && head -c %llu /dev/urandom > a "
		"&& cp --reflink=always a b && cp --reflink=always a c && "
		"chmod 644 a b c && sync", fi->mnt, 20 * MiB));
	dfdu(fi, false, &r);
	assert_named(fi, &r);
	assert_true(val(&r, "GAP") < 0);
	assert_string_equal(part(fi, false, "fsspecific", "shared extents"),
			    fsimg_printf(fi, "-%llu", 40 * MiB));
	/* a user maps the files as well; the AG metadata needs root */
	dfdu(fi, true, &r);
	assert_string_equal(part(fi, true, "fsspecific", "shared extents"),
			    fsimg_printf(fi, "-%llu", 40 * MiB));
	assert_true(unknown(&r, "UNEXPLAINED"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dfdu_btrfs_snapshot_of_a_deleted_source, setup_btrfs, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_btrfs_reflinked_copies_are_negative, setup_btrfs, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_btrfs_compressed_files_are_negative, setup_btrfs, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_btrfs_raid1_over_two_devices, setup_btrfs, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_xfs_reflinked_copies_are_negative, setup_xfs, fsimg_teardown),
	};

	if (geteuid() != 0)
		print_message("not root: every dfdu file system scenario is "
			      "skipped\n");
	if (system("command -v mkfs.btrfs btrfs compsize >/dev/null 2>&1") != 0 ||
	    system("grep -qw btrfs /proc/filesystems || modprobe btrfs "
		   ">/dev/null 2>&1") != 0) {
		print_message("no btrfs-progs/compsize or no btrfs: the btrfs "
			      "scenarios are skipped\n");
		no_btrfs = true;
	}
	if (system("command -v mkfs.xfs >/dev/null 2>&1") != 0) {
		print_message("no mkfs.xfs: the XFS scenario is skipped\n");
		no_xfs = true;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
