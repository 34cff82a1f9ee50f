/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_CHANNEL_H
#define _IPCCHAN_CHANNEL_H

#include <linux/types.h>
#include <linux/ipcchan.h>

struct file;

struct ipcchan_obj;

int ipcchan_chan_open(struct file *ctl, const struct ipcchan_chan_open *args);
struct file *ipcchan_chan_open_file(struct file *ctl,
				    const struct ipcchan_chan_open *args);
int ipcchan_chan_set_limits(struct ipcchan_obj *obj, u64 max_msg_size,
			    u64 max_msgs, u64 max_bytes);

#endif /* _IPCCHAN_CHANNEL_H */
