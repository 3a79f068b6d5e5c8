/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xfsspace: XFS's df "used" to the last block. */
#include "xfsspace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "fsspace.h"

#define XFS_SB_MAGIC 0x58465342		/* XFSB */
#define XFS_AGF_MAGIC 0x58414746	/* XAGF */
#define XFS_AGI_MAGIC 0x58414749	/* XAGI */
#define XFS_SB_VERSION_5 5
#define RO_COMPAT_FINOBT 0x1
#define RO_COMPAT_RMAPBT 0x2
#define RO_COMPAT_REFLINK 0x4
#define RO_COMPAT_INOBTCNT 0x8
#define XFS_INODES_PER_CHUNK 64
/* xfs_alloc_set_aside(): refill an empty AGFL (4) + a bmbt split (4) */
#define XFS_SET_ASIDE_PER_AG 8
/* btree block headers with CRCs (XFS_BTREE_SBLOCK_CRC_LEN), without */
#define XFS_SBLOCK_CRC_LEN 56
#define XFS_SBLOCK_LEN 16
#define MAX_AGS (1u << 20)

static uint16_t be16(const unsigned char *b, size_t off)
{
	return (uint16_t)(b[off] << 8 | b[off + 1]);
}

static uint32_t be32(const unsigned char *b, size_t off)
{
	return (uint32_t)b[off] << 24 | (uint32_t)b[off + 1] << 16 |
	       (uint32_t)b[off + 2] << 8 | (uint32_t)b[off + 3];
}

static uint64_t be64(const unsigned char *b, size_t off)
{
	return (uint64_t)be32(b, off) << 32 | be32(b, off + 4);
}

int pd_xfs_sb_parse(const void *buf, size_t len, struct pd_xfs_sb *ret)
{
	const unsigned char *b = buf;
	struct pd_xfs_sb sb;
	uint32_t ro;

	if (len < 256 || be32(b, 0) != XFS_SB_MAGIC)
		return -EINVAL;
	memset(&sb, 0, sizeof(sb));
	sb.blocksize = be32(b, 4);
	sb.dblocks = be64(b, 8);
	sb.logstart = be64(b, 48);
	sb.agblocks = be32(b, 84);
	sb.agcount = be32(b, 88);
	sb.logblocks = be32(b, 96);
	sb.crc = (be16(b, 100) & 0xf) == XFS_SB_VERSION_5;
	sb.sectsize = be16(b, 102);
	sb.inodesize = be16(b, 104);
	sb.inopblock = be16(b, 106);
	sb.agblklog = b[124];
	if (sb.crc) {
		ro = be32(b, 212);
		sb.finobt = ro & RO_COMPAT_FINOBT;
		sb.rmapbt = ro & RO_COMPAT_RMAPBT;
		sb.reflink = ro & RO_COMPAT_REFLINK;
		sb.inobtcount = ro & RO_COMPAT_INOBTCNT;
	}
	/* xfs_validate_sb_common()'s ranges */
	if (sb.blocksize < 512 || sb.blocksize > 65536 ||
	    (sb.blocksize & (sb.blocksize - 1)))
		return -EINVAL;
	if (sb.sectsize < 512 || sb.sectsize > 32768 ||
	    (sb.sectsize & (sb.sectsize - 1)) || sb.sectsize > sb.blocksize)
		return -EINVAL;
	if (sb.inodesize < 256 || sb.inodesize > 2048 ||
	    (sb.inodesize & (sb.inodesize - 1)) ||
	    sb.inopblock != sb.blocksize / sb.inodesize)
		return -EINVAL;
	if (sb.agcount == 0 || sb.agcount > MAX_AGS || sb.agblocks < 64 ||
	    sb.agblklog > 31 || (1ull << sb.agblklog) < sb.agblocks ||
	    sb.dblocks > (uint64_t)sb.agcount * sb.agblocks ||
	    sb.dblocks <= (uint64_t)(sb.agcount - 1) * sb.agblocks)
		return -EINVAL;
	if (sb.logstart && sb.logblocks >= sb.agblocks)
		return -EINVAL;
	*ret = sb;
	return 0;
}

