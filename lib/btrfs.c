/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs: where a btrfs's df "used" goes, read-only. */
#include "btrfs.h"

#include <endian.h>
#include <errno.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define MAX_EXTENT (1ull << 32)
#define PROFILE_MASK (BTRFS_BLOCK_GROUP_PROFILE_MASK)
#define TYPE_MASK (BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_METADATA | \
		   BTRFS_BLOCK_GROUP_SYSTEM)

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

int pd_btrfs_search_next(const void *buf, size_t len, size_t *pos,
			 struct pd_btrfs_item *ret)
{
	struct btrfs_ioctl_search_header h;
	const unsigned char *b = buf;

	if (*pos == len)
		return 1;
	if (*pos > len || len - *pos < sizeof(h))
		return -EINVAL;
	memcpy(&h, b + *pos, sizeof(h));
	if (h.len > len - *pos - sizeof(h))
		return -EINVAL;
	ret->objectid = h.objectid;
	ret->offset = h.offset;
	ret->transid = h.transid;
	ret->type = h.type;
	ret->len = h.len;
	ret->data = b + *pos + sizeof(h);
	*pos += sizeof(h) + h.len;
	return 0;
}

unsigned pd_btrfs_ncopies(uint64_t flags)
{
	switch (flags & PROFILE_MASK) {
	case BTRFS_BLOCK_GROUP_DUP:
	case BTRFS_BLOCK_GROUP_RAID1:
	case BTRFS_BLOCK_GROUP_RAID10:
		return 2;
	case BTRFS_BLOCK_GROUP_RAID1C3:
		return 3;
	case BTRFS_BLOCK_GROUP_RAID1C4:
		return 4;
	default:	/* single, RAID0, RAID5, RAID6 */
		return 1;
	}
}

const char *pd_btrfs_profile_name(uint64_t flags)
{
	switch (flags & PROFILE_MASK) {
	case 0:
		return "single";
	case BTRFS_BLOCK_GROUP_DUP:
		return "DUP";
	case BTRFS_BLOCK_GROUP_RAID0:
		return "RAID0";
	case BTRFS_BLOCK_GROUP_RAID1:
		return "RAID1";
	case BTRFS_BLOCK_GROUP_RAID1C3:
		return "RAID1C3";
	case BTRFS_BLOCK_GROUP_RAID1C4:
		return "RAID1C4";
	case BTRFS_BLOCK_GROUP_RAID10:
		return "RAID10";
	case BTRFS_BLOCK_GROUP_RAID5:
		return "RAID5";
	case BTRFS_BLOCK_GROUP_RAID6:
		return "RAID6";
	default:
		return "mixed";
	}
}

int pd_btrfs_space_parse(const void *buf, size_t len,
			 struct pd_btrfs_space *ret)
{
	const struct btrfs_ioctl_space_args *a = buf;
	struct pd_btrfs_space s;
	uint64_t i, n;

	if (len < sizeof(*a))
		return -EINVAL;
	n = a->total_spaces < a->space_slots ? a->total_spaces :
	    a->space_slots;
	if (n > (len - sizeof(*a)) / sizeof(a->spaces[0]))
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	for (i = 0; i < n; i++) {
		struct btrfs_ioctl_space_info si;
		int k;

		memcpy(&si, (const unsigned char *)buf + sizeof(*a) +
		       i * sizeof(si), sizeof(si));
		if (si.flags & BTRFS_SPACE_INFO_GLOBAL_RSV) {
			s.global_rsv += si.total_bytes;
			continue;
		}
		/* mixed block groups are data and metadata: df counts
		 * them with data */
		if ((si.flags & BTRFS_BLOCK_GROUP_DATA) &&
		    (si.flags & BTRFS_BLOCK_GROUP_METADATA))
			s.mixed = true;
		if (si.flags & BTRFS_BLOCK_GROUP_DATA)
			k = PD_BTRFS_DATA;
		else if (si.flags & BTRFS_BLOCK_GROUP_METADATA)
			k = PD_BTRFS_METADATA;
		else if (si.flags & BTRFS_BLOCK_GROUP_SYSTEM)
			k = PD_BTRFS_SYSTEM;
		else
			continue;
		s.total[k] += si.total_bytes;
		s.used[k] += si.used_bytes;
		s.disk_used[k] += si.used_bytes * pd_btrfs_ncopies(si.flags);
		s.profile[k] = si.flags & PROFILE_MASK;
		s.nprofiles[k]++;
	}
	*ret = s;
	return 0;
}

