/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_PACKED_H
#define _IPCCHAN_PACKED_H

#include <linux/compiler_types.h>

struct file;

int ipcchan_packed_init(void);
void ipcchan_packed_uninit(void);
long ipcchan_chan_ioctl_packed(struct file *file, unsigned int cmd,
			       void __user *uarg, bool send);

#endif /* _IPCCHAN_PACKED_H */
