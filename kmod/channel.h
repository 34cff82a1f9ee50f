/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_CHANNEL_H
#define _IPCCHAN_CHANNEL_H

#include <linux/ipcchan.h>

struct file;

int ipcchan_chan_open(struct file *ctl, const struct ipcchan_chan_open *args);

#endif /* _IPCCHAN_CHANNEL_H */