uint64_t pd_btrfs_df_used(const struct pd_btrfs_space *s, uint64_t bsize)
{
	uint64_t factor = pd_btrfs_ncopies(s->profile[PD_BTRFS_DATA]);
	uint64_t total = 0;
	int k;

	for (k = 0; k < PD_BTRFS_NKINDS; k++)
		total += s->disk_used[k];
	return total / factor / bsize * bsize + s->global_rsv / bsize * bsize;
}

int pd_btrfs_chunk_parse(const struct pd_btrfs_item *it,
			 struct pd_btrfs_chunk *ret)
{
	struct btrfs_chunk c;
	uint64_t data_stripes, per_dev;
	uint16_t sub;

	if (it->type != BTRFS_CHUNK_ITEM_KEY || it->len < sizeof(c))
		return -EINVAL;
	memcpy(&c, it->data, sizeof(c));
	ret->type = le64toh(c.type);
	ret->length = le64toh(c.length);
	ret->num_stripes = le16toh(c.num_stripes);
	sub = le16toh(c.sub_stripes);
	if (ret->num_stripes == 0 ||
	    it->len < sizeof(c) + (ret->num_stripes - 1) *
	    sizeof(struct btrfs_stripe))
		return -EINVAL;
	/* what one device's stripe holds: a whole copy, or a share */
	switch (ret->type & PROFILE_MASK) {
	case BTRFS_BLOCK_GROUP_RAID0:
		data_stripes = ret->num_stripes;
		break;
	case BTRFS_BLOCK_GROUP_RAID10:
		data_stripes = ret->num_stripes / (sub ? sub : 2);
		break;
	case BTRFS_BLOCK_GROUP_RAID5:
		data_stripes = ret->num_stripes - 1;
		break;
	case BTRFS_BLOCK_GROUP_RAID6:
		data_stripes = ret->num_stripes - 2;
		break;
	default:
		data_stripes = 1;
	}
	if (data_stripes == 0 || data_stripes > ret->num_stripes)
		return -EINVAL;
	per_dev = ret->length / data_stripes;
	if (per_dev > UINT64_MAX / ret->num_stripes)
		return -EINVAL;
	ret->raw = per_dev * ret->num_stripes;
	return 0;
}

int pd_btrfs_file_extent_parse(const struct pd_btrfs_item *it,
			       struct pd_btrfs_file_extent *ret)
{
	/* the inline data starts where disk_bytenr would */
	const size_t head = offsetof(struct btrfs_file_extent_item,
				     disk_bytenr);
	const unsigned char *d = it->data;
	struct pd_btrfs_file_extent fe;

	if (it->type != BTRFS_EXTENT_DATA_KEY || it->len < head)
		return -EINVAL;
	memset(&fe, 0, sizeof(fe));
	fe.ino = it->objectid;
	fe.file_offset = it->offset;
	fe.ram_bytes = get64(d + offsetof(struct btrfs_file_extent_item,
					  ram_bytes));
	fe.compression = d[offsetof(struct btrfs_file_extent_item,
				    compression)];
	fe.type = d[offsetof(struct btrfs_file_extent_item, type)];
	if (fe.type == BTRFS_FILE_EXTENT_INLINE) {
		*ret = fe;
		return 0;
	}
	if ((fe.type != BTRFS_FILE_EXTENT_REG &&
	     fe.type != BTRFS_FILE_EXTENT_PREALLOC) ||
	    it->len < sizeof(struct btrfs_file_extent_item))
		return -EINVAL;
	fe.disk_bytenr = get64(d + offsetof(struct btrfs_file_extent_item,
					    disk_bytenr));
	fe.disk_num_bytes = get64(d + offsetof(struct btrfs_file_extent_item,
					       disk_num_bytes));
	fe.offset = get64(d + offsetof(struct btrfs_file_extent_item, offset));
	fe.num_bytes = get64(d + offsetof(struct btrfs_file_extent_item,
					  num_bytes));
	/* a reference past its extent's logical end is corrupt, and so is
	 * an extent over 4 GiB (BTRFS_MAX_EXTENT_SIZE is 128 MiB): sums
	 * over PD_BTRFS_MAX_REFS references then never wrap */
	if (fe.disk_bytenr && (fe.offset > fe.ram_bytes ||
			       fe.num_bytes > fe.ram_bytes - fe.offset ||
			       fe.ram_bytes > MAX_EXTENT ||
			       fe.disk_num_bytes > MAX_EXTENT))
		return -EINVAL;
	*ret = fe;
	return 0;
}

