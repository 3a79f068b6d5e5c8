/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsspace: the df side: statvfs arithmetic, and what each file system type
 * keeps for itself (ext4's reserves, XFS's reserve pool). */
#include "fsspace.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "blkdev.h"

void pd_fsspace_compute(const struct pd_statvfs *v, struct pd_fsspace *ret)
{
	struct pd_fsspace s;

	s.size = v->blocks * v->frsize;
	s.used = (v->blocks >= v->bfree ? v->blocks - v->bfree : 0) * v->frsize;
	s.avail = v->bavail * v->frsize;
	s.reserved = (v->bfree >= v->bavail ? v->bfree - v->bavail : 0) *
		     v->frsize;
	s.inodes = v->files;
	s.iused = v->files >= v->ffree ? v->files - v->ffree : 0;
	*ret = s;
}

bool pd_fsspace_iuse_pct(const struct pd_fsspace *s, int64_t *ret)
{
	if (!s->inodes)
		return false;
	*ret = (int64_t)((unsigned __int128)s->iused * 100 * 10000 /
			 s->inodes);
	return true;
}

bool pd_fsspace_inodes_short(const struct pd_fsspace *s)
{
	uint64_t ifree;

	if (!s->inodes || !s->size)
		return false;
	ifree = s->inodes - s->iused;
	return (unsigned __int128)ifree * 100 <
	       (unsigned __int128)s->inodes * PD_INODES_SHORT_PCT &&
	       (unsigned __int128)s->avail * 100 >
	       (unsigned __int128)s->size * PD_BLOCKS_FREE_PCT;
}

int pd_fsspace_read(int fd, struct pd_statvfs *ret)
{
	struct statvfs sv;

	if (fstatvfs(fd, &sv) < 0)
		return -errno;
	ret->frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
	ret->blocks = sv.f_blocks;
	ret->bfree = sv.f_bfree;
	ret->bavail = sv.f_bavail;
	ret->files = sv.f_files;
	ret->ffree = sv.f_ffree;
	return 0;
}

/* Does the escaped field F (LEN bytes) name TARGET? */
static bool field_is(const char *f, size_t len, const char *target)
{
	size_t i = 0;

	while (i < len) {
		int c = (unsigned char)f[i];

		if (c == '\\' && i + 3 < len + 0 && f[i + 1] >= '0' &&
		    f[i + 1] <= '3' && f[i + 2] >= '0' && f[i + 2] <= '7' &&
		    f[i + 3] >= '0' && f[i + 3] <= '7') {
			c = (f[i + 1] - '0') * 64 + (f[i + 2] - '0') * 8 +
			    (f[i + 3] - '0');
			i += 4;
		} else {
			i++;
		}
		if (!*target || (unsigned char)*target != c)
			return false;
		target++;
	}
	return !*target;
}

/* A decimal u64 at *P up to a blank or the line's end; advances *P. */
static int parse_u64(const char **p, const char *end, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;

	while (s < end && *s == ' ')
		s++;
	if (s == end || *s < '0' || *s > '9')
		return -EINVAL;
	while (s < end && *s >= '0' && *s <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
		s++;
	}
	if (s < end && *s != ' ')
		return -EINVAL;
	*p = s;
	*ret = v;
	return 0;
}

int pd_fsspace_capture_parse(const char *buf, size_t len, const char *target,
			     struct pd_statvfs *ret)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *f, *fend;
		struct pd_statvfs v;
		uint64_t *vals[6] = { &v.frsize, &v.blocks, &v.bfree,
				      &v.bavail, &v.files, &v.ffree };
		size_t i;

		if (!eol)
			eol = end;
		f = p;
		while (p < eol && *p != ' ')
			p++;
		fend = p;
		if (fend == f)
			return -EINVAL;
		for (i = 0; i < 6; i++)
			if (parse_u64(&p, eol, vals[i]) < 0)
				return -EINVAL;
		/* every size in bytes fits in 64 bits, as the kernel's do */
		if (p != eol || v.frsize == 0 ||
		    v.blocks > UINT64_MAX / v.frsize ||
		    v.bfree > UINT64_MAX / v.frsize ||
		    v.bavail > UINT64_MAX / v.frsize)
			return -EINVAL;
		if (field_is(f, (size_t)(fend - f), target)) {
			*ret = v;
			return 0;
		}
		p = eol + 1;
	}
	return -ENOENT;
}

