/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transfer engine of channels (kmod/xfer.c), which every way to send
 * or receive goes through: IPCCHAN_IOC_SEND and _RECV, write() and read(),
 * and the batches. A call moves up to BATCH_CHUNK messages (a packed
 * batch, kmod/packed.c, PACKED_CHUNK) per hold of ch->lock, in three
 * steps on each side:
 *
 * send:    ipcchan_xfer_make()    each message, outside the lock
 *          ipcchan_xfer_queue()   them, waiting for room
 *          ipcchan_xfer_send_done(), at the end of the call: unused spares
 *
 * receive: ipcchan_xfer_take()    messages off the head, waiting for one
 *          ipcchan_xfer_deliver() each to userspace, outside the lock (or
 *          the caller copies them out its own way: ipcchan_xfer_retire())
 *          ipcchan_xfer_done()    counts them, or puts back those that failed
 *
 * The accounting (the queue's counters and bytes, the spare buffers, the
 * wake-ups and hang-up) is in those steps only. A batch call
 * (chan_xfer.batch) owes its wake-ups in struct chan_xfer and pays them
 * with ipcchan_xfer_flush() after each chunk; a single message's are paid
 * at once.
 *
 * In kmod/xfer.c the steps are inlined into the single and batch calls;
 * these are their out-of-line forms, for callers in other files. A hot
 * path belongs beside them: called out of line from another file, they
 * cost a batch of 64 B messages some 40 more instructions a message, which
 * the icount streaming benchmark turns into 10 to 20% of its throughput.
 */
#ifndef _IPCCHAN_XFER_H
#define _IPCCHAN_XFER_H

#include <linux/err.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/types.h>

#include "chan_wait.h"
#include "message.h"

struct file;
struct ipcchan_chan;
struct ipcchan_msg;
struct chan_file;
struct chan_receiver;
struct xfer_buf;

#define IPCCHAN_XFER_ALL	(IPCCHAN_XFER_NONBLOCK | IPCCHAN_XFER_TIMEOUT)

/* Messages a batch call moves per hold of ch->lock. */
#define BATCH_CHUNK	8

/**
 * struct xfer_send - the messages of a send, one chunk at a time
 * @msgs: made by ipcchan_xfer_make(), for ipcchan_xfer_queue(): the
 *	  caller's array, of as many as its chunks hold
 * @n: how many @msgs there are
 * @refs: references to the sender's pid and user record taken for the
 *	  next messages (ipcchan_msg_refs_get()), or 0
 * @spares: spare buffers taken from the channel for the next messages
 *
 * Set up with ipcchan_xfer_send_init(); ended with ipcchan_xfer_send_done().
 */
struct xfer_send {
	struct ipcchan_msg **msgs;
	u32 n;
	u32 refs;
	struct list_head spares;
};

/**
 * struct xfer_recv - the messages of a receive, one chunk at a time
 * @msgs: taken off the head by ipcchan_xfer_take(), in order: the
 *	  caller's array, of as many as it takes at a time
 * @keep: from ipcchan_msgs_retire(): whether the buffer may become a
 *	  spare; the caller's array, as large as @msgs
 * @n: how many @msgs were taken
 * @delivered: how many of them, the first ones, reached userspace
 * @short_at: the index of the message that did not fit, or the most asked
 * @needed: the length of that message
 * @sync: whether one of @msgs was sent synchronously (msg->sync), which
 *	  ipcchan_xfer_done() then ends out of line; false to start with
 */
struct xfer_recv {
	struct ipcchan_msg **msgs;
	bool *keep;
	u32 n;
	u32 delivered;
	u32 short_at;
	u32 needed;
	bool sync;
};

/*
 * Whether message @i of a receive, of @len bytes, fits where it is to go.
 * Called under ch->lock: it must not sleep.
 */
typedef bool (*xfer_fits_t)(void *arg, u32 i, u32 len);

/**
 * ipcchan_xfer_send_init() - start a send
 * @s: the send, with no messages and no spares
 * @msgs: where its chunks' messages go, as many as a chunk holds
 */
static inline void ipcchan_xfer_send_init(struct xfer_send *s,
					  struct ipcchan_msg **msgs)
{
	s->msgs = msgs;
	s->n = 0;
	s->refs = 0;
	INIT_LIST_HEAD(&s->spares);
}

/**
 * ipcchan_xfer_make() - make the next message of a chunk
 * @cf: the sender's channel file, which is charged for it
 * @s: the send, with room for one more message; its spares go first
 * @src: where the message comes from: a user buffer, or an iov_iter
 *
 * Makes the message (ipcchan_msg_make()) and adds it to s->msgs. Call
 * without ch->lock.
 *
 * Return: 0, or -EMSGSIZE, -ENOBUFS, -ENOMEM or -EFAULT, with nothing added.
 */
static inline int ipcchan_xfer_make(struct chan_file *cf, struct xfer_send *s,
				    const struct xfer_buf *src)
{
	struct ipcchan_msg *msg;

	msg = ipcchan_msg_make(cf, src, &s->spares, &s->refs);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	s->msgs[s->n++] = msg;
	return 0;
}

/**
 * ipcchan_xfer_queue() - queue the messages that ipcchan_xfer_make() made
 * @ch: the channel
 * @s: the send; s->n is 0 afterwards
 * @x: how the call waits for room, and the wake-ups it owes
 * @next: how many spares to take into s->spares for the next chunk
 * @err: the failure, or 0
 *
 * Queues in order under one hold of ch->lock, each message waiting for
 * room as @x says; those after a failure are freed. Counts the queue, the
 * bytes and the sent counters, and wakes receivers (a batch owes it).
 *
 * Return: how many were queued.
 */
