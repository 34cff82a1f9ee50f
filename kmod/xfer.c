// SPDX-License-Identifier: GPL-2.0
/*
 * Sending and receiving on a channel: the transfer engine, whose steps
 * kmod/xfer.h describes, with the waits for room or for a message and the
 * wake-ups of the other side, and on it the calls that move one message
 * (IPCCHAN_IOC_SEND, IPCCHAN_IOC_RECV, write() and read()); the batches of
 * kmod/batch.c use the same steps. Locking is described in chan_internal.h.
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
 *
 * Batches: a batch call wakes the other side once per chunk of
 * BATCH_CHUNK messages, rather than once per message (struct chan_xfer),
 * and before it copies the next chunk: a copy may sleep on a page fault
 * for as long as it likes (a FUSE mapping served by a receiver, say), and
 * the chunks already queued or taken must not wait for it. A batch send
 * that has to wait for room wakes the receivers first, or none might be
 * awake to make room.
 */

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "chan_internal.h"
#include "message.h"
#include "netlink.h"
#include "region.h"
#include "registry.h"
#include "uarg.h"
#include "wait.h"
#include "xfer.h"

#define IPCCHAN_XFER_ONE	(IPCCHAN_XFER_ALL | IPCCHAN_XFER_HANDLE)

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
static void chan_wake_recv(struct ipcchan_chan *ch, u32 nr)
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
 * pollers and every other poller. See chan_wake_recv() for the barrier.
 */
void ipcchan_chan_wake_send(struct ipcchan_chan *ch, u32 nr)
{
	/* Orders the change before the looks, as in chan_wake_recv(). */
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
		chan_wake_recv(ch, x->wake_recv);
	if (x->wake_send)
		ipcchan_chan_wake_send(ch, x->wake_send);
	x->wake_recv = 0;
	x->wake_send = 0;
}

static int send_ready(struct ipcchan_chan *ch, u32 len)
{
	if (chan_orphaned(ch))
		return -EPIPE;
	/* New limits (IPCCHAN_CMD_SET) that the message can never fit. */
	if (len > ch->max_msg_size)
		return -EMSGSIZE;
	return chan_has_room(ch, len);
}

static int recv_ready(struct ipcchan_chan *ch, u32 len)
{
	if (!list_empty(&ch->queue))
		return 1;
	return chan_hung_up(ch) ? -EPIPE : 0;
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
		     struct chan_xfer *x, u32 *blocked)
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
		spin_unlock(&ch->lock);
		ipcchan_xfer_flush(ch, x);
		ipcchan_wait_sleep(w);
		spin_lock(&ch->lock);
		(*blocked)--;
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

/*
 * Notes, under ch->lock, that a send found no room. Returns true when that
 * is news for the events group: once until a receive makes room again.
 */
static bool chan_note_full(struct ipcchan_chan *ch)
{
	if (ch->full_reported)
		return false;
	ch->full_reported = true;
	return true;
}

void ipcchan_xfer_send_init(struct xfer_send *s)
{
	s->n = 0;
	INIT_LIST_HEAD(&s->spares);
}

int ipcchan_xfer_make(struct chan_file *cf, struct xfer_send *s,
		      const struct xfer_buf *src)
{
	struct ipcchan_msg *msg;

	msg = ipcchan_msg_make(cf, src, &s->spares);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	s->msgs[s->n++] = msg;
	return 0;
}

u32 ipcchan_xfer_queue(struct ipcchan_chan *ch, struct xfer_send *s,
		       struct chan_xfer *x, u32 next, int *err)
{
	struct ipcchan_msg **msgs = s->msgs;
	bool full = false, waits;
	u32 i, j, len, n = s->n;
	u64 now = 0;
	int ret = 0;

	spin_lock(&ch->lock);
	for (i = 0; i < n; i++) {
		len = msgs[i]->len;
		waits = !chan_has_room(ch, len);
		if (waits)
			full |= chan_note_full(ch);
		/* send_ready(), without the call when it cannot fail. */
		if (waits || chan_orphaned(ch) || len > ch->max_msg_size)
			ret = chan_wait(ch, &ch->send_wait, send_ready, len, x,
					&ch->blocked_senders);
		if (ret)
			break;
		/* One time for the messages queued together. */
		if (!i || waits)
			now = ktime_get_ns();
		msgs[i]->seq = ch->next_seq++;
		msgs[i]->timestamp = now;
		list_add_tail(&msgs[i]->node, &ch->queue);
		ch->msgs++;
		ch->bytes += len;
		ch->sent_msgs++;
		ch->sent_bytes += len;
		/* Counted at once: a wait for the next one wakes for it. */
		x->wake_recv++;
	}
	if (next && !ret)
		ipcchan_spares_take(ch, &s->spares, next);
	spin_unlock(&ch->lock);
	if (full)
		ipcchan_nl_event(&ch->obj, IPCCHAN_EVENT_LIMIT_REACHED);
	if (ret == -EAGAIN || ret == -ETIMEDOUT || ret == -EMSGSIZE)
		chan_reject(ch, ret);
	*err = ret;
	if (!x->batch)
		ipcchan_xfer_flush(ch, x);
	for (j = i; j < n; j++)
		ipcchan_msg_free(msgs[j]);
	s->n = 0;
	return i;
}

