/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of a channel share: kmod/channel.c (the channel object
 * and its files), kmod/message.c (messages, their handles and the spare
 * buffers), kmod/xfer.c (the transfer engine, see kmod/xfer.h) and
 * kmod/chan_wait.c (waits and wake-ups).
 *
 * Locking: ch->lock (a spinlock) guards the queue, its counters and the
 * sender/receiver state. It is never held across a user copy or an
 * allocation. A send allocates and fills its message first, then takes the
 * lock only to queue it. A receive unqueues the head under the lock, copies
 * it out unlocked, and puts it back at the head if the copy fails, so that no
 * message is ever lost to a bad buffer.
 *
 * Lock order: ch->lock, then the lock of a wait queue of the channel
 * (ch->recv_wait.lock, ch->send_wait.lock: a wake-up under ch->lock), then
 * the scheduler's locks (a wake_up_process() under ch->lock). Nothing takes
 * ch->lock under a wait queue's lock: the wake functions of the channel's
 * queues never take it.
 *
 * Synchronous sends (kmod/xfer.c): a synchronous message points to its
 * sender's struct chan_sync (msg->sync), on the sender's stack, whose
 * @state says where the message is, and each change of it is made under
 * ch->lock:
 *
 *   SYNC_QUEUED --- a receive takes it off the queue --> SYNC_INFLIGHT
 *   SYNC_INFLIGHT - the receive returns it ------------> SYNC_TAKEN
 *   SYNC_INFLIGHT - the receive fails -----------------> SYNC_QUEUED (head)
 *                   (if the sender gave up) -----------> SYNC_WITHDRAWN
 *   SYNC_QUEUED --- the sender gives up ---------------> withdrawn by it
 *
 * A send hands its message straight to a receiver blocked with nothing
 * (struct chan_receiver on ch->idle_recv): then it is SYNC_INFLIGHT at
 * once. The sender leaves only in SYNC_TAKEN or withdrawn, and the receive
 * that decides wakes it under ch->lock, so that the struct on its stack
 * outlives the wake-up; a sender that a fatal signal ends while its message
 * is in flight points the message to chan_sync_abandoned instead, and the
 * receive then frees it if it fails.
 */
#ifndef _IPCCHAN_CHAN_INTERNAL_H
#define _IPCCHAN_CHAN_INTERNAL_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>

#include "registry.h"

struct ipcchan_msg;
struct ipcchan_user;
struct task_struct;

/* Where a synchronous message is (see the top). */
enum chan_sync_state {
	SYNC_QUEUED,
	SYNC_INFLIGHT,
	SYNC_TAKEN,
	SYNC_WITHDRAWN,
};

/* A synchronous sender, waiting for the outcome of its message. */
struct chan_sync {
	struct task_struct *task;
	enum chan_sync_state state;
	bool withdraw;		/* gave up: a failed receive withdraws it */
};

/* A receiver blocked in a receive call with nothing to take yet. */
struct chan_receiver {
	struct list_head node;		/* in ch->idle_recv, under ch->lock */
	struct wait_queue_entry *wq;	/* its entry on ch->recv_wait */
	struct ipcchan_msg *handed;	/* a message a send gave it, or NULL */
};

struct ipcchan_chan {
	struct ipcchan_obj obj;
	struct ipcchan_user *owner;	/* creator's record, for spares; or NULL */

	spinlock_t lock;	/* guards the queue and the state below */
	struct list_head queue;
	struct list_head spares;	/* buffers of MSG_SPARE_SIZE to reuse */
	u32 nr_spares;
	/*
	 * One more spare, outside @spares and @nr_spares: set under @lock,
	 * taken without it (xchg()). See kmod/message.c.
	 */
	struct ipcchan_msg *hot_spare;
	u32 msgs;		/* queued, plus those being copied out */
	u32 inflight;		/* being copied out by a receiver */
	u64 bytes;		/* payload bytes of the msgs */
	u64 next_seq;
	u32 senders;
	u32 receivers;
	u32 files;
	bool had_sender;
	bool unlinked;
	bool full_reported;	/* LIMIT_REACHED sent, no room made since */
	bool rendezvous;	/* IPCCHAN_CHAN_RENDEZVOUS: every send is sync */
	u64 recv_gone;		/* times its last receiving file was closed */
	struct list_head idle_recv;	/* struct chan_receiver */

