/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPCCHAN_XFER_H
#define _IPCCHAN_XFER_H

#include <linux/poll.h>
#include <linux/types.h>

#include "wait.h"

struct file;
struct ipcchan_chan;
struct chan_file;
struct xfer_buf;

/*
 * How one call transfers: how it waits, and for a batch, the wake-ups it
 * owes the other side (messages queued or taken since it last woke them).
 */
struct chan_xfer {
	struct ipcchan_wait w;
	bool batch;
	u32 wake_recv;
	u32 wake_send;
};

void ipcchan_chan_wake_send(struct ipcchan_chan *ch, u32 nr);
void ipcchan_chan_wake_all(struct ipcchan_chan *ch, bool recv, __poll_t events);

int ipcchan_chan_send(struct chan_file *cf, const struct xfer_buf *src,
		      struct chan_xfer *x);
int ipcchan_chan_recv(struct ipcchan_chan *ch, const struct xfer_buf *dst,
		      u32 *needed, struct chan_xfer *x);

long ipcchan_chan_ioctl_send(struct file *file, unsigned int cmd,
			     void __user *uarg);
long ipcchan_chan_ioctl_recv(struct file *file, unsigned int cmd,
			     void __user *uarg);
long ipcchan_chan_ioctl_batch(struct file *file, unsigned int cmd,
			      void __user *uarg, bool send);

#endif /* _IPCCHAN_XFER_H */
