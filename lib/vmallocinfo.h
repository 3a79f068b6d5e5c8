/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmallocinfo: /proc/vmallocinfo summed per caller: RAM and mappings. */
#ifndef PD_VMALLOCINFO_H
#define PD_VMALLOCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/* What the kernel says of an area: the words after its caller. */
enum {
	PD_VMALLOC_IOREMAP = 1u << 0,	/* device or firmware memory: no RAM */
	PD_VMALLOC_VMALLOC = 1u << 1,	/* vmalloc(): its pages= are its own */
	PD_VMALLOC_VMAP = 1u << 2,	/* vmap(): pages owned by the caller */
	PD_VMALLOC_USER = 1u << 3,	/* may be mapped to user space */
	PD_VMALLOC_VPAGES = 1u << 4,	/* its page array is vmalloc'ed too */
	PD_VMALLOC_DMA_COHERENT = 1u << 5, /* dma_alloc_coherent() remap */
	PD_VMALLOC_SPARSE = 1u << 6,	/* 6.9+: BPF arena, pages put later */
	PD_VMALLOC_PHYS = 1u << 7,	/* printed a phys= address */
};

/*
 * The areas of one caller, the caller's text as the kernel prints it
 * ("%pS": "alloc_large_system_hash+0x16d/0x270", a module's with
 * " [zsmalloc]", an address when it cannot be named). Sizes in bytes.
 */
struct pd_vmcaller {
	const char *caller;	/* "" when the kernel printed none */
	uint64_t areas;		/* number of areas */
	/* sum of the areas' sizes as printed: address space, with the
	 * guard page, RAM or not */
	uint64_t size;
	/*
	 * pages= of the areas marked "vmalloc", in bytes: pages vmalloc()
	 * allocated for the area, the RAM behind it. Since 5.3 the sum over
	 * all callers is meminfo's VmallocUsed (nr_vmalloc_pages, counted
	 * in __vmalloc_area_node()); 4.4 to 5.2 print VmallocUsed 0, and
	 * before 4.4 it was the address space of every area, ioremap
	 * included: on those kernels this sum is the only RAM figure. It
	 * includes thread stacks with CONFIG_VMAP_STACK (4.9+), which
	 * KernelStack counts as well.
	 */
	uint64_t ram;
	/*
	 * pages= of the other areas (vmap() with VM_MAP_PUT_PAGES): RAM
	 * that is mapped here but was allocated, and is counted, elsewhere.
	 */
	uint64_t mapped;
	unsigned flags;		/* the PD_VMALLOC_* of any of its areas */
};

/* The whole file's sums, in bytes. */
struct pd_vmalloc_totals {
	uint64_t areas;		/* areas with a caller line (vm_struct) */
	uint64_t size;		/* their sizes */
	uint64_t ram;		/* the callers' ram: VmallocUsed (5.3+) */
	uint64_t mapped;	/* the callers' mapped */
	uint64_t ioremap;	/* sizes of the ioremap areas: not RAM */
	/* address space without a vm_struct: vm_map_ram() of others'
	 * pages, and freed areas not yet purged (their pages are free) */
	uint64_t vm_map_ram, unpurged;
};

struct pd_vmallocinfo;

/*
 * Parse BUF (LEN bytes) of /proc/vmallocinfo, mm/vmalloc.c s_show() /
 * vmalloc_info_show() of 2.6.28 to 6.18: per line
 * "0xSTART-0xEND SIZE [CALLER] [pages=N] [phys=ADDR] [ioremap] [vmalloc]
 * [vmap] [user] [dma-coherent] [sparse] [vpages] [N<node>=count ...]", or
 * "0xSTART-0xEND SIZE vm_map_ram" / "... unpurged vm_area". The caller
 * is every word before the first known word or the first "key=value";
 * words and keys of later kernels are skipped. N<node>= (CONFIG_NUMA
 * only) count pages per node. PAGE_SIZE is the kernel's page size in
 * bytes (a power of two). A line of another shape is skipped and
 * counted. Returns 0, -EINVAL (PAGE_SIZE), -ENOMEM. Free with
 * pd_vmallocinfo_free().
 */
int pd_vmallocinfo_parse(const char *buf, size_t len, uint64_t page_size,
			 struct pd_vmallocinfo **ret_vi);

/*
 * Read and parse "vmallocinfo" of the proc root PFS with this system's
 * page size. The file is 0400: without root this returns -EACCES.
 */
int pd_vmallocinfo_read(struct pd_procfs *pfs, struct pd_vmallocinfo **ret_vi);

void pd_vmallocinfo_free(struct pd_vmallocinfo *vi);

/* The callers in the order of their first area; NULL past the last. */
size_t pd_vmallocinfo_count(const struct pd_vmallocinfo *vi);
const struct pd_vmcaller *pd_vmallocinfo_get(const struct pd_vmallocinfo *vi,
					     size_t i);

/*
 * The N callers with the most RAM into RET_TOP (room for N): ram, then
 * size, largest first, then by caller text. Returns min(N, count).
 */
size_t pd_vmallocinfo_top(const struct pd_vmallocinfo *vi, size_t n,
			  const struct pd_vmcaller **ret_top);

void pd_vmallocinfo_totals(const struct pd_vmallocinfo *vi,
			   struct pd_vmalloc_totals *ret_t);

/* Lines of another shape that were skipped. */
size_t pd_vmallocinfo_skipped(const struct pd_vmallocinfo *vi);

/*
 * Per NUMA node: does the text have N<node>= counts (a CONFIG_NUMA
 * kernel), 1 + the highest node seen, and the bytes of "vmalloc" areas'
 * pages on NODE (0 for a node never seen).
 */
bool pd_vmallocinfo_has_nodes(const struct pd_vmallocinfo *vi);
unsigned pd_vmallocinfo_nr_nodes(const struct pd_vmallocinfo *vi);
uint64_t pd_vmallocinfo_node_ram(const struct pd_vmallocinfo *vi,
				 unsigned node);

#endif
