/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_CHANNEL_H
#define _IPCCHAN_CHANNEL_H

#include <linux/compiler_types.h>

struct file;

long ipcchan_chan_ioctl_pair(struct file *ctl, unsigned int cmd,
			     void __user *uarg);

int ipcchan_chan_init(void);
void ipcchan_chan_uninit(void);

#endif /* _IPCCHAN_CHANNEL_H */