int pd_btrfs_inode_parse(const struct pd_btrfs_item *it,
			 struct pd_btrfs_inode *ret)
{
	const unsigned char *d = it->data;

	if (it->type != BTRFS_INODE_ITEM_KEY ||
	    it->len < sizeof(struct btrfs_inode_item))
		return -EINVAL;
	ret->ino = it->objectid;
	ret->nbytes = get64(d + offsetof(struct btrfs_inode_item, nbytes));
	ret->nlink = get32(d + offsetof(struct btrfs_inode_item, nlink));
	ret->mode = get32(d + offsetof(struct btrfs_inode_item, mode));
	return 0;
}

int pd_btrfs_extent_item_parse(const struct pd_btrfs_item *it, bool *ret_data)
{
	if (it->type != BTRFS_EXTENT_ITEM_KEY ||
	    it->len < sizeof(struct btrfs_extent_item))
		return -EINVAL;
	*ret_data = get64(it->data + offsetof(struct btrfs_extent_item,
					      flags)) &
		    BTRFS_EXTENT_FLAG_DATA;
	return 0;
}

int pd_btrfs_qgroup_parse(const struct pd_btrfs_item *it,
			  struct pd_btrfs_qgroup *ret)
{
	const unsigned char *d = it->data;

	if (it->type != BTRFS_QGROUP_INFO_KEY ||
	    it->len < sizeof(struct btrfs_qgroup_info_item))
		return -EINVAL;
	ret->id = it->offset;
	ret->rfer = get64(d + offsetof(struct btrfs_qgroup_info_item, rfer));
	ret->rfer_cmpr = get64(d + offsetof(struct btrfs_qgroup_info_item,
					    rfer_cmpr));
	ret->excl = get64(d + offsetof(struct btrfs_qgroup_info_item, excl));
	ret->excl_cmpr = get64(d + offsetof(struct btrfs_qgroup_info_item,
					    excl_cmpr));
	return 0;
}

int pd_btrfs_subvol_parse(const struct pd_btrfs_item *it,
			  struct pd_btrfs_subvol *sv)
{
	const unsigned char *d = it->data;
	static const unsigned char zero[BTRFS_UUID_SIZE];

	sv->id = it->objectid;
	if (it->type == BTRFS_ROOT_ITEM_KEY) {
		const size_t puuid = offsetof(struct btrfs_root_item,
					      parent_uuid);

		/* old root items end before the uuids */
		if (it->len < offsetof(struct btrfs_root_item, refs) + 4)
			return -EINVAL;
		sv->generation = get64(d + offsetof(struct btrfs_root_item,
						    generation));
		sv->readonly = get64(d + offsetof(struct btrfs_root_item,
						  flags)) &
			       BTRFS_ROOT_SUBVOL_RDONLY;
		sv->deleted = get32(d + offsetof(struct btrfs_root_item,
						 refs)) == 0;
		sv->snapshot = it->len >= puuid + BTRFS_UUID_SIZE &&
			       memcmp(d + puuid, zero, BTRFS_UUID_SIZE) != 0;
		return 0;
	}
	if (it->type == BTRFS_ROOT_BACKREF_KEY) {
		size_t n;

		if (it->len < sizeof(struct btrfs_root_ref))
			return -EINVAL;
		n = get16(d + offsetof(struct btrfs_root_ref, name_len));
		if (n > it->len - sizeof(struct btrfs_root_ref) ||
		    n >= sizeof(sv->name))
			return -EINVAL;
		sv->parent = it->offset;
		memcpy(sv->name, d + sizeof(struct btrfs_root_ref), n);
		sv->name[n] = '\0';
		return 0;
	}
	return -EINVAL;
}

/* --- one subvolume's references ---------------------------------------- */

struct ref {
	uint64_t bytenr, offset, num, disk, ram;
};

struct pd_btrfs_refs {
	uint32_t sectorsize;
	struct ref *v;
	size_t n, cap;
	/* the inode being fed */
	bool have;
	struct pd_btrfs_inode cur;
	uint64_t cur_refd;
	struct pd_btrfs_usage u;
	bool finished;
};