int pd_xfs_ag_parse(const struct pd_xfs_sb *sb, uint32_t agno,
		    const void *agf, size_t agf_len, const void *agi,
		    size_t agi_len, struct pd_xfs_ag *ret)
{
	const unsigned char *f = agf, *i = agi;
	struct pd_xfs_ag ag;

	if (agf_len < 344 || agi_len < 344 || be32(f, 0) != XFS_AGF_MAGIC ||
	    be32(i, 0) != XFS_AGI_MAGIC || be32(f, 8) != agno ||
	    be32(i, 8) != agno)
		return -EINVAL;
	ag.length = be32(f, 12);
	ag.flcount = be32(f, 48);
	ag.freeblks = be32(f, 52);
	ag.btreeblks = be32(f, 60);
	ag.rmap_blocks = sb->rmapbt ? be32(f, 80) : 0;
	ag.refcount_blocks = sb->reflink ? be32(f, 84) : 0;
	ag.icount = be32(i, 16);
	ag.iblocks = sb->inobtcount ? be32(i, 336) : 0;
	ag.fblocks = sb->inobtcount ? be32(i, 340) : 0;
	if (ag.length == 0 || ag.length > sb->agblocks ||
	    be32(i, 12) != ag.length)
		return -EINVAL;
	/* every count is a part of the AG: a sum past it is corrupt */
	if ((uint64_t)ag.freeblks + ag.flcount + ag.btreeblks > ag.length ||
	    (uint64_t)ag.rmap_blocks + ag.refcount_blocks + ag.iblocks +
	    ag.fblocks > ag.length ||
	    (uint64_t)ag.icount * sb->inodesize / sb->blocksize > ag.length)
		return -EINVAL;
	*ret = ag;
	return 0;
}

/* xfs_btree_calc_size(): the most blocks a btree of RECORDS records with
 * at least MINRECS[0] per leaf and MINRECS[1] per node can take. */
static uint64_t btree_calc_size(const uint32_t minrecs[2], uint64_t records)
{
	uint64_t blocks = 0, len = records;
	uint32_t per = minrecs[0];

	while (len > 1) {
		len = (len + per - 1) / per;
		per = minrecs[1];
		blocks += len;
	}
	return blocks;
}

/* The minimum records of a btree whose leaf records are REC bytes and
 * node entries KEY + 4-byte pointer (xfs_*bt_maxrecs() / 2). */
static void minrecs(const struct pd_xfs_sb *sb, uint32_t rec, uint32_t key,
		    uint32_t ret[2])
{
	uint32_t room = sb->blocksize - (sb->crc ? XFS_SBLOCK_CRC_LEN :
					 XFS_SBLOCK_LEN);

	ret[0] = room / rec / 2;
	ret[1] = room / (key + 4) / 2;
}

static bool ag_has_log(const struct pd_xfs_sb *sb, uint32_t agno)
{
	return sb->logstart && sb->logstart >> sb->agblklog == agno;
}

void pd_xfs_ag_resv(const struct pd_xfs_sb *sb, uint32_t agno,
		    const struct pd_xfs_ag *ag, struct pd_xfs_ag_resv *ret)
{
	struct pd_xfs_ag_resv r = { 0 };
	uint64_t agblocks = ag->length;
	uint32_t mr[2];

	/* "The log is permanently allocated, so the space it occupies
	 * will never be available for ... btree expansion." */
	if (ag_has_log(sb, agno) && agblocks > sb->logblocks)
		agblocks -= sb->logblocks;
	if (sb->reflink) {
		/* xfs_refcountbt_calc_reserves(): 12-byte records, 4-byte keys */
		minrecs(sb, 12, 4, mr);
		r.meta_ask += btree_calc_size(mr, agblocks);
		r.meta_used += ag->refcount_blocks;
	}
	if (sb->finobt) {
		/* xfs_finobt_calc_reserves(): one 16-byte record per chunk */
		minrecs(sb, 16, 4, mr);
		r.meta_ask += btree_calc_size(mr, agblocks * sb->inopblock /
					      XFS_INODES_PER_CHUNK);
		r.meta_used += ag->fblocks;
	}
	if (sb->rmapbt) {
		/* xfs_rmapbt_calc_reserves(): 24-byte records, 20-byte keys
		 * twice (low and high), and at least 1% of the AG */
		uint64_t max;

		minrecs(sb, 24, 40, mr);
		max = btree_calc_size(mr, agblocks);
		r.rmap_ask = agblocks / 100 > max ? agblocks / 100 : max;
		r.rmap_used = ag->rmap_blocks;
	}
	/* __xfs_ag_resv_init(): the rmapbt lives in the free space, so all
	 * of its reservation leaves fdblocks; other btrees' blocks are
	 * already used, so only what they have not taken yet */
	r.hidden = r.rmap_ask +
		   (r.meta_ask > r.meta_used ? r.meta_ask - r.meta_used : 0);
	*ret = r;
}

