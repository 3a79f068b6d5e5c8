/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drm: a DRM client's memory from its fd's fdinfo (drm-usage-stats). */
#ifndef PD_DRM_H
#define PD_DRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The memory keys of Documentation/gpu/drm-usage-stats.rst, per region
 * ("vram", "gtt", "system0", "stolen-system0", "memory" = system RAM):
 *   drm-total-<region>      all buffers the client's handles reach
 *   drm-shared-<region>     of those, shared with other clients (dma-buf)
 *   drm-resident-<region>   of total, resident in the region now
 *   drm-purgeable-<region>  of resident, the driver may drop
 *   drm-active-<region>     of resident, in use by the GPU now
 *   drm-memory-<region>     the legacy key (amdgpu since 5.19): the doc
 *                           first meant resident, later made it total's
 *                           alias; the tool prefers resident, then total
 * Values are "<uint>[ KiB| MiB]" (GiB accepted too), stored in bytes.
 */
enum pd_drm_stat {
	PD_DRM_TOTAL,
	PD_DRM_SHARED,
	PD_DRM_RESIDENT,
	PD_DRM_PURGEABLE,
	PD_DRM_ACTIVE,
	PD_DRM_MEMORY,
	PD_DRM_NR_STATS
};

struct pd_drm_client;

/*
 * Parse the fdinfo text of one fd ("key:\tvalue" lines). Keys other than
 * drm-driver, drm-pdev, drm-client-id, drm-client-name and the memory
 * keys are skipped (engines, cycles, drm-total-cycles-<engine>, which
 * is no region, driver keys like amd-memory-visible-vram). A line with
 * a value we cannot read (a unit we do not know) is skipped; the first of
 * two equal keys wins. Returns 0, -ENODATA when there is no drm-driver
 * line (not a DRM client: another kind of fd, or a DRM driver of before
 * 5.19 that prints nothing), -ENOMEM. Free with pd_drm_client_free().
 */
int pd_drm_fdinfo_parse(const char *buf, size_t len,
			struct pd_drm_client **ret_c);

/*
 * Read fdinfo/<FD> under the /proc/PID directory PIDFD and parse it.
 * Returns 0, -ENODATA (not a DRM client), or -errno (-ENOENT: the fd was
 * closed meanwhile).
 */
int pd_drm_fdinfo_read(int pidfd, int fd, struct pd_drm_client **ret_c);

void pd_drm_client_free(struct pd_drm_client *c);

/* drm-driver ("amdgpu", "i915", "xe"); never NULL. */
const char *pd_drm_client_driver(const struct pd_drm_client *c);
/* drm-pdev ("0000:03:00.0"), drm-client-name; NULL when absent. */
const char *pd_drm_client_pdev(const struct pd_drm_client *c);
const char *pd_drm_client_name(const struct pd_drm_client *c);
/* drm-client-id. 0 or -ENOENT. */
int pd_drm_client_id(const struct pd_drm_client *c, uint64_t *ret_id);

/*
 * Is A the same client as B? The doc: drm-client-id is unique either
 * globally or per device, and then drm-pdev is printed; the same id seen
 * through several fds (dup(), fork(), SCM_RIGHTS) is one client, to be
 * counted once. So: both have an id, the ids, drivers and pdevs (both
 * absent, or equal) are equal.
 */
bool pd_drm_client_same(const struct pd_drm_client *a,
			const struct pd_drm_client *b);

/* The regions in the order their first key came. */
size_t pd_drm_region_count(const struct pd_drm_client *c);
const char *pd_drm_region_name(const struct pd_drm_client *c, size_t i);
/* The index of region NAME, or -ENOENT. */
int pd_drm_region_find(const struct pd_drm_client *c, const char *name);
/* Region I's STAT in bytes. 0, or -ENOENT when the driver printed none. */
int pd_drm_region_get(const struct pd_drm_client *c, size_t i,
		      enum pd_drm_stat stat, uint64_t *ret_bytes);

#endif
