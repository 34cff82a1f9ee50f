// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Channel ioctls, issued on a channel file descriptor.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

static __u64 ptr_to_u64(const void *p)
{
	return (__u64)(uintptr_t)p;
}

/*
 * Sets the @flags and @timeout_ns members of a transfer struct. The caller
 * states a timeout through @timeout_ns only, so IPCCHAN_XFER_TIMEOUT is the
 * library's to set; other flags go to the kernel, which rejects unknown ones.
 */
static int set_wait(unsigned int flags, int64_t timeout_ns,
		    __u32 *xflags, __s64 *xtimeout)
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

int ipcchan_send(int chanfd, const void *buf, size_t len, unsigned int flags,
		 int64_t timeout_ns)
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
	return zero_or_err(sys_ret(ioctl(chanfd, IPCCHAN_IOC_SEND, &s)));
}

ssize_t ipcchan_recv(int chanfd, void *buf, size_t cap,
		     struct ipcchan_msg_info *info, unsigned int flags,
		     int64_t timeout_ns)
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
	return ret < 0 ? ret : (ssize_t)r.info.len;
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
