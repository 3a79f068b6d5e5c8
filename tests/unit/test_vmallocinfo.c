/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/vmallocinfo: per-caller RAM on 3.10 and 6.18 text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meminfo.h"
#include "vmallocinfo.h"

#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"
#define PROC PD_FIXTURES_DIR "/memwhere/proc"

static struct pd_vmallocinfo *parse(const char *text)
{
	struct pd_vmallocinfo *vi = NULL;

	assert_int_equal(pd_vmallocinfo_parse(text, strlen(text), 4096, &vi),
			 0);
	return vi;
}

static const struct pd_vmcaller *caller(const struct pd_vmallocinfo *vi,
					const char *name)
{
	size_t i;

	for (i = 0; i < pd_vmallocinfo_count(vi); i++)
		if (!strcmp(pd_vmallocinfo_get(vi, i)->caller, name))
			return pd_vmallocinfo_get(vi, i);
	fail_msg("no caller %s", name);
	return NULL;
}

/* The real file of this 6.18 machine, and its VmallocUsed of that moment. */
static void test_vmallocinfo_real_618_ram_is_vmallocused(void **state)
{
	const struct pd_vmcaller *top[4], *c;
	struct pd_vmalloc_totals t;
	struct pd_vmallocinfo *vi;
	struct pd_meminfo *mi;
	struct pd_procfs *pfs;
	uint64_t used = 0;

	(void)state;
	assert_int_equal(pd_procfs_new(SAMPLES, &pfs), 0);
	assert_int_equal(pd_vmallocinfo_read(pfs, &vi), 0);
	assert_int_equal(pd_meminfo_read(pfs, &mi), 0);
	assert_int_equal(pd_meminfo_get(mi, "VmallocUsed", &used), 0);
	pd_vmallocinfo_totals(vi, &t);
	/* 6500 kB both: the pages= of the "vmalloc" areas, exactly */
	assert_int_equal(t.ram, used);
	assert_int_equal(t.ram, 6656000);
	assert_int_equal(t.mapped, 0);
	/* 623 lines: 438 "unpurged vm_area", 185 areas of 16 callers */
	assert_int_equal(t.areas, 185);
	assert_int_equal(pd_vmallocinfo_count(vi), 16);
	assert_int_equal(t.unpurged, 8970240);
	assert_int_equal(t.vm_map_ram, 0);
	assert_int_equal(t.ioremap, 1286144);
	assert_int_equal(t.size + t.unpurged, 19677184);
	assert_int_equal(pd_vmallocinfo_skipped(vi), 0);
	/* a NUMA kernel: N0= on every vmalloc area, 1625 pages */
	assert_true(pd_vmallocinfo_has_nodes(vi));
	assert_int_equal(pd_vmallocinfo_nr_nodes(vi), 1);
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 0), 6656000);
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 1), 0);

	assert_int_equal(pd_vmallocinfo_top(vi, 4, top), 4);
	/* thread stacks (CONFIG_VMAP_STACK): 143 areas of 16 KiB plus a
	 * guard page; KernelStack (2224 kB = 139 stacks) leaves out the
	 * 4 stacks the CPUs cache for reuse */
	assert_string_equal(top[0]->caller, "kernel_clone+0xc7/0x450");
	assert_int_equal(top[0]->areas, 143);
	assert_int_equal(top[0]->ram, 143 * 16384);
	assert_int_equal(top[0]->size, 143 * 20480);
	assert_int_equal(top[0]->flags, PD_VMALLOC_VMALLOC);
	/* 2 MiB each; equal RAM and size: by name */
	assert_string_equal(top[1]->caller, "bpf_prog_pack_alloc+0x2c3/0x3f0");
	assert_string_equal(top[2]->caller, "pcpu_create_chunk+0x22d/0x240");
	assert_int_equal(top[2]->ram, 2097152);
	assert_string_equal(top[3]->caller, "pcpu_create_chunk+0x8d/0x240");
	/* the percpu chunk's address space: vmalloc, but no pages= */
	c = caller(vi, "pcpu_get_vm_areas+0x0/0x1170");
	assert_int_equal(c->ram, 0);
	assert_int_equal(c->size, 2097152);
	/* the IRQ stacks map per-CPU pages: vmap, no RAM of vmalloc's */
	c = caller(vi, "irq_init_percpu_irqstack+0x105/0x150");
	assert_int_equal(c->flags, PD_VMALLOC_VMAP);
	assert_int_equal(c->ram, 0);
	c = caller(vi, "acpi_os_map_iomem+0x1eb/0x200");
	assert_int_equal(c->flags, PD_VMALLOC_IOREMAP | PD_VMALLOC_PHYS);
	pd_meminfo_free(mi);
	pd_vmallocinfo_free(vi);
	pd_procfs_free(pfs);
}