	u32 max_msg_size;
	u32 max_msgs;
	u64 max_bytes;

	/*
	 * A direction of a pair (IPCCHAN_IOC_CHAN_PAIR): the id of the other,
	 * else 0. Its files send to the other (cf->tx), which
	 * ipcchan_unnamed_make() gives to chan_file_init().
	 */
	u64 peer_id;

	/* Counters for the netlink plane, under ch->lock as well. */
	u64 sent_msgs;
	u64 sent_bytes;
	u64 recv_msgs;
	u64 recv_bytes;
	u32 blocked_senders;
	u32 blocked_receivers;
	atomic64_t rejected;	/* sends refused on a limit */

	wait_queue_head_t recv_wait;	/* blocked receivers, exclusive */
	wait_queue_head_t send_wait;	/* blocked senders (chan_sender_wake) */
	wait_queue_head_t recv_poll;	/* EPOLLIN pollers */
	wait_queue_head_t send_poll;	/* EPOLLOUT pollers */
};

/*
 * What a channel file knows, fixed when it is opened. @ch is the channel
 * it receives from, and @tx the one it sends to: the same channel, but for
 * an end of a pair (IPCCHAN_IOC_CHAN_PAIR), whose @tx is the other
 * direction. The file holds a reference to each.
 */
struct chan_file {
	struct ipcchan_chan *ch;
	struct ipcchan_chan *tx;
	/*
	 * The opener's record, or NULL when exempt: charged for what it
	 * sends, and for the kernel's copy of a packed receive's records.
	 */
	struct ipcchan_user *user;
	kuid_t uid;		/* the opener's, the sender uid of its messages */
};

static inline struct ipcchan_chan *to_chan(struct ipcchan_obj *obj)
{
	return container_of(obj, struct ipcchan_chan, obj);
}

static inline bool chan_hung_up(const struct ipcchan_chan *ch)
{
	return !ch->senders && (ch->had_sender || ch->unlinked) &&
	       !ch->inflight;
}

static inline bool chan_orphaned(const struct ipcchan_chan *ch)
{
	return !ch->receivers && ch->unlinked;
}

/* A receiver waits with nothing to take: a send may hand it a message. */
static inline bool chan_recv_idle(const struct ipcchan_chan *ch)
{
	return !list_empty(&ch->idle_recv) && list_empty(&ch->queue);
}

static inline bool chan_has_room(const struct ipcchan_chan *ch, u32 len)
{
	return ch->msgs < ch->max_msgs && ch->bytes + len <= ch->max_bytes;
}

/*
 * Notes, under ch->lock, that a send found no room. Returns true when that
 * is news for the events group: once until a receive makes room again.
 */
static inline bool chan_note_full(struct ipcchan_chan *ch)
{
	if (ch->full_reported)
		return false;
	ch->full_reported = true;
	return true;
}

/* Counts a send refused on a limit. */
static inline int chan_reject(struct ipcchan_chan *ch, int err)
{
	atomic64_inc(&ch->rejected);
	return err;
}

static inline int chan_send_ready(struct ipcchan_chan *ch, u32 len)
{
	if (chan_orphaned(ch))
		return -EPIPE;
	/* New limits (IPCCHAN_CMD_SET) that the message can never fit. */
	if (len > ch->max_msg_size)
		return -EMSGSIZE;
	return chan_has_room(ch, len);
}

static inline int chan_recv_ready(struct ipcchan_chan *ch, u32 len)
{
	if (!list_empty(&ch->queue))
		return 1;
	return chan_hung_up(ch) ? -EPIPE : 0;
}

#endif /* _IPCCHAN_CHAN_INTERNAL_H */
