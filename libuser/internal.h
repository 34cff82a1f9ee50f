/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers private to libipcchan. Not installed.
 */
#ifndef LIBIPCCHAN_INTERNAL_H
#define LIBIPCCHAN_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The library is built with -fvisibility=hidden: only what the public header
 * declares is exported, and libipcchan.map pins it to a version node.
 */
#pragma GCC visibility push(default)
#include "ipcchan.h"
#pragma GCC visibility pop

/*
 * Exports the function @impl as @name of the older version node @node (of
 * libipcchan.map): binaries linked against that node keep calling it, while
 * new links get the function that the header declares, of a later node.
 * The compat functions live in compat.c.
 */
#define COMPAT_SYMBOL(impl, name, node) \
	__asm__(".symver " #impl ", " #name "@" #node)

/*
 * Sizes of the library's structs as binaries built before LIBIPCCHAN_0.4
 * know them: each is the part of today's struct before its reserved
 * members (compat.c checks this at build time).
 */
#define IPCCHAN_ATTR_SIZE_V01	24
#define IPCCHAN_OBJECT_SIZE_V03	200
#define IPCCHAN_EVENT_SIZE_V03	88

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

/* Are the @len bytes at @p, reserved members of a caller's struct, zero? */
static inline bool reserved_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
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

/*
 * Stores the netlink attribute @attr, @len bytes at @data, in its member of
 * @obj (kinds.c); an attribute that is no member is ignored. -EPROTO if it
 * is too short.
 */
int object_set_attr(struct ipcchan_object *obj, unsigned int attr,
		    const void *data, size_t len);

#endif /* LIBIPCCHAN_INTERNAL_H */
