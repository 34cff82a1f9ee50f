/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers private to libipcchan. Not installed.
 */
#ifndef LIBIPCCHAN_INTERNAL_H
#define LIBIPCCHAN_INTERNAL_H

#include <errno.h>
#include <stdint.h>

/*
 * The library is built with -fvisibility=hidden: only what the public header
 * declares is exported, and libipcchan.map pins it to a version node.
 */
#pragma GCC visibility push(default)
#include "ipcchan.h"
#pragma GCC visibility pop

/* Turns a libc "-1 and errno" result into the library's "-errno" result. */
static inline int sys_ret(long ret)
{
	return ret < 0 ? -errno : (int)ret;
}

/* For calls whose success carries no count. */
static inline int zero_or_err(int ret)
{
	return ret < 0 ? ret : 0;
}

static inline __u64 ptr_to_u64(const void *p)
{
	return (__u64)(uintptr_t)p;
}

/*
 * Sets the @flags and @timeout_ns members of a struct that waits, from a
 * public call's @flags and @timeout_ns (channel.c).
 */
int set_wait(unsigned int flags, int64_t timeout_ns, __u32 *xflags,
	     __s64 *xtimeout);

#endif /* LIBIPCCHAN_INTERNAL_H */
