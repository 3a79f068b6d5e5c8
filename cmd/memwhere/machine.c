/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere: the machine view: the ledger of MemTotal, part by part, with
 * the detail rows of -v, pressure and activity; and the words shared by
 * every view. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mwtool.h"

const struct pd_column memwhere_cols[NCOLS] = {
	[COL_PART] = { "PART", PD_COL_STR, PD_COLF_DEFAULT, "part of RAM, detail, pressure or counter (detail rows indented under their part)" },
	[COL_KIND] = { "KIND", PD_COL_STR, 0, "part (adds up to MemTotal), detail, overlap, outside (not in MemTotal), pressure, activity" },
	[COL_PARENT] = { "PARENT", PD_COL_STR, 0, "the part a detail row is inside" },
	[COL_SIZE] = { "SIZE", PD_COL_SSIZE, PD_COLF_DEFAULT, "bytes (the remainder may be negative)" },
	[COL_PCT] = { "PCT", PD_COL_CENTI, PD_COLF_DEFAULT, "SIZE as % of MemTotal" },
	[COL_COUNT] = { "COUNT", PD_COL_NUM, 0, "activity: events or pages since boot, or in the -i interval" },
	[COL_RATE] = { "RATE", PD_COL_CENTI, 0, "activity: COUNT per second" },
	[COL_AVG10] = { "AVG10", PD_COL_CENTI, 0, "pressure: % of the last 10 s stalled" },
	[COL_AVG60] = { "AVG60", PD_COL_CENTI, 0, "pressure: % of the last 60 s stalled" },
	[COL_AVG300] = { "AVG300", PD_COL_CENTI, 0, "pressure: % of the last 300 s stalled" },
	[COL_SOURCE] = { "SOURCE", PD_COL_STR, PD_COLF_WIDE, "where the figure comes from" },
	[COL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "what it is, and the verdict the kernel's figures give" },
};

/* ---- words -------------------------------------------------------------- */

void memwhere_size(int64_t v, char *buf, size_t n)
{
	char num[14];	/* "1023.9E" at most */

	pd_size_to_human(v < 0 ? -(uint64_t)v : (uint64_t)v, num, sizeof(num));
	snprintf(buf, n, "%s%s", v < 0 ? "-" : "", num);
}

void memwhere_count(uint64_t v, char *buf, size_t n)
{
	char digits[32];
	size_t len, i, k = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, v);
	len = strlen(digits);
	for (i = 0; i < len && k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	buf[k] = '\0';
}

void memwhere_pct(uint64_t centi, char *buf, size_t n)
{
	uint64_t tenths = (centi + 5) / 10;

	/* a share of something else can pass 100%, not 1,000,000% */
	if (tenths > 9999999)
		tenths = 9999999;
	snprintf(buf, n, "%" PRIu64 ".%u%%", tenths / 10,
		 (unsigned)(tenths % 10));
}

/* PSI's own precision: two decimals, as the kernel prints them. */
static void psi_pct(uint32_t centi, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%02u%%", centi / 100, centi % 100);
}

void memwhere_notef(struct pd_strbuf *sb, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pd_strbuf_add(sb, "; ", text);
}

/* V as hundredths of a percent of TOTAL, rounded half away from 0. */
int64_t memwhere_centi(int64_t v, uint64_t total)
{
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v, c;

	if (!total)
		return 0;
	c = (mag * 10000 + total / 2) / total;
	return v < 0 ? -(int64_t)c : (int64_t)c;
}

void memwhere_psi_words(const struct pd_pressure *p, char *buf, size_t n)
{
	char s[16], f[16];

	psi_pct(p->some.avg10, s, sizeof(s));
	psi_pct(p->full.avg10, f, sizeof(f));
	if (p->full.present)
		snprintf(buf, n, "some %s, full %s", s, f);
	else
		snprintf(buf, n, "some %s", s);
}

/* ---- rows ----------------------------------------------------------------- */

/* A row named NAME of KIND; a detail row (PARENT set) is indented in the
 * table when it is printed as a tree. */
