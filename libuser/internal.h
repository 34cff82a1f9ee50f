/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers private to libipcchan. Not installed.
 */
#ifndef LIBIPCCHAN_INTERNAL_H
#define LIBIPCCHAN_INTERNAL_H

#include <errno.h>

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

#endif /* LIBIPCCHAN_INTERNAL_H */
