/* SPDX-License-Identifier: GPL-2.0-or-later */
/* promfs: the labels node_exporter's filesystem collector gives a mount
 * (device, mountpoint, fstype), so that our per-file-system metrics join
 * its node_filesystem_* series in PromQL. */
#ifndef PD_PROMFS_H
#define PD_PROMFS_H

#include <stddef.h>
#include <sys/types.h>

#include "procfs.h"
#include "prom.h"

/*
 * S as the kernel prints a field of /proc/PID/mounts: the bytes of SET
 * ("\t\n\\" and blank, plus '#' for the source) as three-digit octal
 * escapes ("\040"), every other byte as it is. Returns a malloc'ed
 * string, or NULL on ENOMEM.
 */
char *pd_promfs_mangle(const char *s, const char *set);

/* The escape sets of a mount's fields in /proc/PID/mounts (fs/
 * proc_namespace.c: mangle() for the source, seq_path_root() for the
 * mount point; the type as the mount point). */
#define PD_PROMFS_SOURCE_SET " \t\n\\#"
#define PD_PROMFS_PATH_SET " \t\n\\"

/*
 * The labels node_exporter (1.x, collector/filesystem_linux.go) gives
 * the mount SOURCE on TARGET of type FSTYPE (strings as libmount
 * decodes them): device is the source field of /proc/1/mounts as it
 * stands, mountpoint the mount point field with only "\040" and "\011"
 * decoded, fstype the type field. Each is a malloc'ed string in
 * RET_LABELS[0..2] (names "device", "mountpoint", "fstype": write them
 * verbatim, pd_prom_label_verbatim());
 * free them with pd_promfs_labels_release(). A NULL string gives "".
 * Returns 0 or -ENOMEM.
 */
int pd_promfs_spell(const char *source, const char *target,
		    const char *fstype, struct pd_prom_label ret_labels[3]);
void pd_promfs_labels_release(struct pd_prom_label labels[3]);

struct pd_promfs;

/* The mounts node_exporter sees: pid 1's table of PFS (read once, when
 * first needed; PFS must outlive it). Returns 0 or -ENOMEM. */
int pd_promfs_new(struct pd_procfs *pfs, struct pd_promfs **ret_pf);
void pd_promfs_free(struct pd_promfs *pf);

/*
 * The labels of the file system DEV, which the tool knows as mounted on
 * TARGET from SOURCE with type FSTYPE (any may be NULL): pid 1's mount
 * of DEV on TARGET, else its first mount of DEV, else its mount on
 * TARGET, as pd_promfs_spell() writes them; without any (pid 1 cannot be
 * read, or DEV is mounted only in another namespace), the tool's own
 * values. Released with pd_promfs_labels_release(). Returns 0 or -ENOMEM.
 */
int pd_promfs_labels(struct pd_promfs *pf, dev_t dev, const char *target,
		     const char *source, const char *fstype,
		     struct pd_prom_label ret_labels[3]);

#endif