static struct pd_row *add_row(struct ctx *x, const char *name,
			      const char *kind, const char *parent)
{
	struct pd_row *row;
	char *indented;

	pd_check_alloc(&x->o->c, pd_report_add_row(x->rep, &row));
	if (parent && x->tree) {
		if (asprintf(&indented, "  %s", name) < 0)
			pd_check_alloc(&x->o->c, -ENOMEM);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_PART,
							indented));
		free(indented);
	} else {
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_PART, name));
	}
	pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_KIND, kind));
	if (parent)
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_PARENT,
							parent));
	return row;
}

static void set_size(struct ctx *x, struct pd_row *row, int64_t v)
{
	pd_row_set_s64(row, COL_SIZE, v);
	pd_row_set_s64(row, COL_PCT,
		       memwhere_centi(v, pd_mw_machine(x->mw)->total));
}

static void set_note(struct ctx *x, struct pd_row *row, struct pd_strbuf *sb)
{
	if (sb->len)
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_NOTE, sb->s));
	sb->len = 0;
}

/* A detail row inside PARENT: its size and note. */
static void detail(struct ctx *x, const char *parent, const char *name,
		   int64_t bytes, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void detail(struct ctx *x, const char *parent, const char *name,
		   int64_t bytes, const char *source, const char *fmt, ...)
{
	struct pd_row *row;
	char text[512];
	va_list ap;

	if (x->o->has_min && bytes < (int64_t)x->o->min_size)
		return;
	row = add_row(x, name, "detail", parent);
	set_size(x, row, bytes);
	if (source)
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_SOURCE,
							source));
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_NOTE, text));
	}
}

static bool fig(const struct pd_mw_ledger *l, enum pd_mw_fig f, int64_t *v)
{
	if (!l->has_fig[f])
		return false;
	*v = l->fig[f];
	return true;
}

/* ---- what each part is ------------------------------------------------------ */

static void note_free(const struct pd_mw_ledger *l, struct pd_strbuf *sb)
{
	char a[16], p[16];
	int64_t avail, c;

	if (!fig(l, PD_MW_FIG_AVAILABLE, &avail)) {
		memwhere_notef(sb, "no MemAvailable line (before 3.14): what can be reclaimed is unknown");
		return;
	}
	c = memwhere_centi(avail, l->total);
	memwhere_size(avail, a, sizeof(a));
	memwhere_pct((uint64_t)c, p, sizeof(p));
	if (c < 100)
		memwhere_notef(sb, "available is %s of RAM (%s): critically low, act now", p, a);
	else if (c < 500)
		memwhere_notef(sb, "available is %s of RAM (%s): low", p, a);
	else
		memwhere_notef(sb, "available %s, %s of RAM: free plus what the kernel can reclaim", a, p);
}

static void note_anon(const struct pd_mw_ledger *l, struct pd_strbuf *sb)
{
	int64_t thp, total, sfree;
	char a[16], b[16];

	memwhere_notef(sb, "process anonymous memory (heap, stacks, private copies)");
	if (fig(l, PD_MW_FIG_ANON_THP, &thp) && thp) {
		memwhere_size(thp, a, sizeof(a));
		memwhere_notef(sb, "%s in transparent huge pages", a);
	}
	if (fig(l, PD_MW_FIG_SWAP_TOTAL, &total) && total &&
	    fig(l, PD_MW_FIG_SWAP_FREE, &sfree)) {
		memwhere_size(total - sfree, a, sizeof(a));
		memwhere_size(total, b, sizeof(b));
		memwhere_notef(sb, "swap: %s used of %s", a, b);
	}
}

static void note_page_cache(const struct pd_mw_ledger *l, bool node,
			    struct pd_strbuf *sb)
{
	int64_t d = 0, w = 0, m = 0;
	char a[16], b[16], c[16];

	memwhere_notef(sb, "file cache, reclaimable%s",
		       node ? " (buffers and swap cache included)" : "");
	if (fig(l, PD_MW_FIG_DIRTY, &d) && fig(l, PD_MW_FIG_WRITEBACK, &w) &&
	    fig(l, PD_MW_FIG_MAPPED, &m)) {
		memwhere_size(d, a, sizeof(a));
		memwhere_size(w, b, sizeof(b));
		memwhere_size(m, c, sizeof(c));
		memwhere_notef(sb, "%s dirty, %s under writeback, %s mapped (shmem's mapped pages too)", a, b, c);
	}
}

