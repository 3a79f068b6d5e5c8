/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ext4meta: what ext4's internal inodes hold in df's USED. */
#include "ext4meta.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"

#define EXT4_MAGIC 0xEF53
#define EXT4_SB_OFFSET 1024
#define EXT4_SB_SIZE 1024
#define EXT4_GOOD_OLD_FIRST_INO 11
#define EXT4_GOOD_OLD_INODE_SIZE 128
#define EXT4_ROOT_INO 2
#define EXT4_RESIZE_INO 7

#define COMPAT_SPARSE_SUPER2 0x200
#define INCOMPAT_META_BG 0x10
#define INCOMPAT_64BIT 0x80
#define RO_COMPAT_SPARSE_SUPER 0x1
#define RO_COMPAT_HUGE_FILE 0x8
#define EXT4_HUGE_FILE_FL 0x40000

static uint16_t le16(const unsigned char *b, size_t off)
{
	return (uint16_t)(b[off] | b[off + 1] << 8);
}

static uint32_t le32(const unsigned char *b, size_t off)
{
	return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
	       (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

int pd_ext4_geom_parse(const void *buf, size_t len, struct pd_ext4_geom *ret)
{
	const unsigned char *b = buf;
	struct pd_ext4_geom g;
	uint32_t logb, rev;

	if (len < EXT4_SB_SIZE || le16(b, 0x38) != EXT4_MAGIC)
		return -EINVAL;
	memset(&g, 0, sizeof(g));
	logb = le32(b, 0x18);
	if (logb > 6)
		return -EINVAL;
	g.block_size = 1024u << logb;
	g.compat = le32(b, 0x5c);
	g.incompat = le32(b, 0x60);
	g.ro_compat = le32(b, 0x64);
	g.blocks = le32(b, 0x04);
	if (g.incompat & INCOMPAT_64BIT)
		g.blocks |= (uint64_t)le32(b, 0x150) << 32;
	g.inodes = le32(b, 0x00);
	g.first_data_block = le32(b, 0x14);
	g.blocks_per_group = le32(b, 0x20);
	g.inodes_per_group = le32(b, 0x28);
	rev = le32(b, 0x4c);
	g.first_ino = rev ? le32(b, 0x54) : EXT4_GOOD_OLD_FIRST_INO;
	g.inode_size = rev ? le16(b, 0x58) : EXT4_GOOD_OLD_INODE_SIZE;
	g.reserved_gdt = le16(b, 0xce);
	g.desc_size = g.incompat & INCOMPAT_64BIT ? le16(b, 0xfe) : 32;
	g.journal_inum = le32(b, 0xe0);
	g.first_meta_bg = le32(b, 0x104);
	g.quota_inum[0] = le32(b, 0x240);
	g.quota_inum[1] = le32(b, 0x244);
	g.backup_bgs[0] = le32(b, 0x24c);
	g.backup_bgs[1] = le32(b, 0x250);
	g.quota_inum[2] = le32(b, 0x26c);
	g.orphan_file_inum = le32(b, 0x280);
	/* What the kernel's ext4_fill_super() refuses, we refuse too. */
	if (g.inode_size < EXT4_GOOD_OLD_INODE_SIZE ||
	    g.inode_size > g.block_size || (g.inode_size & (g.inode_size - 1)))
		return -EINVAL;
	if (g.desc_size < 32 || g.desc_size > g.block_size ||
	    (g.desc_size & (g.desc_size - 1)))
		return -EINVAL;
	if (g.blocks_per_group == 0 || g.blocks_per_group > 8 * g.block_size ||
	    g.inodes_per_group == 0 ||
	    g.inodes_per_group > 8 * g.block_size)
		return -EINVAL;
	if (g.first_data_block >= g.blocks || g.first_ino < 3 ||
	    g.first_ino > g.inodes)
		return -EINVAL;
	/* group numbers are 32-bit (ext4_group_t) */
	if (pd_ext4_groups(&g) > UINT32_MAX)
		return -EINVAL;
	*ret = g;
	return 0;
}

uint64_t pd_ext4_groups(const struct pd_ext4_geom *g)
{
	return (g->blocks - g->first_data_block + g->blocks_per_group - 1) /
	       g->blocks_per_group;
}

/* Is N a power of B (1 included)? */
static bool power_of(uint64_t n, uint64_t b)
{
	while (n > 1 && n % b == 0)
		n /= b;
	return n == 1;
}

bool pd_ext4_group_has_super(const struct pd_ext4_geom *g, uint64_t group)
{
	if (group == 0)
		return true;
	if (g->compat & COMPAT_SPARSE_SUPER2)
		return group == g->backup_bgs[0] || group == g->backup_bgs[1];
	if (group <= 1 || !(g->ro_compat & RO_COMPAT_SPARSE_SUPER))
		return true;
	if (!(group & 1))
		return false;
	return power_of(group, 3) || power_of(group, 5) || power_of(group, 7);
}

uint64_t pd_ext4_desc_offset(const struct pd_ext4_geom *g, uint64_t group)
{
	uint64_t per_block = g->block_size / g->desc_size;
	uint64_t first = (uint64_t)g->first_data_block;

	if ((g->incompat & INCOMPAT_META_BG) &&
	    group >= (uint64_t)g->first_meta_bg * per_block) {
		/* meta_bg: each run of PER_BLOCK groups keeps its one
		 * descriptor block in its first group, after the super copy */
		uint64_t mg = group / per_block * per_block;

		return (first + mg * g->blocks_per_group +
			(pd_ext4_group_has_super(g, mg) ? 1 : 0)) *
			       g->block_size +
		       group % per_block * g->desc_size;
	}
	return (first + 1) * g->block_size + group * g->desc_size;
}

int pd_ext4_desc_parse(const struct pd_ext4_geom *g, const void *buf,
		       size_t len, uint64_t *ret_inode_table)
{
	const unsigned char *b = buf;
	uint64_t t;

	if (len < g->desc_size)
		return -EINVAL;
	t = le32(b, 0x08);
	if (g->desc_size >= 64)
		t |= (uint64_t)le32(b, 0x28) << 32;
	if (t == 0 || t >= g->blocks)
		return -EINVAL;
	*ret_inode_table = t;
	return 0;
}

uint64_t pd_ext4_inode_group(const struct pd_ext4_geom *g, uint32_t ino)
{
	return (uint64_t)(ino - 1) / g->inodes_per_group;
}

uint64_t pd_ext4_inode_offset(const struct pd_ext4_geom *g, uint32_t ino)
{
	return (uint64_t)((ino - 1) % g->inodes_per_group) * g->inode_size;
}

int pd_ext4_inode_parse(const struct pd_ext4_geom *g, const void *buf,
			size_t len, struct pd_ext4_inode *ret)
{
	const unsigned char *b = buf;
	struct pd_ext4_inode in;
	uint64_t blocks;

	if (len < EXT4_GOOD_OLD_INODE_SIZE)
		return -EINVAL;
	in.mode = le16(b, 0x00);
	in.links = le16(b, 0x1a);
	in.size = le32(b, 0x04) | (uint64_t)le32(b, 0x6c) << 32;
	blocks = le32(b, 0x1c);
	if (g->ro_compat & RO_COMPAT_HUGE_FILE) {
		blocks |= (uint64_t)le16(b, 0x74) << 32;
		/* i_blocks in file system blocks, not 512-byte sectors */
		if (le32(b, 0x20) & EXT4_HUGE_FILE_FL)
			blocks *= g->block_size / 512;
	}
	in.alloc = blocks * 512;
	*ret = in;
	return 0;
}

static const char *const kind_names[PD_EXT4_META_NKINDS] = {
	[PD_EXT4_META_RESIZE] = "resize inode",
	[PD_EXT4_META_JOURNAL] = "journal mapping blocks",
	[PD_EXT4_META_QUOTA] = "quota files",
	[PD_EXT4_META_ORPHAN] = "orphan file",
	[PD_EXT4_META_OTHER] = "other reserved inodes",
};

const char *pd_ext4_meta_kind_name(enum pd_ext4_meta_kind kind)
{
	return (unsigned)kind < PD_EXT4_META_NKINDS ? kind_names[kind] : "";
}

/* How many of the first N groups hold a superblock copy, without visiting
 * each: 0 and 1, and the powers of 3, 5 and 7 (sparse_super). */
static uint64_t super_groups(const struct pd_ext4_geom *g, uint64_t n)
{
	static const uint64_t bases[] = { 3, 5, 7 };
	uint64_t count, p;
	size_t i;

	if (n == 0)
		return 0;
	if (g->compat & COMPAT_SPARSE_SUPER2)
		return 1 + (g->backup_bgs[0] && g->backup_bgs[0] < n) +
		       (g->backup_bgs[1] && g->backup_bgs[1] < n &&
			g->backup_bgs[1] != g->backup_bgs[0]);
	if (!(g->ro_compat & RO_COMPAT_SPARSE_SUPER))
		return n;
	count = n > 1 ? 2 : 1;
	for (i = 0; i < 3; i++)
		for (p = bases[i]; p < n; p *= bases[i])
			count++;
	return count;
}

/* Reserved GDT blocks the kernel counts as overhead: s_reserved_gdt_blocks
 * in each group with a superblock copy (ext4_num_base_meta_blocks()). */
static uint64_t reserved_gdt_bytes(const struct pd_ext4_geom *g)
{
	uint64_t n = pd_ext4_groups(g), per_block;

	per_block = g->block_size / g->desc_size;
	if (g->incompat & INCOMPAT_META_BG &&
	    (uint64_t)g->first_meta_bg * per_block < n)
		n = (uint64_t)g->first_meta_bg * per_block;
	return super_groups(g, n) * g->reserved_gdt * g->block_size;
}

static int kind_of(const struct pd_ext4_geom *g, uint32_t ino)
{
	if (ino == 0 || ino == EXT4_ROOT_INO)
		return -1;
	if (ino == EXT4_RESIZE_INO)
		return PD_EXT4_META_RESIZE;
	if (ino == g->journal_inum)
		return PD_EXT4_META_JOURNAL;
	if (ino == g->quota_inum[0] || ino == g->quota_inum[1] ||
	    ino == g->quota_inum[2])
		return PD_EXT4_META_QUOTA;
	if (ino == g->orphan_file_inum)
		return PD_EXT4_META_ORPHAN;
	if (ino < g->first_ino)
		return PD_EXT4_META_OTHER;
	return -1;
}

int pd_ext4_meta_add(const struct pd_ext4_geom *g, uint32_t ino,
		     const struct pd_ext4_inode *in, struct pd_ext4_meta *m)
{
	int kind = kind_of(g, ino);
	uint64_t b = in->alloc, out = 0;

	if (kind < 0)
		return -1;
	if (kind == PD_EXT4_META_RESIZE) {
		out = reserved_gdt_bytes(g);
		if (out > b)
			out = b;
		m->overhead_gdt += out;
	} else if (kind == PD_EXT4_META_JOURNAL) {
		/* An internal journal is i_size bytes of blocks in the
		 * overhead (j_total_len); what it has beyond is its extent
		 * tree. */
		out = in->size - in->size % g->block_size;
		if (out > b)
			out = b;
		m->journal_size += out;
	}
	m->bytes[kind] += b - out;
	m->total += b - out;
	return kind;
}

/* Read inode INO of G from FD. */
static int read_inode(int fd, const struct pd_ext4_geom *g, uint32_t ino,
		      struct pd_ext4_inode *ret)
{
	unsigned char desc[64], rec[256];
	uint64_t table, group = pd_ext4_inode_group(g, ino);
	size_t n = g->inode_size < sizeof(rec) ? g->inode_size : sizeof(rec);
	int r;

	if (group >= pd_ext4_groups(g))
		return -EINVAL;
	r = pd_blkdev_pread(fd, desc, g->desc_size < sizeof(desc) ? g->desc_size :
			sizeof(desc), pd_ext4_desc_offset(g, group));
	if (r < 0)
		return r;
	r = pd_ext4_desc_parse(g, desc, sizeof(desc) < g->desc_size ?
			       sizeof(desc) : g->desc_size, &table);
	if (r < 0)
		return r;
	r = pd_blkdev_pread(fd, rec, n, table * g->block_size +
		       pd_ext4_inode_offset(g, ino));
	if (r < 0)
		return r;
	return pd_ext4_inode_parse(g, rec, n, ret);
}

int pd_ext4_meta_read_fd(int fd, dev_t dev, struct pd_ext4_meta *ret)
{
	unsigned char sb[EXT4_SB_SIZE];
	struct pd_ext4_meta m;
	struct pd_ext4_geom g;
	struct pd_ext4_inode in;
	uint32_t extra[5], ino;
	size_t i;
	int r;

	r = pd_blkdev_check(fd, dev);
	if (r < 0)
		return r;
	r = pd_blkdev_pread(fd, sb, sizeof(sb), EXT4_SB_OFFSET);
	if (r < 0)
		return r;
	r = pd_ext4_geom_parse(sb, sizeof(sb), &g);
	if (r < 0)
		return r;
	memset(&m, 0, sizeof(m));
	/* the reserved inodes, then those the superblock names elsewhere */
	for (ino = 1; ino < g.first_ino; ino++) {
		if (kind_of(&g, ino) < 0)
			continue;
		r = read_inode(fd, &g, ino, &in);
		if (r < 0)
			return r;
		pd_ext4_meta_add(&g, ino, &in, &m);
	}
	extra[0] = g.journal_inum;
	extra[1] = g.quota_inum[0];
	extra[2] = g.quota_inum[1];
	extra[3] = g.quota_inum[2];
	extra[4] = g.orphan_file_inum;
	for (i = 0; i < 5; i++) {
		size_t j;

		if (extra[i] < g.first_ino || extra[i] > g.inodes)
			continue;
		for (j = 0; j < i; j++)
			if (extra[j] == extra[i])
				break;
		if (j < i)
			continue;
		r = read_inode(fd, &g, extra[i], &in);
		if (r < 0)
			return r;
		pd_ext4_meta_add(&g, extra[i], &in, &m);
	}
	*ret = m;
	return 0;
}

int pd_ext4_meta_read(const char *path, dev_t dev, struct pd_ext4_meta *ret)
{
	int fd, r;

	fd = pd_blkdev_open(path, dev);
	if (fd < 0)
		return fd;
	r = pd_ext4_meta_read_fd(fd, dev, ret);
	close(fd);
	return r;
}
