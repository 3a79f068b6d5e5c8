/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blkdev: reading a file system's block device, read-only. */
#include "blkdev.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int pd_blkdev_open(const char *path, dev_t dev)
{
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	if (!S_ISBLK(st.st_mode) || (dev && st.st_rdev != dev)) {
		r = -ENODEV;
		goto out_close;
	}
	return fd;
out_close:
	close(fd);
	return r;
}

int pd_blkdev_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}