static void note_slab(const struct ctx *x, const struct pd_mw_ledger *l,
		      struct pd_strbuf *sb)
{
	int64_t r, u, caches, neg, all;
	char a[16], b[16], c[16];
	size_t i;

	if (fig(l, PD_MW_FIG_SRECLAIMABLE, &r) &&
	    fig(l, PD_MW_FIG_SUNRECLAIM, &u)) {
		memwhere_size(r, a, sizeof(a));
		memwhere_size(u, b, sizeof(b));
		memwhere_notef(sb, "kernel object caches: %s reclaimable, %s not", a, b);
	}
	if (x && fig(l, PD_MW_FIG_SLAB_CACHES, &caches)) {
		memwhere_size(caches, a, sizeof(a));
		memwhere_notef(sb, "caches hold %s; the rest is large kmalloc()s, in no cache", a);
	}
	if (!fig(l, PD_MW_FIG_NEG_DENTRIES, &neg) ||
	    !fig(l, PD_MW_FIG_DENTRIES, &all) || !neg)
		return;
	memwhere_count((uint64_t)neg, a, sizeof(a));
	memwhere_count((uint64_t)all, b, sizeof(b));
	for (i = 0; x && i < pd_mw_nslabs(x->mw); i++) {
		const struct pd_slab *s = pd_mw_slab(x->mw, i);

		if (strcmp(s->name, "dentry"))
			continue;
		memwhere_size((int64_t)s->bytes, c, sizeof(c));
		memwhere_notef(sb, "slab dentry %s: %s of its %s dentries are negative (lookups of names that do not exist)", c, a, b);
		return;
	}
	memwhere_notef(sb, "%s of %s dentries are negative (dentry-state)", a, b);
}

static void note_vmalloc(const struct pd_mw_ledger *l, struct pd_strbuf *sb)
{
	int64_t used, stacks, ram;
	char a[16], b[16];

	if (fig(l, PD_MW_FIG_STACKS_IN_VMALLOC, &stacks)) {
		if (!fig(l, PD_MW_FIG_VMALLOC_USED, &used) ||
		    fig(l, PD_MW_FIG_VMALLOC_RAM, &ram))
			used = l->bytes[PD_MW_VMALLOC] + stacks;
		memwhere_size(used, a, sizeof(a));
		memwhere_size(stacks, b, sizeof(b));
		memwhere_notef(sb, "vmalloc()ed RAM %s less the %s of kernel stacks in it (counted under kernel-stack)", a, b);
	} else {
		memwhere_notef(sb, "vmalloc()ed RAM (no kernel stacks in it)");
	}
}

static void note_hugetlb(const struct pd_mw_ledger *l, struct pd_strbuf *sb)
{
	int64_t nfree, rsvd;
	char a[16], b[16], c[16];

	if (!l->bytes[PD_MW_HUGETLB]) {
		memwhere_notef(sb, "no hugetlb pool");
		return;
	}
	memwhere_size(l->bytes[PD_MW_HUGETLB], a, sizeof(a));
	if (!fig(l, PD_MW_FIG_HUGETLB_FREE, &nfree)) {
		memwhere_notef(sb, "hugetlb pool %s", a);
		return;
	}
	memwhere_size(nfree, b, sizeof(b));
	if (fig(l, PD_MW_FIG_HUGETLB_RSVD, &rsvd) && rsvd) {
		memwhere_size(rsvd, c, sizeof(c));
		memwhere_notef(sb, "hugetlb pool %s, %s free (%s of it reserved)", a, b, c);
	} else {
		memwhere_notef(sb, "hugetlb pool %s, %s free", a, b);
	}
	if (nfree)
		memwhere_notef(sb, "free huge pages are still taken from RAM");
}