void ipcchan_xfer_send_done(struct ipcchan_chan *ch, struct xfer_send *s)
{
	ipcchan_spares_put(ch, &s->spares);
}

/* Queues one message of src->len bytes. On any error nothing is queued. */
int ipcchan_chan_send(struct chan_file *cf, const struct xfer_buf *src,
		      struct chan_xfer *x)
{
	struct ipcchan_chan *ch = cf->ch;
	struct xfer_send s;
	bool full = false;
	int ret;

	if (x->w.nonblock && src->len <= READ_ONCE(ch->max_msg_size)) {
		/* Spare the allocation when it would be for nothing. */
		spin_lock(&ch->lock);
		ret = send_ready(ch, src->len);
		if (!ret)
			full = chan_note_full(ch);
		spin_unlock(&ch->lock);
		if (full)
			ipcchan_nl_event(&ch->obj, IPCCHAN_EVENT_LIMIT_REACHED);
		if (!ret)
			return chan_reject(ch, -EAGAIN);
		if (ret < 0)
			return ret;
	}
	ipcchan_xfer_send_init(&s);
	ret = ipcchan_xfer_make(cf, &s, src);
	if (!ret)
		ipcchan_xfer_queue(ch, &s, x, 0, &ret);
	ipcchan_xfer_send_done(ch, &s);
	return ret;
}

/* The xfer_fits_t of a receive into struct xfer_buf: one per message. */
static bool xfer_fits_buf(void *arg, u32 i, u32 len)
{
	const struct xfer_buf *dst = arg;

	return len <= dst[i].len;
}

/*
 * The messages taken are off the queue while they are copied out, but
 * they still count against the limits and hold off hang-up
 * (ch->inflight). Those that fail go back to the head, in order. Only then
 * can another receiver have taken the next message first, and only
 * because a receiver passed a bad buffer.
 *
 * After the wait, under the same hold of the lock, the queue is not empty:
 * taking none means that the head did not fit.
 */
int ipcchan_xfer_take(struct ipcchan_chan *ch, struct xfer_recv *r, u32 max,
		      xfer_fits_t fits, void *arg, struct chan_xfer *x)
{
	struct list_head *last = &ch->queue;
	struct ipcchan_msg *msg;
	LIST_HEAD(taken);
	u32 i;
	int ret;

	r->n = 0;
	r->delivered = 0;
	r->short_at = max;
	spin_lock(&ch->lock);
	/* recv_ready(), without the call when a message is there. */
	if (list_empty(&ch->queue)) {
		ret = chan_wait(ch, &ch->recv_wait, recv_ready, 0, x,
				&ch->blocked_receivers);
		if (ret) {
			spin_unlock(&ch->lock);
			return ret;
		}
	}
	for (i = 0; i < max && last->next != &ch->queue; i++) {
		msg = list_entry(last->next, struct ipcchan_msg, node);
		if (!fits(arg, i, msg->len)) {
			r->needed = msg->len;
			r->short_at = i;
			break;
		}
		r->msgs[i] = msg;
		last = last->next;
	}
	/* Off the queue all at once: a list_del() each costs its checks. */
	if (i)
		list_cut_position(&taken, &ch->queue, last);
	ch->inflight += i;
	spin_unlock(&ch->lock);
	r->n = i;
	/* Another receiver may have room for the one that did not fit. */
	if (r->short_at < max)
		chan_wake_recv(ch, 1);
	return i ? i : -EMSGSIZE;
}

int ipcchan_xfer_deliver(struct ipcchan_chan *ch, struct xfer_recv *r,
			 const struct xfer_buf *dst)
{
	int ret;

	ret = ipcchan_msg_deliver(r->msgs[r->delivered], dst);
	if (!ret)
		ipcchan_xfer_retire(ch, r, r->delivered + 1);
	return ret;
}

void ipcchan_xfer_retire(struct ipcchan_chan *ch, struct xfer_recv *r,
			 u32 delivered)
{
	u32 i;

	/* Delivered: the messages are done with, their buffers not yet. */
	for (i = r->delivered; i < delivered; i++)
		r->keep[i] = ipcchan_msg_retire(ch, r->msgs[i]);
	r->delivered = delivered;
}

void ipcchan_xfer_done(struct ipcchan_chan *ch, struct xfer_recv *r,
		       struct chan_xfer *x)
{
	struct ipcchan_msg **msgs = r->msgs;
	u32 i, n = r->n, delivered = r->delivered;
	bool hung_up, spare[XFER_CHUNK_MAX];