static uint32_t le32(const unsigned char *b, size_t off)
{
	return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
	       (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

#define EXT4_MAGIC 0xEF53
#define EXT4_INCOMPAT_64BIT 0x80
#define EXT4_RO_COMPAT_BIGALLOC 0x200

int pd_ext4_sb_parse(const void *buf, size_t len, struct pd_ext4_sb *ret)
{
	const unsigned char *b = buf;
	uint32_t logb, logc, incompat, ro;
	struct pd_ext4_sb sb;

	if (len < PD_EXT4_SB_SIZE)
		return -EINVAL;
	if ((b[0x38] | b[0x39] << 8) != EXT4_MAGIC)
		return -EINVAL;
	logb = le32(b, 0x18);
	logc = le32(b, 0x1c);
	incompat = le32(b, 0x60);
	ro = le32(b, 0x64);
	/* 1 KiB to 64 KiB blocks; clusters up to 2^16 blocks */
	if (logb > 6 || (ro & EXT4_RO_COMPAT_BIGALLOC && (logc < logb ||
							 logc > logb + 16)))
		return -EINVAL;
	sb.block_size = 1024u << logb;
	sb.cluster_size = ro & EXT4_RO_COMPAT_BIGALLOC ? 1024u << logc :
			  sb.block_size;
	sb.blocks = le32(b, 0x04);
	sb.r_blocks = le32(b, 0x08);
	sb.free_blocks = le32(b, 0x0c);
	if (incompat & EXT4_INCOMPAT_64BIT) {
		sb.blocks |= (uint64_t)le32(b, 0x150) << 32;
		sb.r_blocks |= (uint64_t)le32(b, 0x154) << 32;
		sb.free_blocks |= (uint64_t)le32(b, 0x158) << 32;
	}
	sb.overhead = le32(b, 0x248);
	*ret = sb;
	return 0;
}

int pd_ext4_sb_read(int fd, dev_t dev, struct pd_ext4_sb *ret)
{
	unsigned char buf[PD_EXT4_SB_SIZE];
	struct stat st;
	int r;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode) || (dev && st.st_rdev != dev))
		return -ENODEV;
	r = pd_blkdev_pread(fd, buf, sizeof(buf), PD_EXT4_SB_OFFSET);
	if (r < 0)
		return r;
	return pd_ext4_sb_parse(buf, sizeof(buf), ret);
}

bool pd_ext4_reserve_split(const struct pd_statvfs *v,
			   const struct pd_ext4_sb *sb, uint64_t resv_clusters,
			   struct pd_ext4_reserve *ret)
{
	uint64_t r_blocks = sb->r_blocks;
	uint64_t resv_blocks = resv_clusters * (sb->cluster_size /
						sb->block_size);

	ret->root = r_blocks * sb->block_size;
	ret->kernel = resv_blocks * sb->block_size;
	if (v->frsize != sb->block_size || v->bavail == 0)
		return false;
	return v->bfree - v->bavail == r_blocks + resv_blocks;
}

int pd_ext4_resv_parse(const char *buf, size_t len, uint64_t *ret)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;

	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	if (parse_u64(&p, end, &v) < 0 || p != end)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* XFS_IOC_GET_RESBLKS from xfs_fs.h, which xfsprogs' headers would give. */
struct pd_xfs_resblks {
	uint64_t resblks;
	uint64_t resblks_avail;
};
#define PD_XFS_IOC_GET_RESBLKS _IOR('X', 115, struct pd_xfs_resblks)

/* XFS_IOC_FSGEOMETRY_V1 from xfs_fs.h (struct xfs_fsop_geom_v1). */
struct pd_xfs_geom_v1 {
	uint32_t blocksize, rtextsize, agblocks, agcount, logblocks;
	uint32_t sectsize, inodesize, imaxpct;
	uint64_t datablocks, rtblocks, rtextents, logstart;
	unsigned char uuid[16];
	uint32_t sunit, swidth;
	int32_t version;
	uint32_t flags, logsectsize, rtsectsize, dirblocksize;
};
#define PD_XFS_IOC_FSGEOMETRY_V1 _IOR('X', 100, struct pd_xfs_geom_v1)
#define PD_XFS_FSOP_GEOM_FLAGS_REFLINK (1u << 20)

int pd_xfs_reflink_read(int fd, bool *ret)
{
	struct pd_xfs_geom_v1 g;

	if (ioctl(fd, PD_XFS_IOC_FSGEOMETRY_V1, &g) < 0)
		return -errno;
	*ret = (g.flags & PD_XFS_FSOP_GEOM_FLAGS_REFLINK) != 0;
	return 0;
}

int pd_xfs_resblks_read(int fd, uint64_t block_size, uint64_t *ret_bytes)
{
	struct pd_xfs_resblks res;

	if (ioctl(fd, PD_XFS_IOC_GET_RESBLKS, &res) < 0)
		return -errno;
	*ret_bytes = res.resblks_avail * block_size;
	return 0;
}