static void note_zsmalloc(const struct pd_mw_ledger *l, struct pd_strbuf *sb)
{
	int64_t zram, stored, zswap, zswapped;
	char a[16], b[16];

	memwhere_notef(sb, "compressed pools (zsmalloc) in no meminfo line");
	if (!l->bytes[PD_MW_ZSMALLOC]) {
		memwhere_notef(sb, "none in use");
		return;
	}
	if (fig(l, PD_MW_FIG_ZRAM, &zram) && fig(l, PD_MW_FIG_ZRAM_STORED, &stored)) {
		memwhere_size(zram, a, sizeof(a));
		memwhere_size(stored, b, sizeof(b));
		memwhere_notef(sb, "zram %s holding %s", a, b);
	}
	if (fig(l, PD_MW_FIG_ZSWAP, &zswap) && fig(l, PD_MW_FIG_ZSWAPPED, &zswapped)) {
		memwhere_size(zswap, a, sizeof(a));
		memwhere_size(zswapped, b, sizeof(b));
		memwhere_notef(sb, "zswap %s holding %s", a, b);
	}
}

static void note_remainder(const struct ctx *x, const struct pd_mw_ledger *l,
			   bool node, struct pd_strbuf *sb)
{
	int64_t overlap;
	char a[16];

	memwhere_notef(sb, "in no meminfo line: per-CPU free lists, pages in flight, drivers' own pages (network buffers, DMA)");
	if (node && !l->has[PD_MW_VMALLOC])
		memwhere_notef(sb, "this node's vmalloc and per-CPU memory (node meminfo has no line for them)");
	if (l->vmalloc_unknown)
		memwhere_notef(sb, "vmalloc: VmallocUsed is no RAM figure on this kernel and vmallocinfo needs root");
	if (fig(l, PD_MW_FIG_LRU_OVERLAP, &overlap) && overlap > 0) {
		memwhere_size(overlap, a, sizeof(a));
		memwhere_notef(sb, "anon, page cache, buffers and swap cache exceed the LRU lists by %s: counted twice (swapped in, still mapped) or off the LRU", a);
	}
	if (x && l->has[PD_MW_ZFS_ARC])
		memwhere_notef(sb, "ZFS ARC buffers");
	if (l->has[PD_MW_BALLOON] && l->bytes[PD_MW_BALLOON]) {
		memwhere_size(l->bytes[PD_MW_BALLOON], a, sizeof(a));
		memwhere_notef(sb, "up to %s of balloon pages (virtio with deflate-on-OOM keeps them in MemTotal)", a);
	}
	if (l->bytes[PD_MW_REMAINDER] < 0)
		memwhere_notef(sb, "negative: the parts overcount (percpu's first chunk lies outside MemTotal; swap cache still mapped is in anon too)");
}

static void note_outside(const struct pd_mw_ledger *l, enum pd_mw_part p,
			 struct pd_strbuf *sb)
{
	int64_t online, bs, c, cm;
	char a[16], b[16], d[16];

	switch (p) {
	case PD_MW_FIRMWARE:
		memwhere_size((int64_t)l->total, b, sizeof(b));
		if (fig(l, PD_MW_FIG_PRESENT, &online)) {
			memwhere_size(online, a, sizeof(a));
			memwhere_notef(sb, "not in MemTotal: %s of RAM present (zoneinfo), MemTotal %s; kept by firmware and kernel (struct page array, kernel image, crashkernel, boot reservations)", a, b);
		} else if (fig(l, PD_MW_FIG_ONLINE_BLOCKS, &online)) {
			memwhere_size(online, a, sizeof(a));
			memwhere_notef(sb, "not in MemTotal: %s online in memory blocks, MemTotal %s; kept by firmware and kernel (struct page array, kernel image, crashkernel, boot reservations)", a, b);
		}
		if (fig(l, PD_MW_FIG_ONLINE_BLOCKS, &online) &&
		    fig(l, PD_MW_FIG_BLOCK_SIZE, &bs) && bs) {
			memwhere_size(online, a, sizeof(a));
			memwhere_size(bs, d, sizeof(d));
			memwhere_notef(sb, "%s online in blocks of %s", a, d);
		}
		break;
	case PD_MW_OFFLINE:
		memwhere_notef(sb, "not in MemTotal: memory blocks installed but offline");
		break;
	case PD_MW_BALLOON:
		memwhere_notef(sb, "inflated balloon: given back to the hypervisor; outside MemTotal unless the driver deflates on OOM");
		break;
	case PD_MW_ZFS_ARC:
		memwhere_notef(sb, "ZFS ARC: lies in slab, vmalloc and the remainder, not added again; ZFS gives it back under pressure, MemAvailable does not count it");
		if (fig(l, PD_MW_FIG_ARC_C, &c) && fig(l, PD_MW_FIG_ARC_C_MAX, &cm)) {
			memwhere_size(c, a, sizeof(a));
			memwhere_size(cm, d, sizeof(d));
			memwhere_notef(sb, "target %s, max %s", a, d);
		}
		break;
	default:
		break;
	}
}