/* 3.10 shape without CONFIG_NUMA, module callers, caller-less lines. */
static void test_vmallocinfo_old_format_fixture(void **state)
{
	const struct pd_vmcaller *top[8], *c;
	struct pd_vmalloc_totals t;
	struct pd_vmallocinfo *vi;
	struct pd_procfs *pfs;

	(void)state;
	assert_int_equal(pd_procfs_new(PROC, &pfs), 0);
	assert_int_equal(pd_vmallocinfo_read(pfs, &vi), 0);
	pd_vmallocinfo_totals(vi, &t);
	assert_int_equal(t.areas, 10);
	assert_int_equal(t.size, 6422528);
	/* 1025 + 4 + 4 + 1 + 1 + 4 pages of "vmalloc" areas */
	assert_int_equal(t.ram, 1039 * 4096);
	/* the i915 vmap of its own pages */
	assert_int_equal(t.mapped, 4 * 4096);
	assert_int_equal(t.ioremap, 16384 + 8192);
	assert_int_equal(t.vm_map_ram, 8192);
	assert_int_equal(t.unpurged, 20480);
	assert_false(pd_vmallocinfo_has_nodes(vi));
	assert_int_equal(pd_vmallocinfo_nr_nodes(vi), 0);
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 0), 0);
	assert_int_equal(pd_vmallocinfo_count(vi), 8);
	/* in the order of first appearance */
	assert_string_equal(pd_vmallocinfo_get(vi, 0)->caller,
			    "acpi_os_map_memory+0xf6/0x14e");
	assert_string_equal(pd_vmallocinfo_get(vi, 2)->caller,
			    "zs_create_pool+0x2a/0x180 [zsmalloc]");
	assert_null(pd_vmallocinfo_get(vi, 8));

	c = caller(vi, "alloc_large_system_hash+0x171/0x239");
	assert_int_equal(c->areas, 2);
	assert_int_equal(c->ram, 1029 * 4096);
	assert_int_equal(c->size, 4202496 + 20480);
	assert_int_equal(c->flags, PD_VMALLOC_VMALLOC | PD_VMALLOC_VPAGES);
	c = caller(vi, "i915_gem_object_map+0x120/0x1e0 [i915]");
	assert_int_equal(c->ram, 0);
	assert_int_equal(c->mapped, 16384);
	/* no caller printed: "" */
	c = caller(vi, "");
	assert_int_equal(c->ram, 4096);
	c = caller(vi, "vmalloc_user+0x1e/0x50");
	assert_int_equal(c->flags, PD_VMALLOC_VMALLOC | PD_VMALLOC_USER);

	assert_int_equal(pd_vmallocinfo_top(vi, 8, top), 8);
	assert_string_equal(top[0]->caller,
			    "alloc_large_system_hash+0x171/0x239");
	/* 16 KiB each, 20 KiB each: by name */
	assert_string_equal(top[1]->caller, "vmalloc_user+0x1e/0x50");
	assert_string_equal(top[2]->caller,
			    "zs_create_pool+0x2a/0x180 [zsmalloc]");
	assert_string_equal(top[3]->caller, "");
	assert_string_equal(top[4]->caller, "bpf_prog_alloc+0x3d/0xa0");
	/* no RAM: by size */
	assert_string_equal(top[5]->caller, "pcpu_get_vm_areas+0x0/0x6e0");
	assert_string_equal(top[6]->caller, "acpi_os_map_memory+0xf6/0x14e");
	assert_string_equal(top[7]->caller,
			    "i915_gem_object_map+0x120/0x1e0 [i915]");
	pd_vmallocinfo_free(vi);
	pd_procfs_free(pfs);
}

static void test_vmallocinfo_nodes_and_later_words(void **state)
{
	struct pd_vmallocinfo *vi = parse(
		"0xffffc90000000000-0xffffc90000005000   20480 f+0x1/0x2 "
		"pages=4 vmalloc N0=1 N3=3\n"
		"0xffffc90000005000-0xffffc9000000a000   20480 f+0x1/0x2 "
		"pages=4 order=0 vmalloc newword N1=4\n"
		"0xffffc9000000a000-0xffffc9000000c000    8192 g+0x1/0x2 "
		"pages=1 phys=0x0000000000a0000 vmap dma-coherent N2=1\n"
		"0xffffc9000000c000-0xffffc9000000e000    8192 h+0x1/0x2 "
		"sparse\n");
	const struct pd_vmcaller *c;

	(void)state;
	assert_true(pd_vmallocinfo_has_nodes(vi));
	assert_int_equal(pd_vmallocinfo_nr_nodes(vi), 4);
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 0), 4096);
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 1), 4 * 4096);
	/* node 2's page is a vmap of someone else's: not vmalloc RAM */
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 2), 0);
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 3), 3 * 4096);
	assert_int_equal(pd_vmallocinfo_node_ram(vi, 4), 0);
	c = pd_vmallocinfo_get(vi, 0);
	assert_string_equal(c->caller, "f+0x1/0x2");
	assert_int_equal(c->areas, 2);
	assert_int_equal(c->ram, 8 * 4096);
	c = pd_vmallocinfo_get(vi, 1);
	assert_int_equal(c->flags, PD_VMALLOC_PHYS | PD_VMALLOC_VMAP |
			 PD_VMALLOC_DMA_COHERENT);
	assert_int_equal(c->mapped, 4096);
	assert_int_equal(pd_vmallocinfo_get(vi, 2)->flags, PD_VMALLOC_SPARSE);
	pd_vmallocinfo_free(vi);
}