int pd_btrfs_refs_new(uint32_t sectorsize, struct pd_btrfs_refs **ret)
{
	struct pd_btrfs_refs *r;

	if (sectorsize == 0 || (sectorsize & (sectorsize - 1)))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->sectorsize = sectorsize;
	*ret = r;
	return 0;
}

void pd_btrfs_refs_free(struct pd_btrfs_refs *r)
{
	if (!r)
		return;
	free(r->v);
	free(r);
}

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

/* Close the inode being fed: what du counts of it. */
static void close_inode(struct pd_btrfs_refs *r)
{
	uint64_t du;

	if (!r->have)
		return;
	du = round_up(r->cur.nbytes, r->sectorsize);
	r->u.du += du;
	if (S_ISDIR(r->cur.mode))
		r->u.dirs += du;
	else {
		r->u.files++;
		/* beyond its extents' bytes: inline data in the metadata */
		if (du > r->cur_refd)
			r->u.inline_du += du - r->cur_refd;
	}
	if (r->cur.nlink == 0)
		r->u.orphans += du;
	r->have = false;
}

int pd_btrfs_refs_add(struct pd_btrfs_refs *r, const struct pd_btrfs_item *it)
{
	struct pd_btrfs_file_extent fe;
	struct pd_btrfs_inode in;
	int e;

	if (it->type == BTRFS_INODE_ITEM_KEY) {
		e = pd_btrfs_inode_parse(it, &in);
		if (e < 0)
			return e;
		close_inode(r);
		r->cur = in;
		r->cur_refd = 0;
		r->have = true;
		return 0;
	}
	if (it->type != BTRFS_EXTENT_DATA_KEY)
		return 0;
	e = pd_btrfs_file_extent_parse(it, &fe);
	if (e < 0)
		return e;
	if (fe.type == BTRFS_FILE_EXTENT_INLINE || fe.disk_bytenr == 0)
		return 0;
	if (r->have && r->cur.ino == fe.ino)
		r->cur_refd += fe.num_bytes;
	r->u.refd += fe.num_bytes;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		struct ref *v;

		if (r->n >= PD_BTRFS_MAX_REFS)
			return -E2BIG;
		v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = (struct ref){ fe.disk_bytenr, fe.offset, fe.num_bytes,
				     fe.disk_num_bytes, fe.ram_bytes };
	return 0;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->bytenr != y->bytenr)
		return x->bytenr < y->bytenr ? -1 : 1;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

int pd_btrfs_refs_finish(struct pd_btrfs_refs *r, struct pd_btrfs_usage *ret)
{
	size_t i = 0, out = 0;

	close_inode(r);
	/* qsort() wants a buffer even for none */
	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), ref_cmp);
	while (i < r->n) {
		uint64_t bytenr = r->v[i].bytenr, end = 0, covered = 0;
		uint64_t ram = 0, disk = r->v[i].disk;

		/* the union of the references' ranges of this extent */
		for (; i < r->n && r->v[i].bytenr == bytenr; i++) {
			uint64_t s = r->v[i].offset, e = s + r->v[i].num;

			if (r->v[i].ram > ram)
				ram = r->v[i].ram;
			if (s < end)
				s = end;
			if (e > s)
				covered += e - s;
			if (e > end)
				end = e;
		}
		r->u.extents++;
		r->u.disk += disk;
		r->u.ram += ram;
		r->u.covered += covered;
		/* keep one entry per extent for pd_btrfs_refs_has() */
		r->v[out++].bytenr = bytenr;
	}
	r->n = out;
	r->u.shared = r->u.refd - r->u.covered;
	r->u.unreferenced = r->u.ram - r->u.covered;
	r->u.compressed = r->u.ram > r->u.disk ? r->u.ram - r->u.disk : 0;
	r->finished = true;
	*ret = r->u;
	return 0;
}

