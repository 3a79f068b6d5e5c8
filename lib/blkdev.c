/* SPDX-License-Identifier: GPL-2.0-or-later */
/* blkdev: reading a file system's block device, read-only. */
#include "blkdev.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int pd_blkdev_check(int fd, dev_t dev)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode) || (dev && st.st_rdev != dev))
		return -ENODEV;
	return 0;
}

int pd_blkdev_open(const char *path, dev_t dev)
{
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	r = pd_blkdev_check(fd, dev);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
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
