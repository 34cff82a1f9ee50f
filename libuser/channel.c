// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Channel ioctls, issued on a channel file descriptor.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

/*
 * The caller states a timeout through @timeout_ns only, so
 * IPCCHAN_XFER_TIMEOUT is the library's to set; other flags go to the
 * kernel, which rejects unknown ones.
 */
int set_wait(unsigned int flags, int64_t timeout_ns, __u32 *xflags,
	     __s64 *xtimeout)
{
	if (flags & IPCCHAN_XFER_TIMEOUT)
		return -EINVAL;
	if (timeout_ns >= 0) {
		flags |= IPCCHAN_XFER_TIMEOUT;
		*xtimeout = timeout_ns;
	} else if (timeout_ns != IPCCHAN_WAIT_FOREVER) {
		return -EINVAL;
	}
	*xflags = flags;
	return 0;
}

int ipcchan_chan_info(int chanfd, struct ipcchan_chan_info *info)
{
	if (!info)
		return -EFAULT;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return zero_or_err(sys_ret(ioctl(chanfd, IPCCHAN_IOC_CHAN_INFO, info)));
}

/* One IPCCHAN_IOC_SEND; @flags carries IPCCHAN_XFER_HANDLE for @handle_fd. */
static int send_msg(int chanfd, const void *buf, size_t len, int handle_fd,
		    unsigned int flags, int64_t timeout_ns)
{
	struct ipcchan_send s = {
		.size = sizeof(s),
		.buf = ptr_to_u64(buf),
	};
	int ret;

	if (len > UINT32_MAX)
		return -EMSGSIZE;
	s.len = len;
	ret = set_wait(flags, timeout_ns, &s.flags, &s.timeout_ns);
	if (ret)
		return ret;
	if (flags & IPCCHAN_XFER_HANDLE)
		s.handle_fd = handle_fd;
	return zero_or_err(sys_ret(ioctl(chanfd, IPCCHAN_IOC_SEND, &s)));
}

int ipcchan_send(int chanfd, const void *buf, size_t len, unsigned int flags,
		 int64_t timeout_ns)
{
	return send_msg(chanfd, buf, len, -1, flags, timeout_ns);
}

int ipcchan_send_sync(int chanfd, const void *buf, size_t len,
		      int64_t timeout_ns)
{
	return send_msg(chanfd, buf, len, -1, IPCCHAN_XFER_SYNC, timeout_ns);
}

int ipcchan_send_handle(int chanfd, const void *buf, size_t len,
			int handle_fd, unsigned int flags, int64_t timeout_ns)
{
	return send_msg(chanfd, buf, len, handle_fd,
			flags | IPCCHAN_XFER_HANDLE, timeout_ns);
}

/*
 * One IPCCHAN_IOC_RECV. With IPCCHAN_XFER_HANDLE in @flags, *@handle_fd
 * gets the handle's new fd, or -1.
 */
static ssize_t recv_msg(int chanfd, void *buf, size_t cap,
			struct ipcchan_msg_info *info, int *handle_fd,
			unsigned int flags, int64_t timeout_ns)
{
	struct ipcchan_recv r = {
		.size = sizeof(r),
		.buf = ptr_to_u64(buf),
		/* A larger buffer is still a buffer of UINT32_MAX bytes. */
		.len = cap > UINT32_MAX ? UINT32_MAX : cap,
	};
	int ret;

	ret = set_wait(flags, timeout_ns, &r.flags, &r.timeout_ns);
	if (ret)
		return ret;
	ret = sys_ret(ioctl(chanfd, IPCCHAN_IOC_RECV, &r));
	if (info)
		*info = r.info;
	if (handle_fd)
		*handle_fd = ret < 0 ? -1 : r.handle_fd;
	return ret < 0 ? ret : (ssize_t)r.info.len;
}

ssize_t ipcchan_recv(int chanfd, void *buf, size_t cap,
		     struct ipcchan_msg_info *info, unsigned int flags,
		     int64_t timeout_ns)
{
	return recv_msg(chanfd, buf, cap, info, NULL, flags, timeout_ns);
}

ssize_t ipcchan_recv_handle(int chanfd, void *buf, size_t cap,
			    struct ipcchan_msg_info *info, int *handle_fd,
			    unsigned int flags, int64_t timeout_ns)
{
	/* Without somewhere to put it, the new fd would leak. */
	if (!handle_fd)
		return -EFAULT;
	return recv_msg(chanfd, buf, cap, info, handle_fd,
			flags | IPCCHAN_XFER_HANDLE, timeout_ns);
}

static int batch(int chanfd, unsigned long req, struct ipcchan_mmsg *msgs,
		 unsigned int count, unsigned int flags, int64_t timeout_ns)
{
	struct ipcchan_batch b = {
		.size = sizeof(b),
		.msgs = ptr_to_u64(msgs),
		.count = count,
	};
	int ret;

	ret = set_wait(flags, timeout_ns, &b.flags, &b.timeout_ns);
	if (ret)
		return ret;
	return sys_ret(ioctl(chanfd, req, &b));
}

int ipcchan_send_batch(int chanfd, struct ipcchan_mmsg *msgs,
		       unsigned int count, unsigned int flags,
		       int64_t timeout_ns)
{
	return batch(chanfd, IPCCHAN_IOC_SEND_BATCH, msgs, count, flags,
		     timeout_ns);
}

int ipcchan_recv_batch(int chanfd, struct ipcchan_mmsg *msgs,
		       unsigned int count, unsigned int flags,
		       int64_t timeout_ns)
{
	return batch(chanfd, IPCCHAN_IOC_RECV_BATCH, msgs, count, flags,
		     timeout_ns);
}
