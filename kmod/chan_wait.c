// SPDX-License-Identifier: GPL-2.0
/*
 * The waits of a channel's senders and receivers, for room or for a
 * message, and the wake-ups of the other side. Locking is described in
 * chan_internal.h.
 *
 * Wake-ups: blocked callers and pollers wait on separate queues, so that
 * a poller (EPOLLEXCLUSIVE ones included) can never take the wake-up meant
 * for a blocked call. A blocked receiver waits exclusively, so that a
 * message wakes one receiver, not all of them; a blocked sender is woken
 * only if the room that a receive made fits its message, one sender for
 * each message's worth of room (chan_sender_wake()). Non-exclusive pollers
 * are all woken, EPOLLEXCLUSIVE pollers one per message or room made, and
 * a hang-up, an unlink or new limits wake everyone. A woken receiver that
 * still finds its condition true takes a message even with a signal
 * pending, as an exclusive waiter must; one that leaves without a message
 * while one is queued (its buffer too short) passes the wake-up on, and so
 * does a woken sender that leaves without queuing or finds its room gone.
 */

#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "chan_internal.h"
#include "chan_wait.h"
#include "wait.h"

/* The room a receive made: the key that chan_sender_wake() takes. */
struct chan_room {
	u32 msgs;
	u64 bytes;
};

/* A blocked sender, waiting for room for a message of @len bytes. */
struct chan_sender {
	struct wait_queue_entry wq;
	u32 len;
};

/*
 * Wakes a blocked sender if @key, the room a receive made, fits its
 * message, and takes that much off the room; or with no @key, wakes it
 * whatever. A sender that was running already takes none of the room.
 */
static int chan_sender_wake(struct wait_queue_entry *wq, unsigned int mode,
			    int sync, void *key)
{
	struct chan_sender *s = container_of(wq, struct chan_sender, wq);
	struct chan_room *room = key;
	int ret;

	if (room && (!room->msgs || s->len > room->bytes))
		return 0;
	ret = autoremove_wake_function(wq, mode, sync, NULL);
	if (ret && room) {
		room->msgs--;
		room->bytes -= s->len;
	}
	return ret;
}

/*
 * Wakes the blocked senders that the room now free fits, under ch->lock,
 * which keeps the room as it is while they are picked.
 */
static void chan_wake_senders(struct ipcchan_chan *ch)
	__must_hold(&ch->lock)
{
	struct chan_room room = {};

	if (ch->msgs < ch->max_msgs)
		room.msgs = ch->max_msgs - ch->msgs;
	if (ch->bytes < ch->max_bytes)
		room.bytes = ch->max_bytes - ch->bytes;
	/* Senders join under ch->lock too: no barrier needed. */
	if (room.msgs && room.bytes && waitqueue_active(&ch->send_wait))
		__wake_up(&ch->send_wait, TASK_INTERRUPTIBLE, 0, &room);
}

/*
 * Wakes receivers and pollers for @nr new messages: @nr blocked receivers
 * and EPOLLEXCLUSIVE pollers, and every other poller.
 *
 * A waiter joins its queue and then tests its condition under ch->lock;
 * the caller changed the channel under that lock before calling this, and
 * the barrier orders that before the looks at the queues (as in
 * wq_has_sleeper()). So either the waiter sees the change, or this sees
 * the waiter.
 */
void ipcchan_chan_wake_recv(struct ipcchan_chan *ch, u32 nr)
{
	int n = min_t(u32, nr, INT_MAX);

	/* Orders the change before the looks: see above. */
	smp_mb();
	/* Safe after the barrier, as in wq_has_sleeper(). */
	if (waitqueue_active(&ch->recv_wait))
		__wake_up(&ch->recv_wait, TASK_INTERRUPTIBLE, n, NULL);
	/* Likewise. */
	if (waitqueue_active(&ch->recv_poll))
		__wake_up(&ch->recv_poll, TASK_INTERRUPTIBLE, n,
			  poll_to_key(EPOLLIN | EPOLLRDNORM));
}

/*
 * Wakes senders and pollers for room made by @nr messages (0: new limits,
 * for all pollers): the blocked senders the room fits, @nr EPOLLEXCLUSIVE
 * pollers and every other poller. See ipcchan_chan_wake_recv() for the barrier.
 */
void ipcchan_chan_wake_send(struct ipcchan_chan *ch, u32 nr)
{
	/* Orders the change before the looks, as in ipcchan_chan_wake_recv(). */
	smp_mb();
	/* Safe after the barrier, as in wq_has_sleeper(). */
	if (waitqueue_active(&ch->send_wait)) {
		spin_lock(&ch->lock);
		chan_wake_senders(ch);
		spin_unlock(&ch->lock);
	}
	/* Likewise. */
	if (waitqueue_active(&ch->send_poll))
		__wake_up(&ch->send_poll, TASK_INTERRUPTIBLE,
			  min_t(u32, nr, INT_MAX),
			  poll_to_key(EPOLLOUT | EPOLLWRNORM));
}

/*
 * Wakes every blocked caller and poller of one side, for a hang-up: the
 * receive side with @events EPOLLHUP, the send side with EPOLLERR.
 */
void ipcchan_chan_wake_all(struct ipcchan_chan *ch, bool recv, __poll_t events)
{
	wait_queue_head_t *wait = recv ? &ch->recv_wait : &ch->send_wait;
	wait_queue_head_t *poll = recv ? &ch->recv_poll : &ch->send_poll;

	/* No key: chan_sender_wake() reads one as room. */
	if (wq_has_sleeper(wait))
		__wake_up(wait, TASK_INTERRUPTIBLE, 0, NULL);
	ipcchan_wake(poll, events);
}