	spin_lock(&ch->lock);
	ch->inflight -= n;
	for (i = n; i-- > delivered; )
		list_add(&msgs[i]->node, &ch->queue);
	for (i = 0; i < delivered; i++) {
		ch->msgs--;
		ch->bytes -= msgs[i]->len;
		ch->recv_msgs++;
		ch->recv_bytes += msgs[i]->len;
		spare[i] = r->keep[i] && ipcchan_spare_keep(ch, msgs[i]);
	}
	if (delivered)
		ch->full_reported = false;
	hung_up = list_empty(&ch->queue) && chan_hung_up(ch);
	spin_unlock(&ch->lock);

	for (i = 0; i < delivered; i++)
		if (r->keep[i] && !spare[i])
			ipcchan_spare_free(ch, msgs[i]);
		else if (!spare[i])
			ipcchan_msg_kfree(msgs[i]);
	/* Each message put back may be the one a woken receiver missed. */
	if (delivered < n)
		chan_wake_recv(ch, n - delivered);
	x->wake_send += delivered;
	if (!x->batch)
		ipcchan_xfer_flush(ch, x);
	if (hung_up)
		ipcchan_chan_wake_all(ch, true, EPOLLHUP);
	r->n = 0;
	r->delivered = 0;
}

/*
 * Receives one message into @dst, which holds up to dst->len bytes. Returns
 * the message length. With -EMSGSIZE, *@needed is the length of the message
 * at the head. On any error the message stays queued.
 */
int ipcchan_chan_recv(struct ipcchan_chan *ch, const struct xfer_buf *dst,
		      u32 *needed, struct chan_xfer *x)
{
	struct xfer_recv r;
	u32 len;
	int ret;

	ret = ipcchan_xfer_take(ch, &r, 1, xfer_fits_buf, (void *)dst, x);
	if (ret == -EMSGSIZE)
		*needed = r.needed;
	if (ret < 0)
		return ret;
	len = r.msgs[0]->len;
	ret = ipcchan_xfer_deliver(ch, &r, dst);
	ipcchan_xfer_done(ch, &r, x);
	return ret ?: len;
}

/* Takes the region of @fd as the handle of a message about to be sent. */
static int xfer_get_handle(struct xfer_buf *src, int fd)
{
	struct ipcchan_obj *obj;
	struct file *file = fget(fd);

	if (!file)
		return -EBADF;
	obj = ipcchan_region_handle_get(file, &src->handle_fmode);
	fput(file);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	src->handle = obj;
	return 0;
}

long ipcchan_chan_ioctl_send(struct file *file, unsigned int cmd,
			     void __user *uarg)
{
	struct ipcchan_send args;
	struct chan_xfer x = {};
	struct xfer_buf src = {};
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_SEND_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (args.__reserved || args.__reserved2)
		return -EINVAL;
	if (args.flags & IPCCHAN_XFER_HANDLE ?
	    args.size < IPCCHAN_SEND_SIZE_VER1 : args.handle_fd != 0)
		return -EINVAL;
	ret = ipcchan_wait_init(&x.w, file, args.flags, IPCCHAN_XFER_ONE,
				args.timeout_ns);
	if (ret)
		return ret;
	src.buf = u64_to_user_ptr(args.buf);
	src.len = args.len;
	if (args.flags & IPCCHAN_XFER_HANDLE) {
		ret = xfer_get_handle(&src, args.handle_fd);
		if (ret)
			return ret;
	}
	ret = ipcchan_chan_send(file->private_data, &src, &x);
	if (src.handle)
		ipcchan_obj_put(src.handle);
	return ret;
}

long ipcchan_chan_ioctl_recv(struct file *file, unsigned int cmd,
			     void __user *uarg)
{
	struct chan_file *cf = file->private_data;
	struct ipcchan_recv __user *urecv = uarg;
	struct ipcchan_recv args;
	struct chan_xfer x = {};
	struct xfer_buf dst = {};
	u32 needed;
	int ret;

	ret = ipcchan_get_arg(&args, sizeof(args), IPCCHAN_RECV_SIZE_VER0,
			      cmd, uarg);
	if (ret)
		return ret;
	if (args.__reserved)
		return -EINVAL;
	if ((args.flags & IPCCHAN_XFER_HANDLE) &&
	    args.size < IPCCHAN_RECV_SIZE_VER1)
		return -EINVAL;
	ret = ipcchan_wait_init(&x.w, file, args.flags, IPCCHAN_XFER_ONE,
				args.timeout_ns);
	if (ret)
		return ret;
	dst.buf = u64_to_user_ptr(args.buf);
	dst.len = args.len;
	dst.uinfo = &urecv->info;
	if (args.flags & IPCCHAN_XFER_HANDLE)
		dst.urecv = urecv;
	ret = ipcchan_chan_recv(cf->ch, &dst, &needed, &x);
	if (ret == -EMSGSIZE && put_user(needed, &urecv->info.len))
		return -EFAULT;
	return ret;
}