/* What part P of ledger L is; X is NULL for a node's ledger. */
void memwhere_part_note(const struct ctx *x, const struct pd_mw_ledger *l,
			enum pd_mw_part p, struct pd_strbuf *sb)
{
	bool node = !x;

	switch (p) {
	case PD_MW_FREE:
		if (!node)
			note_free(l, sb);
		break;
	case PD_MW_ANON:
		note_anon(l, sb);
		break;
	case PD_MW_PAGE_CACHE:
		note_page_cache(l, node, sb);
		break;
	case PD_MW_SHMEM:
		memwhere_notef(sb, "tmpfs, memfd, SysV and shared anonymous memory: reclaimable only to swap");
		break;
	case PD_MW_BUFFERS:
		memwhere_notef(sb, "block device cache (file system metadata), reclaimable");
		break;
	case PD_MW_SWAP_CACHE:
		memwhere_notef(sb, "swapped pages also in RAM; a mapped one is in anon too");
		break;
	case PD_MW_SLAB:
		note_slab(x, l, sb);
		break;
	case PD_MW_KRECLAIMABLE:
		memwhere_notef(sb, "other reclaimable kernel memory (KReclaimable beyond slab)");
		break;
	case PD_MW_KERNEL_STACK:
		memwhere_notef(sb, "kernel stacks of every thread%s",
			       l->has_fig[PD_MW_FIG_STACKS_IN_VMALLOC] ?
			       "; also in vmalloc (virtually mapped), counted here once" : "");
		break;
	case PD_MW_PAGE_TABLES:
		memwhere_notef(sb, "page tables of processes");
		break;
	case PD_MW_SEC_PAGE_TABLES:
		memwhere_notef(sb, "secondary page tables (KVM, IOMMU)");
		break;
	case PD_MW_PERCPU:
		memwhere_notef(sb, "per-CPU allocations; the first chunk was taken at boot, outside MemTotal");
		break;
	case PD_MW_VMALLOC:
		note_vmalloc(l, sb);
		break;
	case PD_MW_HUGETLB:
		note_hugetlb(l, sb);
		break;
	case PD_MW_ZSMALLOC:
		note_zsmalloc(l, sb);
		break;
	case PD_MW_GPU:
		memwhere_notef(sb, "system RAM GPU drivers hold, in no meminfo line");
		if (l->has_fig[PD_MW_FIG_GPU_VRAM_USED]) {
			char a[16];

			memwhere_size(l->fig[PD_MW_FIG_GPU_VRAM_USED], a, sizeof(a));
			memwhere_notef(sb, "VRAM used %s (the card's own memory, not RAM)", a);
		}
		break;
	case PD_MW_UNACCEPTED:
		memwhere_notef(sb, "memory the firmware has not handed over yet (confidential guests); accepted on first use");
		break;
	case PD_MW_HW_CORRUPTED:
		memwhere_notef(sb, "pages taken out of use after memory errors");
		break;
	case PD_MW_BOUNCE:
		memwhere_notef(sb, "bounce buffers for devices that cannot reach all of RAM");
		break;
	case PD_MW_WRITEBACK_TMP:
		memwhere_notef(sb, "temporary pages of FUSE writeback");
		break;
	case PD_MW_REMAINDER:
		note_remainder(x, l, node, sb);
		break;
	default:
		note_outside(l, p, sb);
		break;
	}
}

/* ---- detail rows (-v) ---------------------------------------------------------- */

static void page_size_name(uint64_t bytes, char *buf, size_t n)
{
	pd_size_to_human(bytes, buf, n);
}

static void details(struct ctx *x, const struct pd_mw_ledger *l,
		    enum pd_mw_part p)
{
	const char *name = pd_mw_part_name(p);
	struct pd_memsummary s;
	char a[32], b[32], c[32];
	int64_t v, w;
	size_t i;

