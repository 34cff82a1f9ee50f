/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_UARG_H
#define _IPCCHAN_UARG_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/uaccess.h>

/* An ioctl command with its size bits cleared, for dispatch. */
#define IPCCHAN_IOC_NOSIZE(cmd)	((cmd) & ~IOCSIZE_MASK)

int __ipcchan_get_arg(void *karg, size_t ksize, size_t ver0,
		      unsigned int cmd, const void __user *uarg);

/**
 * ipcchan_get_arg() - copy an extensible ioctl struct in from userspace
 * @karg: kernel copy, @ksize bytes
 * @ksize: sizeof the struct as this module knows it
 * @ver0: the first published size of the struct
 * @cmd: the ioctl command, whose size bits must match the struct's @size
 * @uarg: user pointer to the struct, whose first member is its u32 size
 *
 * The common case, a caller built with this module's header, takes one
 * copy of a size known at compile time; its size member is then checked
 * in the copy. Anything else, a failed copy included, goes the general
 * way (uarg.c), which gives the same results.
 *
 * Return: 0, -EFAULT, -EINVAL or -E2BIG, as __ipcchan_get_arg().
 */
static __always_inline int ipcchan_get_arg(void *karg, size_t ksize,
					   size_t ver0, unsigned int cmd,
					   const void __user *uarg)
{
	if (__builtin_constant_p(ksize) && _IOC_SIZE(cmd) == ksize &&
	    !copy_from_user(karg, uarg, ksize))
		return *(u32 *)karg == ksize ? 0 : -EINVAL;
	return __ipcchan_get_arg(karg, ksize, ver0, cmd, uarg);
}

int ipcchan_put_arg(void __user *uarg, const void *karg, size_t ksize,
		    unsigned int cmd);

#endif /* _IPCCHAN_UARG_H */