static void test_vmallocinfo_skips_odd_lines(void **state)
{
	struct pd_vmallocinfo *vi = parse(
		"garbage\n"
		"\n"
		"0xffffc90000000000 4096 a+0x1/0x2 pages=1 vmalloc\n"
		"0xffffc90000000000-0xffffc90000001000 abc b+0x1/0x2 vmalloc\n"
		"0xffffc90000000000-0xffffc90000001000 4096 c+0x1/0x2 "
		"pages=x vmalloc\n"
		"0xffffc90000000000-0xffffc90000001000 4096 d+0x1/0x2 "
		"pages=1 vmalloc N99999=1\n"
		"0xffffc90000000000-0xffffc90000001000 4096 e+0x1/0x2 "
		"pages=1 vmalloc N0=x\n"
		"0xffffc90000000000-0xffffc90000001000 4096 ok+0x1/0x2 "
		"pages=1 vmalloc");
	struct pd_vmalloc_totals t;

	(void)state;
	assert_int_equal(pd_vmallocinfo_skipped(vi), 6);
	assert_int_equal(pd_vmallocinfo_count(vi), 1);
	pd_vmallocinfo_totals(vi, &t);
	assert_int_equal(t.ram, 4096);
	pd_vmallocinfo_free(vi);
}

static void test_vmallocinfo_many_callers_stay_apart(void **state)
{
	struct pd_vmallocinfo *vi;
	char *text, *p;
	size_t i, n = 5000;

	(void)state;
	text = malloc(n * 2 * 100);
	assert_non_null(text);
	p = text;
	for (i = 0; i < 2 * n; i++)
		p += sprintf(p, "0x%016zx-0x%016zx    8192 fn%zu+0x1/0x2 "
			     "pages=1 vmalloc N0=1\n", i, i + 1, i % n);
	vi = parse(text);
	assert_int_equal(pd_vmallocinfo_count(vi), n);
	for (i = 0; i < n; i++) {
		char name[32];
		const struct pd_vmcaller *c = pd_vmallocinfo_get(vi, i);

		snprintf(name, sizeof(name), "fn%zu+0x1/0x2", i);
		assert_string_equal(c->caller, name);
		assert_int_equal(c->areas, 2);
		assert_int_equal(c->ram, 8192);
	}
	pd_vmallocinfo_free(vi);
	free(text);
}

static void test_vmallocinfo_rejects_odd_page_size(void **state)
{
	struct pd_vmallocinfo *vi = NULL;

	(void)state;
	assert_int_equal(pd_vmallocinfo_parse("", 0, 0, &vi), -EINVAL);
	assert_int_equal(pd_vmallocinfo_parse("", 0, 12288, &vi), -EINVAL);
	assert_null(vi);
	vi = parse("");
	assert_int_equal(pd_vmallocinfo_count(vi), 0);
	pd_vmallocinfo_free(vi);
}

/* A caller with a NUL would be cut short and merge: the line is skipped. */
static void test_vmallocinfo_caller_with_a_nul_is_skipped(void **state)
{
	static const char text[] =
		"0x0-0x1 4096 a\0b pages=1 vmalloc\n"
		"0x0-0x1 4096 a\0c pages=1 vmalloc\n"
		"0x0-0x1 4096 a pages=1 vmalloc\n";
	struct pd_vmallocinfo *vi;

	(void)state;
	assert_int_equal(pd_vmallocinfo_parse(text, sizeof(text) - 1, 4096,
					      &vi), 0);
	assert_int_equal(pd_vmallocinfo_count(vi), 1);
	assert_int_equal(pd_vmallocinfo_get(vi, 0)->areas, 1);
	assert_int_equal(pd_vmallocinfo_skipped(vi), 2);
	pd_vmallocinfo_free(vi);
}

/*
 * The text ends right after "0xab-": nothing past the dash may be read
 * (found by fuzzing; the ASan build catches the read).
 */
static void test_vmallocinfo_address_cut_at_the_end_is_skipped(void **state)
{
	struct pd_vmallocinfo *vi;
	char *text = malloc(5);

	(void)state;
	assert_non_null(text);
	memcpy(text, "0xab-", 5);
	assert_int_equal(pd_vmallocinfo_parse(text, 5, 4096, &vi), 0);
	assert_int_equal(pd_vmallocinfo_skipped(vi), 1);
	pd_vmallocinfo_free(vi);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmallocinfo_address_cut_at_the_end_is_skipped),
		cmocka_unit_test(test_vmallocinfo_caller_with_a_nul_is_skipped),
		cmocka_unit_test(test_vmallocinfo_real_618_ram_is_vmallocused),
		cmocka_unit_test(test_vmallocinfo_old_format_fixture),
		cmocka_unit_test(test_vmallocinfo_nodes_and_later_words),
		cmocka_unit_test(test_vmallocinfo_skips_odd_lines),
		cmocka_unit_test(test_vmallocinfo_many_callers_stay_apart),
		cmocka_unit_test(test_vmallocinfo_rejects_odd_page_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
