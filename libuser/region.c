// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Region ioctls, issued on a region file descriptor, and mapping a region.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "internal.h"

int ipcchan_region_info(int regionfd, struct ipcchan_region_info *info)
{
	if (!info)
		return -EFAULT;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return zero_or_err(sys_ret(ioctl(regionfd, IPCCHAN_IOC_REGION_INFO,
					 info)));
}

int ipcchan_region_map(int regionfd, int prot, void **addr, size_t *len)
{
	struct ipcchan_region_info info;
	void *p;
	int ret;

	if (!addr || !len)
		return -EFAULT;
	ret = ipcchan_region_info(regionfd, &info);
	if (ret)
		return ret;
	if (info.region_size > SIZE_MAX)
		return -EOVERFLOW;
	p = mmap(NULL, info.region_size, prot, MAP_SHARED, regionfd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*addr = p;
	*len = info.region_size;
	return 0;
}

int ipcchan_region_unmap(void *addr, size_t len)
{
	return sys_ret(munmap(addr, len));
}

int ipcchan_region_attach(int regionfd, unsigned int role)
{
	struct ipcchan_region_attach at = {
		.size = sizeof(at),
		.role = role,
	};

	return zero_or_err(sys_ret(ioctl(regionfd, IPCCHAN_IOC_REGION_ATTACH,
					 &at)));
}

int ipcchan_region_wait(int regionfd, uint64_t offset, uint32_t expected,
			unsigned int flags, int64_t timeout_ns)
{
	struct ipcchan_region_wait w = {
		.size = sizeof(w),
		.offset = offset,
		.expected = expected,
	};
	int ret;

	ret = set_wait(flags, timeout_ns, &w.flags, &w.timeout_ns);
	if (ret)
		return ret;
	return zero_or_err(sys_ret(ioctl(regionfd, IPCCHAN_IOC_REGION_WAIT,
					 &w)));
}

int ipcchan_region_wake(int regionfd)
{
	struct ipcchan_region_wake wk = { .size = sizeof(wk) };

	return zero_or_err(sys_ret(ioctl(regionfd, IPCCHAN_IOC_REGION_WAKE,
					 &wk)));
}
