// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Control ioctls, issued on a file of /dev/ipcchan: version, opening
 * channels and regions, unlinking.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "internal.h"

#define DEFAULT_MODE	0600

int ipcchan_dev_open(void)
{
	return sys_ret(open(IPCCHAN_DEVICE, O_RDWR | O_CLOEXEC));
}

/* Issues @req on @devfd, or on a private file for IPCCHAN_DEV_AUTO. */
static int dev_ioctl(int devfd, unsigned long req, void *arg)
{
	int fd = devfd;
	int ret;

	if (devfd == IPCCHAN_DEV_AUTO) {
		fd = ipcchan_dev_open();
		if (fd < 0)
			return fd;
	}
	ret = sys_ret(ioctl(fd, req, arg));
	if (devfd == IPCCHAN_DEV_AUTO)
		close(fd);
	return ret;
}

/* Copies @name into the zeroed buffer @dst, which pads it with zeros. */
static int copy_name(char dst[IPCCHAN_NAME_MAX], const char *name)
{
	size_t len;

	if (!name)
		return -EFAULT;
	len = strnlen(name, IPCCHAN_NAME_MAX);
	if (len == IPCCHAN_NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(dst, name, len);
	return 0;
}

int ipcchan_version(int devfd, struct ipcchan_version *v)
{
	if (!v)
		return -EFAULT;
	memset(v, 0, sizeof(*v));
	v->size = sizeof(*v);
	return zero_or_err(dev_ioctl(devfd, IPCCHAN_IOC_VERSION, v));
}

static void set_attr(struct ipcchan_chan_open *op,
		     const struct ipcchan_attr *attr)
{
	static const struct ipcchan_attr defaults = { .mode = DEFAULT_MODE };

	if (!attr)
		attr = &defaults;
	op->mode = attr->mode;
	op->max_msg_size = attr->max_msg_size;
	op->max_msgs = attr->max_msgs;
	op->max_bytes = attr->max_bytes;
}

int ipcchan_chan_open(int devfd, const char *name, unsigned int flags,
		      const struct ipcchan_attr *attr)
{
	struct ipcchan_chan_open op = {
		.size = sizeof(op),
		.flags = flags,
	};
	int ret;

	ret = copy_name(op.name, name);
	if (ret)
		return ret;
	/* Without CREATE the kernel wants the creation members left zero. */
	if (flags & IPCCHAN_OPEN_CREATE) {
		if (attr && !reserved_zero(attr->__reserved,
					   sizeof(attr->__reserved)))
			return -EINVAL;
		set_attr(&op, attr);
	}
	return dev_ioctl(devfd, IPCCHAN_IOC_CHAN_OPEN, &op);
}

/* IPCCHAN_IOC_CHAN_PIPE or _CHAN_PAIR, for ipcchan_chan_pipe() and _pair(). */
static int chan_unnamed(int devfd, unsigned long req, unsigned int flags,
			const struct ipcchan_attr *attr, int fds[2])
{
	struct ipcchan_chan_pair p = {
		.size = sizeof(p),
		.flags = flags,
	};
	int ret;

	if (!fds)
		return -EFAULT;
	if (attr) {
		if (!reserved_zero(attr->__reserved, sizeof(attr->__reserved)))
			return -EINVAL;
		p.max_msg_size = attr->max_msg_size;
		p.max_msgs = attr->max_msgs;
		p.max_bytes = attr->max_bytes;
	}
	ret = dev_ioctl(devfd, req, &p);
	if (ret < 0)
		return ret;
	fds[0] = p.fds[0];
	fds[1] = p.fds[1];
	return 0;
}

int ipcchan_chan_pipe(int devfd, unsigned int flags,
		      const struct ipcchan_attr *attr, int fds[2])
{
	return chan_unnamed(devfd, IPCCHAN_IOC_CHAN_PIPE, flags, attr, fds);
}

int ipcchan_chan_pair(int devfd, unsigned int flags,
		      const struct ipcchan_attr *attr, int fds[2])
{
	return chan_unnamed(devfd, IPCCHAN_IOC_CHAN_PAIR, flags, attr, fds);
}

static int unlink_obj(int devfd, unsigned int kind, const char *name)
{
	struct ipcchan_unlink un = {
		.size = sizeof(un),
		.kind = kind,
	};
	int ret;

	ret = copy_name(un.name, name);
	if (ret)
		return ret;
	return zero_or_err(dev_ioctl(devfd, IPCCHAN_IOC_UNLINK, &un));
}

int ipcchan_chan_unlink(int devfd, const char *name)
{
	return unlink_obj(devfd, IPCCHAN_KIND_CHANNEL, name);
}

int ipcchan_region_open(int devfd, const char *name, unsigned int flags,
			uint32_t mode, uint64_t size)
{
	struct ipcchan_region_open op = {
		.size = sizeof(op),
		.flags = flags,
		.mode = mode,
		.region_size = size,
	};
	int ret;

	ret = copy_name(op.name, name);
	if (ret)
		return ret;
	return dev_ioctl(devfd, IPCCHAN_IOC_REGION_OPEN, &op);
}

int ipcchan_region_unlink(int devfd, const char *name)
{
	return unlink_obj(devfd, IPCCHAN_KIND_REGION, name);
}