	switch (p) {
	case PD_MW_ANON:
		if (fig(l, PD_MW_FIG_ANON_THP, &v))
			detail(x, name, "thp", v, "meminfo AnonHugePages",
			       "transparent huge pages");
		break;
	case PD_MW_PAGE_CACHE:
		if (fig(l, PD_MW_FIG_ACTIVE_FILE, &v) &&
		    fig(l, PD_MW_FIG_INACTIVE_FILE, &w)) {
			detail(x, name, "active", v, "meminfo Active(file)",
			       "recently used: reclaimed last");
			detail(x, name, "inactive", w, "meminfo Inactive(file)",
			       "reclaimed first");
		}
		if (fig(l, PD_MW_FIG_DIRTY, &v))
			detail(x, name, "dirty", v, "meminfo Dirty",
			       "to be written back before it can be freed");
		if (fig(l, PD_MW_FIG_MAPPED, &v))
			detail(x, name, "mapped", v, "meminfo Mapped",
			       "mapped by processes (shmem's mapped pages too)");
		break;
	case PD_MW_SHMEM:
		if (!pd_mw_shmem_parts(x->mw, &s))
			break;
		detail(x, name, "tmpfs", (int64_t)s.tmpfs, "memscan: tmpfs superblocks",
		       "tmpfs and /dev/shm files (%u superblocks)", s.tmpfs_sbs);
		detail(x, name, "memfd", (int64_t)s.memfd, "memscan: memfd files",
		       "memfd_create() files");
		detail(x, name, "sysv", (int64_t)s.sysv_rss, "memscan: sysvipc/shm rss",
		       "SysV shared memory segments");
		detail(x, name, "shared-anon", (int64_t)s.shared_anon,
		       "memscan: shared anonymous maps",
		       "mmap(MAP_SHARED|MAP_ANONYMOUS)");
		detail(x, name, "unexplained", s.remainder,
		       "meminfo Shmem - the parts above",
		       "Shmem that no file or mapping memfind found explains (see memfind -s)");
		break;
	case PD_MW_SLAB:
		if (fig(l, PD_MW_FIG_SRECLAIMABLE, &v) &&
		    fig(l, PD_MW_FIG_SUNRECLAIM, &w)) {
			detail(x, name, "reclaimable", v, "meminfo SReclaimable",
			       "dentries, inodes and other caches the kernel can shrink");
			detail(x, name, "unreclaimable", w, "meminfo SUnreclaim",
			       NULL);
		}
		for (i = 0; i < pd_mw_nslabs(x->mw); i++) {
			const struct pd_slab *sl = pd_mw_slab(x->mw, i);

			memwhere_count(sl->active_objs, a, sizeof(a));
			memwhere_count(sl->num_objs, b, sizeof(b));
			detail(x, name, sl->name, (int64_t)sl->bytes,
			       "slabinfo num_slabs * pagesperslab",
			       "cache: %s of %s objects of %" PRIu64 " bytes in use",
			       a, b, sl->objsize);
		}
		break;
	case PD_MW_VMALLOC:
		for (i = 0; i < pd_mw_nvmcallers(x->mw); i++) {
			const struct pd_vmcaller *vc = pd_mw_vmcaller(x->mw, i);

			/* the caller as the kernel prints it: one function
			 * may allocate from several places */
			memwhere_count(vc->areas, b, sizeof(b));
			detail(x, name, vc->caller[0] ? vc->caller :
			       "(no caller)", (int64_t)vc->ram,
			       "vmallocinfo pages=", "%s vmalloc area%s",
			       b, vc->areas == 1 ? "" : "s");
		}
		break;
	case PD_MW_HUGETLB:
		for (i = 0; i < pd_mw_npools(x->mw); i++) {
			const struct pd_hugetlb_pool *hp = pd_mw_pool(x->mw, i);

			page_size_name(hp->page_size, a, sizeof(a));
			memwhere_count(hp->nr, b, sizeof(b));
			memwhere_count(hp->free, c, sizeof(c));
			detail(x, name, a, (int64_t)(hp->nr * hp->page_size),
			       "sysfs hugepages", "%s page%s of %s, %s free%s",
			       b, hp->nr == 1 ? "" : "s", a, c,
			       hp->surplus ? ", some surplus" : "");
		}
		break;
	case PD_MW_ZSMALLOC:
		for (i = 0; i < pd_mw_nzram(x->mw); i++) {
			const struct pd_zram *z = pd_mw_zram(x->mw, i);
			char dev[32];

			snprintf(dev, sizeof(dev), "zram%u", z->id);
			if (!z->disksize) {
				detail(x, name, dev, 0, "sysfs zram mm_stat",
				       "not set up");
				continue;
			}
			memwhere_size((int64_t)z->mm.orig_data_size, a, sizeof(a));
			memwhere_size((int64_t)z->disksize, b, sizeof(b));
			detail(x, name, dev, (int64_t)z->mm.mem_used_total,
			       "sysfs zram mm_stat mem_used_total",
			       "holds %s of data (disk %s)", a, b);
		}
		if (fig(l, PD_MW_FIG_ZSWAP, &v) && fig(l, PD_MW_FIG_ZSWAPPED, &w)) {
			memwhere_size(w, a, sizeof(a));
			detail(x, name, "zswap", v, "meminfo Zswap",
			       "holds %s of swapped pages", a);
		}
		break;
	default:
		break;
	}
}