bool pd_btrfs_refs_has(const struct pd_btrfs_refs *r, uint64_t bytenr)
{
	size_t lo = 0, hi = r->n;

	if (!r->finished)
		return false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid].bytenr == bytenr)
			return true;
		if (r->v[mid].bytenr < bytenr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void pd_btrfs_gap_compute(const struct pd_btrfs_space *s,
			  const struct pd_btrfs_usage *u, uint64_t other,
			  uint64_t bsize, struct pd_btrfs_gap *ret)
{
	uint64_t factor = pd_btrfs_ncopies(s->profile[PD_BTRFS_DATA]);
	struct pd_btrfs_gap g;
	uint64_t sum;

	memset(&g, 0, sizeof(g));
	g.used = pd_btrfs_df_used(s, bsize);
	g.du = u->du;
	g.metadata = s->disk_used[PD_BTRFS_METADATA] / factor;
	g.system = s->disk_used[PD_BTRFS_SYSTEM] / factor;
	g.global_rsv = s->global_rsv;
	g.other = other;
	g.unreferenced = u->unreferenced;
	g.shared = u->shared;
	g.compressed = u->compressed;
	g.inline_du = u->inline_du;
	g.dirs = u->dirs;
	sum = s->disk_used[PD_BTRFS_DATA] / factor + g.metadata + g.system +
	      g.global_rsv;
	/* a difference of two u64, saturated into an s64 */
	if (g.used >= sum)
		g.rounding = g.used - sum > INT64_MAX ? INT64_MAX :
			     (int64_t)(g.used - sum);
	else
		g.rounding = sum - g.used > INT64_MAX ? -INT64_MAX :
			     -(int64_t)(sum - g.used);
	*ret = g;
}

/* --- readers ----------------------------------------------------------- */

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

int pd_btrfs_space_read(int fd, struct pd_btrfs_space *ret)
{
	struct btrfs_ioctl_space_args probe = { 0 }, *a;
	size_t len;
	int r;

	/* the first call counts the slots, the second fills them; retry
	 * when a chunk of a new kind appeared in between */
	for (;;) {
		r = xioctl(fd, BTRFS_IOC_SPACE_INFO, &probe);
		if (r < 0)
			return r;
		if (probe.total_spaces > 1024)
			return -E2BIG;
		len = sizeof(*a) + (probe.total_spaces + 1) *
				   sizeof(a->spaces[0]);
		a = calloc(1, len);
		if (!a)
			return -ENOMEM;
		a->space_slots = probe.total_spaces + 1;
		r = xioctl(fd, BTRFS_IOC_SPACE_INFO, a);
		if (r == 0 && a->total_spaces <= a->space_slots)
			r = pd_btrfs_space_parse(a, len, ret);
		else if (r == 0)
			r = -EAGAIN;
		free(a);
		if (r != -EAGAIN)
			return r;
		probe.space_slots = 0;
	}
}

int pd_btrfs_devs_read(int fd, struct pd_btrfs_dev **ret, size_t *ret_n)
{
	struct btrfs_ioctl_fs_info_args fi;
	struct pd_btrfs_dev *v;
	size_t n = 0;
	uint64_t id;
	int r;

	memset(&fi, 0, sizeof(fi));
	r = xioctl(fd, BTRFS_IOC_FS_INFO, &fi);
	if (r < 0)
		return r;
	if (fi.num_devices > 4096 || fi.max_id > (1u << 20))
		return -E2BIG;
	v = calloc(fi.num_devices ? fi.num_devices : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	/* device ids have holes where devices were removed */
	for (id = 1; id <= fi.max_id && n < fi.num_devices; id++) {
		struct btrfs_ioctl_dev_info_args di;

		memset(&di, 0, sizeof(di));
		di.devid = id;
		r = xioctl(fd, BTRFS_IOC_DEV_INFO, &di);
		if (r == -ENODEV)
			continue;
		if (r < 0)
			goto out_free;
		v[n].devid = di.devid;
		v[n].total = di.total_bytes;
		v[n].allocated = di.bytes_used;
		v[n].unallocated = di.total_bytes > di.bytes_used ?
				   di.total_bytes - di.bytes_used : 0;
		memcpy(v[n].path, di.path, sizeof(v[n].path) - 1);
		v[n].path[sizeof(v[n].path) - 1] = '\0';
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
out_free:
	free(v);
	return r;
}

typedef int (*item_fn)(void *arg, const struct pd_btrfs_item *it);

#define SEARCH_BUF (256 * 1024)

/*
 * Every item of TREE with a key between (MIN_OBJ, MIN_TYPE, 0) and
 * (MAX_OBJ, MAX_TYPE, -1) in key order, to FN (whose non-zero return
 * stops the search and is returned). The range is of whole keys: items
 * of other types whose objectid lies between come too.
 */
static int search(int fd, uint64_t tree, uint64_t min_obj, uint64_t max_obj,
		  uint32_t min_type, uint32_t max_type, item_fn fn, void *arg)
{
	struct btrfs_ioctl_search_args_v2 *a;
	struct btrfs_ioctl_search_key k;
	int r;

	a = calloc(1, sizeof(*a) + SEARCH_BUF);
	if (!a)
		return -ENOMEM;
	memset(&k, 0, sizeof(k));
	k.tree_id = tree;
	k.min_objectid = min_obj;
	k.max_objectid = max_obj;
	k.min_type = min_type;
	k.max_type = max_type;
	k.min_offset = 0;
	k.max_offset = UINT64_MAX;
	k.min_transid = 0;
	k.max_transid = UINT64_MAX;
	for (;;) {
		struct pd_btrfs_item it = { 0 };
		size_t pos = 0;
		uint32_t i;

		k.nr_items = UINT32_MAX;
		a->key = k;
		a->buf_size = SEARCH_BUF;
		r = xioctl(fd, BTRFS_IOC_TREE_SEARCH_V2, a);
		if (r < 0)
			goto out;
		if (a->key.nr_items == 0)
			break;
		for (i = 0; i < a->key.nr_items; i++) {
			r = pd_btrfs_search_next(a->buf, SEARCH_BUF, &pos, &it);
			if (r != 0) {
				r = -EIO;
				goto out;
			}
			r = fn(arg, &it);
			if (r)
				goto out;
		}
		/* on from the key after the last one */
		k.min_objectid = it.objectid;
		k.min_type = it.type;
		k.min_offset = it.offset + 1;
		if (it.offset == UINT64_MAX) {
			k.min_offset = 0;
			k.min_type = it.type + 1;
			if (it.type >= 255) {
				k.min_type = 0;
				if (it.objectid == UINT64_MAX)
					break;
				k.min_objectid = it.objectid + 1;
			}
		}
		if (k.min_objectid > max_obj)
			break;
	}
	r = 0;
out:
	free(a);
	return r;
}

static int chunk_item(void *arg, const struct pd_btrfs_item *it)
{
	struct pd_btrfs_chunks *c = arg;
	struct pd_btrfs_chunk ch;
	int k;

	if (it->type != BTRFS_CHUNK_ITEM_KEY)
		return 0;
	if (pd_btrfs_chunk_parse(it, &ch) < 0)
		return -EIO;
	k = ch.type & BTRFS_BLOCK_GROUP_DATA ? PD_BTRFS_DATA :
	    ch.type & BTRFS_BLOCK_GROUP_METADATA ? PD_BTRFS_METADATA :
	    PD_BTRFS_SYSTEM;
	c->length[k] += ch.length;
	c->raw[k] += ch.raw;
	return 0;
}

int pd_btrfs_chunks_read(int fd, struct pd_btrfs_chunks *ret)
{
	struct pd_btrfs_chunks c;
	int r;

	memset(&c, 0, sizeof(c));
	r = search(fd, BTRFS_CHUNK_TREE_OBJECTID,
		   BTRFS_FIRST_CHUNK_TREE_OBJECTID,
		   BTRFS_FIRST_CHUNK_TREE_OBJECTID, BTRFS_CHUNK_ITEM_KEY,
		   BTRFS_CHUNK_ITEM_KEY, chunk_item, &c);
	if (r < 0)
		return r;
	*ret = c;
	return 0;
}

int pd_btrfs_subvol_read(int fd, uint64_t *ret_id)
{
	struct btrfs_ioctl_ino_lookup_args a;
	int r;

	memset(&a, 0, sizeof(a));
	a.treeid = 0;
	a.objectid = BTRFS_FIRST_FREE_OBJECTID;
	r = xioctl(fd, BTRFS_IOC_INO_LOOKUP, &a);
	if (r < 0)
		return r;
	*ret_id = a.treeid;
	return 0;
}

static int refs_item(void *arg, const struct pd_btrfs_item *it)
{
	int r = pd_btrfs_refs_add(arg, it);

	return r == -EINVAL ? -EIO : r;
}

int pd_btrfs_refs_read(int fd, uint64_t treeid, struct pd_btrfs_refs *r,
		       struct pd_btrfs_usage *ret)
{
	int e;

	e = search(fd, treeid, BTRFS_FIRST_FREE_OBJECTID,
		   BTRFS_LAST_FREE_OBJECTID, 0, 255, refs_item, r);
	if (e < 0)
		return e;
	return pd_btrfs_refs_finish(r, ret);
}

struct other_acc {
	const struct pd_btrfs_refs *r;
	uint64_t total, other;
};

static int extent_item(void *arg, const struct pd_btrfs_item *it)
{
	struct other_acc *o = arg;
	bool data;

	if (it->type != BTRFS_EXTENT_ITEM_KEY)
		return 0;
	if (pd_btrfs_extent_item_parse(it, &data) < 0)
		return -EIO;
	if (!data)
		return 0;
	o->total += it->offset;
	if (!pd_btrfs_refs_has(o->r, it->objectid))
		o->other += it->offset;
	return 0;
}

int pd_btrfs_other_read(int fd, const struct pd_btrfs_refs *r,
			uint64_t *ret_total, uint64_t *ret_other)
{
	struct other_acc o = { .r = r };
	int e;

	e = search(fd, BTRFS_EXTENT_TREE_OBJECTID, 0, UINT64_MAX,
		   BTRFS_EXTENT_ITEM_KEY, BTRFS_EXTENT_ITEM_KEY, extent_item,
		   &o);
	if (e < 0)
		return e;
	*ret_total = o.total;
	*ret_other = o.other;
	return 0;
}

struct sv_acc {
	struct pd_btrfs_subvol *v;
	size_t n, cap;
};

static int subvol_item(void *arg, const struct pd_btrfs_item *it)
{
	struct sv_acc *a = arg;
	struct pd_btrfs_subvol *sv;

	if (it->type != BTRFS_ROOT_ITEM_KEY &&
	    it->type != BTRFS_ROOT_BACKREF_KEY)
		return 0;
	/* a subvolume's items come together, its ROOT_ITEM first */
	if (!a->n || a->v[a->n - 1].id != it->objectid) {
		if (a->n == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 64;

			if (a->n >= (1u << 20))
				return -E2BIG;
			sv = realloc(a->v, cap * sizeof(*sv));
			if (!sv)
				return -ENOMEM;
			a->v = sv;
			a->cap = cap;
		}
		memset(&a->v[a->n++], 0, sizeof(*sv));
	}
	return pd_btrfs_subvol_parse(it, &a->v[a->n - 1]) < 0 ? -EIO : 0;
}

int pd_btrfs_subvols_read(int fd, struct pd_btrfs_subvol **ret,
			  size_t *ret_n)
{
	struct sv_acc a = { 0 };
	int r;

	r = search(fd, BTRFS_ROOT_TREE_OBJECTID, BTRFS_FIRST_FREE_OBJECTID,
		   BTRFS_LAST_FREE_OBJECTID, BTRFS_ROOT_ITEM_KEY,
		   BTRFS_ROOT_BACKREF_KEY, subvol_item, &a);
	if (r < 0) {
		free(a.v);
		return r;
	}
	*ret = a.v;
	*ret_n = a.n;
	return 0;
}

struct qg_acc {
	struct pd_btrfs_qgroup *v;
	size_t n, cap;
};

static int qgroup_item(void *arg, const struct pd_btrfs_item *it)
{
	struct qg_acc *q = arg;

	if (it->type != BTRFS_QGROUP_INFO_KEY)
		return 0;
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct pd_btrfs_qgroup *v;

		if (q->n >= (1u << 20))
			return -E2BIG;
		v = realloc(q->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		q->v = v;
		q->cap = cap;
	}
	if (pd_btrfs_qgroup_parse(it, &q->v[q->n]) < 0)
		return -EIO;
	q->n++;
	return 0;
}

int pd_btrfs_qgroups_read(int fd, struct pd_btrfs_qgroup **ret,
			  size_t *ret_n)
{
	struct qg_acc q = { 0 };
	int r;

	/* no quota tree: the search says ENOENT */
	r = search(fd, BTRFS_QUOTA_TREE_OBJECTID, 0, UINT64_MAX,
		   BTRFS_QGROUP_INFO_KEY, BTRFS_QGROUP_INFO_KEY, qgroup_item,
		   &q);
	if (r < 0) {
		free(q.v);
		return r;
	}
	*ret = q.v;
	*ret_n = q.n;
	return 0;
}
