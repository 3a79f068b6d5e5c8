/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gpucard: the DRM cards of sysfs: driver, PCI slot, amdgpu's counters. */
#ifndef PD_GPUCARD_H
#define PD_GPUCARD_H

#include <stddef.h>
#include <stdint.h>

/*
 * amdgpu's memory counters, class/drm/card<N>/device/mem_info_* (bytes,
 * "%llu\n"; amdgpu_device.c, amdgpu_vram_mgr.c, amdgpu_gtt_mgr.c). VRAM
 * is the card's own memory (on an APU, RAM the firmware set aside: then
 * it is missing from MemTotal); GTT used is system RAM the driver
 * allocated for the GPU, which no meminfo line shows.
 */
enum pd_gpucard_counter {
	PD_GPU_VRAM_TOTAL,
	PD_GPU_VRAM_USED,
	PD_GPU_VIS_VRAM_TOTAL,	/* the part the CPU can map */
	PD_GPU_VIS_VRAM_USED,
	PD_GPU_GTT_TOTAL,
	PD_GPU_GTT_USED,
	PD_GPU_NR_COUNTERS
};

struct pd_gpucard {
	unsigned card;			/* N of card<N> */
	char driver[32];		/* DRIVER= of device/uevent, or "" */
	/* PCI_SLOT_NAME= of device/uevent ("0000:03:00.0", what fdinfo
	 * prints as drm-pdev), or "" (not a PCI device) */
	char pdev[32];
	uint64_t v[PD_GPU_NR_COUNTERS];
	unsigned has;			/* bit 1 << counter when present */
};

/*
 * Parse a device's uevent ("DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n")
 * into CARD's driver and pdev; a value that does not fit stays "".
 */
void pd_gpucard_uevent_parse(const char *buf, size_t len,
			     struct pd_gpucard *card);

/*
 * Read every class/drm/card<N> under SYSFD (a directory fd of the sysfs
 * root), not its connectors (card0-DP-1) nor render nodes (renderD128),
 * ascending by N: *ret_cards is malloc'ed (the caller frees it; NULL when
 * *ret_n is 0). A counter that cannot be read is absent. Returns 0 (no
 * DRM: *ret_n is 0) or -errno.
 */
int pd_gpucard_read_all(int sysfd, struct pd_gpucard **ret_cards,
			size_t *ret_n);

#endif