/* GPU clients: under the gpu part, or the remainder when there is none. */
static void gpu_details(struct ctx *x, const char *parent)
{
	size_t i;

	for (i = 0; i < pd_mw_ngpu_clients(x->mw); i++) {
		const struct pd_mw_gpu_client *g = pd_mw_gpu_client(x->mw, i);
		char name[96], vram[16];

		snprintf(name, sizeof(name), "%s[%d]", g->comm, (int)g->pid);
		memwhere_size((int64_t)g->vram, vram, sizeof(vram));
		detail(x, parent, name, (int64_t)g->ram, "fdinfo drm-resident-*",
		       "DRM client %" PRIu64 " of %s %s; %s in VRAM (not RAM); shared buffers count in each client",
		       g->id, g->driver, g->pdev[0] ? g->pdev : "", vram);
	}
}

/* ---- pressure and activity --------------------------------------------------- */

static void pressure_rows(struct ctx *x)
{
	const char *which[2] = { "pressure-some", "pressure-full" };
	struct pd_pressure p;
	struct pd_strbuf sb = { 0 };
	char a[16], b[16], c[16];
	int k;

	if (!pd_mw_pressure(x->mw, &p))
		return;
	for (k = 0; k < 2; k++) {
		const struct pd_psi *s = k ? &p.full : &p.some;
		struct pd_row *row;

		if (!s->present)
			continue;
		row = add_row(x, which[k], "pressure", NULL);
		pd_row_set_u64(row, COL_AVG10, s->avg10);
		pd_row_set_u64(row, COL_AVG60, s->avg60);
		pd_row_set_u64(row, COL_AVG300, s->avg300);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_SOURCE,
							"/proc/pressure/memory"));
		psi_pct(s->avg10, a, sizeof(a));
		psi_pct(s->avg60, b, sizeof(b));
		psi_pct(s->avg300, c, sizeof(c));
		memwhere_notef(&sb, "%s %s %s of the time (10 s, 60 s, 300 s) %s task stalled on memory",
			       a, b, c, k ? "every" : "at least one");
		if (s->avg10 >= (k ? 100u : 1000u))
			memwhere_notef(&sb, "significant pressure");
		else if (!s->avg10 && !s->avg60 && !s->avg300)
			memwhere_notef(&sb, "no stalls");
		set_note(x, row, &sb);
	}
	free(sb.s);
}

