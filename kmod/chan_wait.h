/* SPDX-License-Identifier: GPL-2.0 */
/* The waits and wake-ups of a channel (kmod/chan_wait.c). */
#ifndef _IPCCHAN_CHAN_WAIT_H
#define _IPCCHAN_CHAN_WAIT_H

#include <linux/compiler_types.h>
#include <linux/poll.h>
#include <linux/types.h>

#include "wait.h"

struct ipcchan_chan;
struct ipcchan_msg;
struct chan_receiver;

/*
 * How one call transfers: how it waits, and for a batch, the wake-ups it
 * owes the other side (messages queued or taken since it last woke them).
 */
struct chan_xfer {
	struct ipcchan_wait w;
	bool batch;
	bool sync;	/* IPCCHAN_XFER_SYNC, or a rendezvous channel */
	bool sync_more;	/* a synchronous batch had one taken: see chan_sync.c */
	u32 wake_recv;
	u32 wake_send;
};

int ipcchan_chan_wait_room(struct ipcchan_chan *ch, u32 len,
			   struct chan_xfer *x)
	__must_hold(&ch->lock);
int ipcchan_chan_wait_msg(struct ipcchan_chan *ch, struct chan_xfer *x,
			  struct chan_receiver *rcv)
	__must_hold(&ch->lock);
void ipcchan_chan_hand(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
	__must_hold(&ch->lock);

void ipcchan_chan_wake_recv(struct ipcchan_chan *ch, u32 nr);
void ipcchan_chan_wake_send(struct ipcchan_chan *ch, u32 nr);
void ipcchan_chan_wake_all(struct ipcchan_chan *ch, bool recv, __poll_t events);
void ipcchan_xfer_flush(struct ipcchan_chan *ch, struct chan_xfer *x);

#endif /* _IPCCHAN_CHAN_WAIT_H */
