/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blkdev: reading a file system's block device, read-only: open it
 * checked against the device number, read at offsets in full. */
#ifndef PD_BLKDEV_H
#define PD_BLKDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Open block device PATH read-only (never for writing); DEV, when not 0,
 * must be its st_rdev. Returns the fd (the caller closes it) or -errno
 * (-ENODEV: not that block device). */
int pd_blkdev_open(const char *path, dev_t dev);

/* Is the open FD block device DEV (its st_rdev; any block device when DEV
 * is 0)? Returns 0, -ENODEV (not that block device) or -errno. For a
 * caller that opened it itself (under a deadline). */
int pd_blkdev_check(int fd, dev_t dev);

/* LEN bytes at OFF of FD into BUF, through EINTR and short reads.
 * Returns 0 or -errno (-EIO: the device ends before). */
int pd_blkdev_pread(int fd, void *buf, size_t len, uint64_t off);

#endif