static void activity_rows(struct ctx *x)
{
	static const char *const units[PD_MW_NACTS] = {
		[PD_MW_ACT_SWAP_IN] = "pages swapped in",
		[PD_MW_ACT_SWAP_OUT] = "pages swapped out",
		[PD_MW_ACT_MAJOR_FAULTS] = "major faults (reads from disk)",
		[PD_MW_ACT_REFAULTS] = "evicted pages read back (workingset refaults)",
		[PD_MW_ACT_COMPACT_STALLS] = "allocations stalled on compaction",
		[PD_MW_ACT_THP_FALLBACKS] = "huge page faults that fell back to small pages",
		[PD_MW_ACT_OOM_KILLS] = "processes killed by the OOM killer",
	};
	const struct pd_mw_activity *a = pd_mw_activity(x->mw);
	uint64_t swaps = a->count[PD_MW_ACT_SWAP_IN] + a->count[PD_MW_ACT_SWAP_OUT];
	struct pd_strbuf sb = { 0 };
	char num[32], rate[32], secs[32];
	size_t i;

	if (a->interval)
		snprintf(secs, sizeof(secs), "in %.1f s", a->seconds);
	else
		snprintf(secs, sizeof(secs), "since boot (%.1f days)",
			 a->seconds / 86400);
	for (i = 0; i < PD_MW_NACTS; i++) {
		uint64_t per = 0;
		struct pd_row *row;

		if (!a->has[i])
			continue;
		row = add_row(x, pd_mw_act_name(i), "activity", NULL);
		pd_row_set_u64(row, COL_COUNT, a->count[i]);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_SOURCE,
							"/proc/vmstat"));
		memwhere_count(a->count[i], num, sizeof(num));
		if (a->seconds > 0) {
			per = (uint64_t)((double)a->count[i] * 100 / a->seconds + 0.5);
			pd_row_set_u64(row, COL_RATE, per);
			snprintf(rate, sizeof(rate), ", %" PRIu64 ".%02u/s",
				 per / 100, (unsigned)(per % 100));
		} else {
			rate[0] = '\0';
		}
		memwhere_notef(&sb, "%s %s %s%s", num, units[i], secs, rate);
		/* verdicts only for what happens now: with -i */
		if (a->interval && a->seconds > 0) {
			uint64_t sps = (uint64_t)((double)swaps / a->seconds);

			if (i == PD_MW_ACT_SWAP_OUT && sps >= 1000) {
				memwhere_count(per / 100, num, sizeof(num));
				memwhere_notef(&sb, "swap storm: %s pages/s out", num);
			}
			if (i == PD_MW_ACT_COMPACT_STALLS && a->count[i] &&
			    !strcmp(a->thp_enabled, "always"))
				memwhere_notef(&sb, "compaction stalls: transparent hugepages = always (defrag %s)",
					       a->thp_defrag[0] ? a->thp_defrag : "?");
			if (i == PD_MW_ACT_OOM_KILLS && a->count[i])
				memwhere_notef(&sb, "OOM kills now");
		} else if (i == PD_MW_ACT_SWAP_IN || i == PD_MW_ACT_SWAP_OUT) {
			memwhere_notef(&sb, "-i tells whether it happens now");
		}
		set_note(x, row, &sb);
	}
	free(sb.s);
}

/* ---- the view -------------------------------------------------------------- */

unsigned memwhere_machine_want(const struct ctx *x)
{
	return x->o->verbose ? PD_MW_WANT_DETAILS : 0;
}

void memwhere_machine_rows(struct ctx *x)
{
	const struct pd_mw_ledger *l = pd_mw_machine(x->mw);
	struct pd_strbuf sb = { 0 };
	struct pd_row *row;
	size_t p;

	for (p = 0; p < PD_MW_NPARTS; p++) {
		enum pd_mw_kind k = pd_mw_part_kind(p);

		if (!l->has[p])
			continue;
		if (x->o->has_min && l->bytes[p] < (int64_t)x->o->min_size)
			continue;
		row = add_row(x, pd_mw_part_name(p), k == PD_MW_KIND_PART ?
			      "part" : k == PD_MW_KIND_OVERLAP ? "overlap" :
			      "outside", NULL);
		set_size(x, row, l->bytes[p]);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, COL_SOURCE,
							l->source[p]));
		memwhere_part_note(x, l, p, &sb);
		set_note(x, row, &sb);
		if (!x->o->verbose)
			continue;
		details(x, l, p);
		if (p == PD_MW_GPU ||
		    (p == PD_MW_REMAINDER && !l->has[PD_MW_GPU]))
			gpu_details(x, pd_mw_part_name(p));
	}
	/* --min-size: rows without a size are left out too */
	if (!x->o->has_min) {
		pressure_rows(x);
		activity_rows(x);
	}
	free(sb.s);
	pd_check_alloc(&x->o->c, pd_report_total_row(x->rep, &row));
	pd_row_set_s64(row, COL_SIZE, (int64_t)l->total);
	pd_row_set_s64(row, COL_PCT, 10000);
}