void pd_xfs_space_compute(const struct pd_xfs_sb *sb,
			  const struct pd_xfs_ag *ags, size_t nags,
			  uint64_t resblks, struct pd_xfs_space *ret)
{
	/* the AGFL sits in sector 3: header blocks are 0 to its block */
	uint64_t hdr = (uint64_t)3 * sb->sectsize / sb->blocksize + 1;
	uint64_t bs = sb->blocksize;
	struct pd_xfs_space s;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.exact = !sb->finobt || sb->inobtcount;
	for (i = 0; i < nags; i++) {
		const struct pd_xfs_ag *ag = &ags[i];
		struct pd_xfs_ag_resv r;
		uint64_t rmap_more;

		pd_xfs_ag_resv(sb, (uint32_t)i, ag, &r);
		s.headers += hdr * bs;
		/* bno and cnt roots; the rmapbt's blocks past its root are
		 * in agf_btreeblks with the free-space btrees' */
		s.btrees += (2 + ag->iblocks + ag->fblocks +
			     ag->refcount_blocks + (sb->rmapbt ? 1 : 0)) * bs;
		s.inodes += (uint64_t)ag->icount * sb->inodesize;
		s.ag_resv_meta += (r.meta_ask > r.meta_used ?
				   r.meta_ask - r.meta_used : 0) * bs;
		s.ag_resv_rmap += r.rmap_ask * bs;
		rmap_more = ag->rmap_blocks ? ag->rmap_blocks - 1 : 0;
		s.allocbt += (ag->btreeblks > rmap_more ?
			      ag->btreeblks - rmap_more : 0) * bs;
		s.free += ((uint64_t)ag->freeblks + ag->flcount +
			   ag->btreeblks) * bs;
	}
	s.set_aside = (uint64_t)sb->agcount * XFS_SET_ASIDE_PER_AG * bs;
	s.resblks = resblks * bs;
	s.log = sb->logstart ? (uint64_t)sb->logblocks * bs : 0;
	s.total = s.headers + s.btrees + s.inodes + s.ag_resv_meta +
		  s.ag_resv_rmap + s.set_aside + s.allocbt + s.resblks;
	*ret = s;
}

int pd_xfs_space_read_fd(int fd, int dfd, dev_t dev,
			 struct pd_xfs_space *ret)
{
	unsigned char *hdr = NULL;
	struct pd_xfs_ag *ags = NULL;
	struct pd_xfs_sb sb;
	uint64_t resblks;
	uint32_t i;
	int r;

	r = pd_blkdev_check(dfd, dev);
	if (r < 0)
		return r;
	hdr = malloc(3 * 32768);
	if (!hdr)
		return -ENOMEM;
	r = pd_blkdev_pread(dfd, hdr, 512, 0);
	if (r < 0)
		goto out_free;
	r = pd_xfs_sb_parse(hdr, 512, &sb);
	if (r < 0)
		goto out_free;
	ags = calloc(sb.agcount, sizeof(*ags));
	if (!ags) {
		r = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < sb.agcount; i++) {
		uint64_t off = (uint64_t)i * sb.agblocks * sb.blocksize;

		/* sectors 0-2: the superblock copy, the AGF, the AGI */
		r = pd_blkdev_pread(dfd, hdr, 3 * (size_t)sb.sectsize, off);
		if (r < 0)
			goto out_free;
		r = pd_xfs_ag_parse(&sb, i, hdr + sb.sectsize, sb.sectsize,
				    hdr + 2 * sb.sectsize, sb.sectsize,
				    &ags[i]);
		if (r < 0)
			goto out_free;
	}
	r = pd_xfs_resblks_read(fd, 1, &resblks);
	if (r < 0)
		goto out_free;
	pd_xfs_space_compute(&sb, ags, sb.agcount, resblks, ret);
out_free:
	free(ags);
	free(hdr);
	return r;
}

int pd_xfs_space_read(int fd, const char *path, dev_t dev,
		      struct pd_xfs_space *ret)
{
	int dfd, r;

	dfd = pd_blkdev_open(path, dev);
	if (dfd < 0)
		return dfd;
	r = pd_xfs_space_read_fd(fd, dfd, dev, ret);
	close(dfd);
	return r;
}
