/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_UARG_H
#define _IPCCHAN_UARG_H

#include <linux/compiler.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* An ioctl command with its size bits cleared, for dispatch. */
#define IPCCHAN_IOC_NOSIZE(cmd)	((cmd) & ~IOCSIZE_MASK)

int ipcchan_get_arg(void *karg, size_t ksize, size_t ver0, unsigned int cmd,
		    const void __user *uarg);
int ipcchan_put_arg(void __user *uarg, const void *karg, size_t ksize,
		    unsigned int cmd);

#endif /* _IPCCHAN_UARG_H */
