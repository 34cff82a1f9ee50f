// SPDX-License-Identifier: GPL-2.0
/*
 * Reading and writing the size-versioned ioctl structs of the uapi.
 */

#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/uaccess.h>

#include "uarg.h"

/**
 * __ipcchan_get_arg() - copy an extensible ioctl struct in from userspace
 * @karg: kernel copy, @ksize bytes
 * @ksize: sizeof the struct as this module knows it
 * @ver0: the first published size of the struct
 * @cmd: the ioctl command, whose size bits must match the struct's @size
 * @uarg: user pointer to the struct, whose first member is its u32 size
 *
 * The size is fetched once; the struct's own size member is overwritten with
 * that value, so a second fetch of it can never disagree.
 *
 * Return: 0, -EFAULT, -EINVAL for a size below @ver0 or unlike the command's,
 * or -E2BIG for a longer struct with non-zero bytes past @ksize.
 */
int __ipcchan_get_arg(void *karg, size_t ksize, size_t ver0,
		      unsigned int cmd, const void __user *uarg)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < ver0 || usize != _IOC_SIZE(cmd))
		return -EINVAL;
	ret = copy_struct_from_user(karg, ksize, uarg, usize);
	if (ret)
		return ret;
	*(u32 *)karg = usize;
	return 0;
}

/**
 * ipcchan_put_arg() - copy an extensible ioctl struct back to userspace
 * @uarg: user pointer the struct was read from
 * @karg: kernel copy, fully initialised, padding included
 * @ksize: sizeof the kernel struct
 * @cmd: the ioctl command; the caller's struct is _IOC_SIZE(@cmd) long
 *
 * Return: 0 or -EFAULT.
 */
int ipcchan_put_arg(void __user *uarg, const void *karg, size_t ksize,
		    unsigned int cmd)
{
	if (copy_to_user(uarg, karg, min_t(size_t, ksize, _IOC_SIZE(cmd))))
		return -EFAULT;
	return 0;
}