u32 ipcchan_xfer_queue(struct ipcchan_chan *ch, struct xfer_send *s,
		       struct chan_xfer *x, u32 next, int *err);

/**
 * ipcchan_xfer_send_done() - end a send: give back or free unused spares
 * @ch: the channel
 * @s: the send
 */
static inline void ipcchan_xfer_send_done(struct ipcchan_chan *ch,
					  struct xfer_send *s)
{
	if (!list_empty(&s->spares))
		ipcchan_spares_put(ch, &s->spares);
}

/**
 * ipcchan_xfer_take() - take messages off the head of a channel
 * @ch: the channel
 * @r: the receive, where they go
 * @max: at most this many: r->msgs and r->keep hold them
 * @fits: whether each fits, in turn, where it is to go
 * @arg: for @fits
 * @x: how the call waits for the first message
 *
 * Waits as @x says until a message is queued, then takes messages off the
 * head in order, under one hold of ch->lock, while @fits says they fit.
 * They stay counted (ch->inflight) until ipcchan_xfer_done(), which must
 * follow. The first that does not fit stays queued: r->short_at is its
 * index (else @max) and r->needed its length, and another receiver is
 * woken for it.
 *
 * Return: how many were taken, at least one; -EMSGSIZE if the head did not
 * fit; or the failure of the wait (-EAGAIN, -ETIMEDOUT, -ERESTARTSYS,
 * -EINTR, -EPIPE), with nothing to end.
 */
int ipcchan_xfer_take(struct ipcchan_chan *ch, struct xfer_recv *r, u32 max,
		      xfer_fits_t fits, void *arg, struct chan_xfer *x);

/**
 * struct xfer_fit_rec - where a receive writes records (a packed batch)
 * @avail: bytes left in the receiver's buffer
 * @used: of them, by the records of the messages taken so far
 * @group: most bytes of records one take may add to a non-zero @used
 * @full: a record did not fit in @avail
 *
 * Each message takes IPCCHAN_PACKED_REC_SIZE() of its length.
 */
struct xfer_fit_rec {
	u64 avail;
	u64 used;
	u64 group;
	bool full;
};

/**
 * ipcchan_xfer_take_rec() - ipcchan_xfer_take() into records
 * @ch: the channel
 * @r: the receive, where they go
 * @max: at most this many
 * @f: the records' room: messages are taken while theirs fit
 * @x: how the call waits for the first message
 *
 * As ipcchan_xfer_take() with a @fits that counts the records of @f, made
 * without a call per message.
 *
 * Return: as ipcchan_xfer_take().
 */
int ipcchan_xfer_take_rec(struct ipcchan_chan *ch, struct xfer_recv *r,
			  u32 max, struct xfer_fit_rec *f, struct chan_xfer *x);

/**
 * ipcchan_xfer_deliver() - copy the next message taken out to userspace
 * @ch: the channel
 * @r: the receive, with r->delivered < r->n
 * @dst: where message r->delivered goes
 *
 * Copies it out (ipcchan_msg_deliver(): data, info, handle) without
 * ch->lock, and on success retires it: r->delivered counts it. A caller
 * stops at the first failure.
 *
 * Return: 0, or -EFAULT, -EMFILE or an LSM's refusal; the message then
 * goes back to the queue at ipcchan_xfer_done(), with those after it.
 */
int ipcchan_xfer_deliver(struct ipcchan_chan *ch, struct xfer_recv *r,
			 const struct xfer_buf *dst);

/**
 * ipcchan_xfer_retire() - note taken messages as delivered
 * @ch: the channel
 * @r: the receive
 * @delivered: the first this many messages reached userspace
 *
 * For a caller that copies the messages out its own way instead of
 * ipcchan_xfer_deliver(): drops what they hold (ipcchan_msgs_retire()).
 */
void ipcchan_xfer_retire(struct ipcchan_chan *ch, struct xfer_recv *r,
			 u32 delivered);

/**
 * ipcchan_xfer_done() - end the receive of the messages taken
 * @ch: the channel
 * @r: the receive; empty afterwards
 * @x: the call, which a batch owes the wake-ups of senders
 *
 * Puts back those not delivered, at the head and in order, and wakes a
 * receiver for each; counts those delivered off the queue, its bytes and
 * the receive counters, keeps their buffers as spares or frees them, wakes
 * senders for the room (a batch owes it) and, if that was the last of a
 * channel without senders, everyone for the hang-up.
 */
void ipcchan_xfer_done(struct ipcchan_chan *ch, struct xfer_recv *r,
		       struct chan_xfer *x);

/* Synchronous sends and their receives: kmod/chan_sync.c. */
u32 ipcchan_xfer_queue_sync(struct ipcchan_chan *ch, struct xfer_send *s,
			    struct chan_xfer *x, u32 next, int *err);
u32 ipcchan_xfer_take_handed(struct ipcchan_chan *ch, struct xfer_recv *r,
			     struct chan_receiver *rcv, xfer_fits_t fits,
			     void *arg);
void ipcchan_xfer_done_sync(struct ipcchan_chan *ch, struct xfer_recv *r,
			    struct chan_xfer *x);
/* A receive whose no-fault copy of a synchronous message failed retries. */
#define XFER_SYNC_TRIES	4
int ipcchan_xfer_fault_in(struct chan_xfer *x, const struct xfer_buf *dst,
			  u32 len);

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