/* Wakes the other side for what a batch has done so far. */
void ipcchan_xfer_flush(struct ipcchan_chan *ch, struct chan_xfer *x)
{
	if (x->wake_recv)
		ipcchan_chan_wake_recv(ch, x->wake_recv);
	if (x->wake_send)
		ipcchan_chan_wake_send(ch, x->wake_send);
	x->wake_recv = 0;
	x->wake_send = 0;
}

/*
 * Waits on @wq until @ready(@ch, @len) is true (0) or fails (its -errno).
 * Called and returns with ch->lock held; drops it only to sleep, and then
 * first wakes the other side for what the call has done so far. A waiter
 * that a wake-up found ready leaves without joining @wq again. Receivers
 * (@wq is ch->recv_wait) wait exclusively; senders (ch->send_wait) are
 * woken by chan_sender_wake(), and pass on a wake-up that they do not use.
 */
static int chan_wait(struct ipcchan_chan *ch, wait_queue_head_t *wq,
		     int (*ready)(struct ipcchan_chan *ch, u32 len), u32 len,
		     struct chan_xfer *x, u32 *blocked,
		     struct chan_receiver *rcv)
	__must_hold(&ch->lock)
{
	bool sender = wq == &ch->send_wait;
	struct ipcchan_wait *w = &x->w;
	struct chan_sender s = { .len = len };
	bool woken = false;
	int ret;

	ret = ready(ch, len);
	if (ret)
		return ret < 0 ? ret : 0;
	if (w->nonblock)
		return -EAGAIN;

	init_wait_entry(&s.wq, 0);
	if (sender)
		s.wq.func = chan_sender_wake;
	for (;;) {
		prepare_to_wait_exclusive(wq, &s.wq, TASK_INTERRUPTIBLE);
		ret = ready(ch, len);
		if (ret)
			break;
		ret = ipcchan_wait_stop(w);
		if (ret)
			break;
		(*blocked)++;
		if (rcv) {
			rcv->wq = &s.wq;
			list_add_tail(&rcv->node, &ch->idle_recv);
		}
		spin_unlock(&ch->lock);
		ipcchan_xfer_flush(ch, x);
		/* A nonblocking send to a rendezvous would succeed now. */
		if (rcv && ch->rendezvous)
			ipcchan_wake(&ch->send_poll, EPOLLOUT | EPOLLWRNORM);
		ipcchan_wait_sleep(w);
		spin_lock(&ch->lock);
		(*blocked)--;
		if (rcv) {
			/* A send gave it a message: it takes that one. */
			if (rcv->handed) {
				ret = 0;
				break;
			}
			list_del(&rcv->node);
		}
		ret = ready(ch, len);
		if (ret)
			break;
		/* Woken for room that another sender took: pass it on. */
		if (sender && list_empty_careful(&s.wq.entry))
			chan_wake_senders(ch);
	}
	woken = list_empty_careful(&s.wq.entry);
	finish_wait(wq, &s.wq);
	/* A sender that leaves unsent passes on the room it was woken for. */
	if (ret < 0 && sender && woken)
		chan_wake_senders(ch);
	return ret < 0 ? ret : 0;
}

/**
 * ipcchan_chan_wait_room() - wait for room for a message of @len bytes
 * @ch: the channel, whose lock is held
 * @len: the message's length
 * @x: how the call waits, and the wake-ups it owes
 *
 * Return: 0, or -EPIPE, -EMSGSIZE (new limits), -EAGAIN, -ETIMEDOUT,
 * -ERESTARTSYS or -EINTR.
 */
int ipcchan_chan_wait_room(struct ipcchan_chan *ch, u32 len,
			   struct chan_xfer *x)
	__must_hold(&ch->lock)
{
	return chan_wait(ch, &ch->send_wait, chan_send_ready, len, x,
			 &ch->blocked_senders, NULL);
}

/**
 * ipcchan_chan_wait_msg() - wait for a message to be queued or handed
 * @ch: the channel, whose lock is held
 * @x: how the call waits, and the wake-ups it owes
 * @rcv: the receiver, with no message handed; while it sleeps it is on
 *	 ch->idle_recv, where a send may hand it a message (rcv->handed)
 *
 * Return: 0 (a message is queued, or rcv->handed is one, off the queue,
 * counted in ch->inflight), or -EPIPE (hung up), -EAGAIN, -ETIMEDOUT,
 * -ERESTARTSYS or -EINTR (then nothing was handed).
 */
int ipcchan_chan_wait_msg(struct ipcchan_chan *ch, struct chan_xfer *x,
			  struct chan_receiver *rcv)
	__must_hold(&ch->lock)
{
	return chan_wait(ch, &ch->recv_wait, chan_recv_ready, 0, x,
			 &ch->blocked_receivers, rcv);
}

/**
 * ipcchan_chan_hand() - give a message straight to a waiting receiver
 * @ch: the channel, whose lock is held, with chan_recv_idle() true
 * @msg: the message, counted as queued, but not on the queue
 *
 * The first receiver of ch->idle_recv gets it (rcv->handed), counted in
 * ch->inflight, and is woken: no other receiver can take it, and that one
 * returns it, or puts it back at the head if it cannot.
 */
void ipcchan_chan_hand(struct ipcchan_chan *ch, struct ipcchan_msg *msg)
	__must_hold(&ch->lock)
{
	struct chan_receiver *rcv;

	rcv = list_first_entry(&ch->idle_recv, struct chan_receiver, node);
	list_del(&rcv->node);
	rcv->handed = msg;
	ch->inflight++;
	/* Off ch->recv_wait, so that no wake-up for the queue picks it. */
	spin_lock(&ch->recv_wait.lock);
	rcv->wq->func(rcv->wq, TASK_NORMAL, 0, NULL);
	spin_unlock(&ch->recv_wait.lock);
}
